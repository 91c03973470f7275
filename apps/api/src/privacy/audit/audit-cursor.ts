import { badInput } from '../../common/errors/app-error';
import { isUuid } from '../../common/uuid';

/**
 * Keyset cursors of the audit log, newest first. Unlike the common cursors (milliseconds), they
 * carry `occurred_at` to the microsecond as PostgreSQL stores it, so pages compare the raw column
 * and the (team_id, occurred_at) and (occurred_at) indexes serve them.
 */
export interface AuditCursor {
  /** UTC, `YYYY-MM-DDTHH:MM:SS.ffffff` (what AUDIT_CURSOR_TIME_SQL selects). */
  t: string;
  id: string;
}

/** The SQL expression a row's cursor time is read with. */
export const AUDIT_CURSOR_TIME_SQL = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

const CURSOR_TIME = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

export const encodeAuditCursor = (cursor: AuditCursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** Only cursors this server could have written pass; anything else is BAD_USER_INPUT (field `after`) and never reaches SQL. */
export function decodeAuditCursor(after: string): AuditCursor {
  try {
    const cursor = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as AuditCursor;
    if (typeof cursor.t === 'string' && typeof cursor.id === 'string' && isUuid(cursor.id) && CURSOR_TIME.test(cursor.t)) {
      const millis = cursor.t.slice(0, 23);
      const date = new Date(`${millis}Z`);
      if (!Number.isNaN(date.getTime()) && date.toISOString().slice(0, 23) === millis) return { t: cursor.t, id: cursor.id };
    }
  } catch {
    // fall through
  }
  throw badInput('after', 'The cursor is not valid.');
}
