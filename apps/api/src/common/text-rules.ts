import { badInput } from './errors/app-error';

/** Control characters (C0, DEL, C1). */
const CONTROL = /\p{Cc}/u;
/** Bidirectional marks, embeddings, overrides and isolates: they can make a name read as something else. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** Removes control and bidi characters (for file names, which come from other systems and are cleaned, not refused). */
export const withoutControlCharacters = (s: string) => s.replace(/\p{Cc}/gu, '').replace(new RegExp(BIDI.source, 'gu'), '');

/**
 * A user-chosen name (team, API key): trimmed, whitespace runs (tabs, newlines) made one space,
 * 1 to `max` characters, no other control characters and no bidi controls. Anything else is BAD_USER_INPUT naming `field`.
 */
export function parseName(input: string, field: string, what: string, max = 100): string {
  const name = input.trim().replace(/\s+/g, ' ');
  if (CONTROL.test(name)) throw badInput(field, `${what} cannot contain control characters.`);
  if (BIDI.test(name)) throw badInput(field, `${what} cannot contain bidirectional control characters.`);
  if (name.length < 1 || name.length > max) throw badInput(field, `${what} have 1 to ${max} characters.`);
  return name;
}

/** An idempotency key (removeBackground, adjustCredits): 1 to 128 letters, digits or . _ : -; else BAD_USER_INPUT naming `field`. */
export function parseIdempotencyKey(input: string, field = 'idempotencyKey'): string {
  if (!/^[\w.:-]{1,128}$/.test(input)) throw badInput(field, `${field} has 1 to 128 letters, digits or . _ : -`);
  return input;
}

/** The path of the first string in `value` that PostgreSQL cannot store (it holds U+0000), or null. */
export function findNulString(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findNulString(item, `${path}.${i}`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const found = findNulString(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}
