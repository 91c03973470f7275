/** Injection tokens for values that are not classes. */
export const LOGGER = Symbol('LOGGER');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const KEY_RING = Symbol('KEY_RING');
export const CLOCK = Symbol('CLOCK');
