/**
 * The time rules read (retention cut-offs, grace periods, due dates). Injected as CLOCK so
 * tests can move it forward (`clock.fake.ts`) without waiting; the database's own `now()`
 * still stamps rows as they are written.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
