import { notFound } from './errors/app-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

/**
 * IDs are UUIDs; anything else cannot name an object, so it is NOT_FOUND (and never reaches SQL).
 * Returns the id in its canonical form (canonicalId), which is what may be compared as text.
 */
export function assertUuid(value: string, what: string): string {
  if (!isUuid(value)) throw notFound(what);
  return canonicalId(value);
}

/**
 * An id as this service writes it: a UUID in lower case (PostgreSQL's form), any other value as it is.
 * Ids are compared as text in places (pub-sub channels, idempotency references, a data key's associated
 * data), so `ABC…` and `abc…` must never reach them as two ids (the GraphQL ID scalar reads them so).
 */
export function canonicalId(value: string): string {
  return isUuid(value) ? value.toLowerCase() : value;
}
