import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that must never reach a log line. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'email',
  '*.email',
  'req.headers.cookie',
  'req.headers.authorization',
  'headers.cookie',
  'headers.authorization',
  'MASTER_KEY',
  '*.MASTER_KEY',
];

/**
 * Error fields that carry values rather than what went wrong: TypeORM's `parameters` (a
 * secret hash, an email index …), PostgreSQL's `detail` ("Key (x)=(value) already exists"),
 * and nodemailer's recipients (`rejected`, `rejectedErrors[].recipient`, `accepted`,
 * `pending`, `envelope`). Dropped at any depth; what went wrong (`code`, `responseCode`,
 * `command`) stays.
 */
const VALUE_FIELDS = new Set(['parameters', 'detail', 'rejected', 'rejectedErrors', 'accepted', 'pending', 'envelope', 'recipient']);

/**
 * Email addresses inside an error's text: an SMTP reply quotes the refused one ("550 <x@y>: user
 * unknown") in `response`, and nodemailer copies the reply into `message` and so `stack`. An
 * address in angle brackets (whatever its form), or a bare one with a dotted domain (bare, so a
 * stack frame's `node_modules/@scope` or `pkg@1.2.3` stays readable).
 */
const ADDRESSES = /<[^<>\s]*@[^<>\s]*>|(?<![\w.!#$%&'*+=?^`{|}~-])[\w.!#$%&'*+=?^`{|}~-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;
const MAX_DEPTH = 4;

/** `text` with every email address in it replaced (see ADDRESSES). */
export function withoutAddresses(text: string): string {
  return text.includes('@') ? text.replace(ADDRESSES, (m) => (m.startsWith('<') ? '<[address]>' : '[address]')) : text;
}

function withoutValues(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return withoutAddresses(value);
  if (!value || typeof value !== 'object') return value;
  // Deeper than this is not read, so it is not written either (it could hold any of the above).
  if (depth > MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) return value.map((v) => withoutValues(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !VALUE_FIELDS.has(k))
      .map(([k, v]) => [k, withoutValues(v, depth + 1)]),
  );
}

/**
 * Serializes `err` like pino does, without query parameters, values, recipients or email
 * addresses, at any depth (driverError, cause, rejectedErrors).
 */
export const errSerializer = (err: unknown) => withoutValues(err instanceof Error ? pino.stdSerializers.err(err) : err);

/** The process logger (JSON lines on stdout, or on `destination` when given — tests read them). */
export function createLogger(level: string, name = 'api', destination?: pino.DestinationStream): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: { err: errSerializer } }, destination);
}
