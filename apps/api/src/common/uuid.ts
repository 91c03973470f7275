import { notFound } from './errors/app-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

/** IDs are UUIDs; anything else cannot name an object, so it is NOT_FOUND (and never reaches SQL). */
export function assertUuid(value: string, what: string): void {
  if (!isUuid(value)) throw notFound(what);
}
