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
 * secret hash, an email index …) and PostgreSQL's `detail` ("Key (x)=(value) already exists").
 */
const VALUE_FIELDS = new Set(['parameters', 'detail']);

function withoutValues(value: unknown, depth = 0): unknown {
  if (!value || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.map((v) => withoutValues(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !VALUE_FIELDS.has(k))
      .map(([k, v]) => [k, withoutValues(v, depth + 1)]),
  );
}

/** Serializes `err` like pino does, without query parameters or values, at any depth (driverError, cause). */
export const errSerializer = (err: unknown) => withoutValues(err instanceof Error ? pino.stdSerializers.err(err) : err);

/** The process logger (JSON lines on stdout, or on `destination` when given — tests read them). */
export function createLogger(level: string, name = 'api', destination?: pino.DestinationStream): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: { err: errSerializer } }, destination);
}
