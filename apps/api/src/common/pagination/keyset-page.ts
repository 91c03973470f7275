import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from '../errors/app-error';
import { isUuid } from '../uuid';
import type { Connection, PageArgs } from './connection.types';

/** Rows a connection returns when `first` is not given (the query limits charge this page size too). */
export const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

interface Cursor {
  t: string;
  id: string;
}

/** Exactly what encodeCursor writes (years 0001–9999, which PostgreSQL's timestamptz accepts too). */
const CURSOR_TIME = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Only cursors this server could have written pass; anything else is BAD_USER_INPUT and never reaches SQL. */
function decodeCursor(after: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as Cursor;
    if (
      typeof cursor.t === 'string' &&
      typeof cursor.id === 'string' &&
      isUuid(cursor.id) &&
      CURSOR_TIME.test(cursor.t) &&
      new Date(cursor.t).toISOString() === cursor.t
    ) {
      return cursor;
    }
  } catch {
    // fall through
  }
  throw badInput('after', 'The cursor is not valid.');
}

const encodeCursor = (createdAt: Date, id: string) => Buffer.from(JSON.stringify({ t: createdAt.toISOString(), id })).toString('base64url');

/**
 * One page of a query ordered by (createdAt, id), using keyset pagination.
 * `createdAtColumn`/`idColumn` are SQL expressions (e.g. "m.created_at", "m.user_id").
 * `direction` DESC: newest first (the cursor then moves towards older rows).
 */
export async function keysetPage<E extends ObjectLiteral, T>(
  query: SelectQueryBuilder<E>,
  args: PageArgs,
  columns: { createdAt: string; id: string },
  key: (row: E) => { createdAt: Date; id: string },
  toNode: (row: E) => T,
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<Connection<T>> {
  // Cursors carry milliseconds (JavaScript Dates); order and compare on the same precision.
  const createdAt = `date_trunc('milliseconds', ${columns.createdAt})`;
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput('first', `first must be between 1 and ${MAX_PAGE}.`);
  if (args.after) {
    const cursor = decodeCursor(args.after);
    const after = direction === 'ASC' ? '>' : '<';
    query.andWhere(`(${createdAt}, ${columns.id}) ${after} (:cursorT::timestamptz, :cursorId::uuid)`, {
      cursorT: cursor.t,
      cursorId: cursor.id,
    });
  }
  const rows = await query
    .orderBy(createdAt, direction)
    .addOrderBy(columns.id, direction)
    .limit(first + 1)
    .getMany();
  const page = rows.slice(0, first);
  const edges = page.map((row) => {
    const k = key(row);
    return { node: toNode(row), cursor: encodeCursor(k.createdAt, k.id) };
  });
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
