import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { parseEmail } from '../../accounts/email.rules';
import { UserDirectory } from '../../accounts/user-directory.service';
import { badInput } from '../../common/errors/app-error';
import type { Connection, PageArgs } from '../../common/pagination/connection.types';
import { DEFAULT_PAGE } from '../../common/pagination/keyset-page';
import { DATA_SOURCE } from '../../common/tokens';
import { isUuid } from '../../common/uuid';
import { PLATFORM_ONLY_AUDIT_ACTIONS, PLATFORM_ONLY_DETAIL_KEYS, PLATFORM_ONLY_TARGET_TYPES } from './audit-actions';
import { AUDIT_CURSOR_TIME_SQL, decodeAuditCursor, encodeAuditCursor } from './audit-cursor';
import type { AuditEntryOutput } from './dto/audit-entry.output';
import type { AuditLogFilter } from './dto/audit-log.inputs';

const MAX_PAGE = 100;

/** The columns every read selects, named as AuditEntryOutput names them. */
const COLUMNS = `id, occurred_at AS "occurredAt", action, actor_kind AS "actorKind", actor_user_id AS "actorUserId",
  actor_api_key_id AS "actorApiKeyId", team_id AS "teamId", subject_user_id AS "subjectUserId", target_type AS "targetType",
  target_id AS "targetId", reason, details`;

interface AuditRow extends AuditEntryOutput {
  cursorTime: string;
}

/** WHERE conditions with their positional parameters. */
class Conditions {
  readonly sql: string[] = [];
  readonly params: unknown[] = [];

  add(condition: (p: (value: unknown) => string) => string): void {
    this.sql.push(condition((value) => `$${this.params.push(value)}`));
  }
}

/** The condition that keeps legal holds out of what is shown outside platformAuditLog (see PLATFORM_ONLY_AUDIT_ACTIONS). */
const notPlatformOnly = (p: (value: unknown) => string): string =>
  `action <> ALL(${p(PLATFORM_ONLY_AUDIT_ACTIONS)}::text[]) AND (target_type IS NULL OR target_type <> ALL(${p(PLATFORM_ONLY_TARGET_TYPES)}::text[]))`;

/** An entry as shown outside platformAuditLog: without the details that name a hold. */
const withoutPlatformOnlyDetails = <T extends AuditEntryOutput>(entry: T): T => {
  const details = { ...(entry.details ?? {}) };
  for (const key of PLATFORM_ONLY_DETAIL_KEYS) delete details[key];
  return { ...entry, details };
};

const uuidFilter = (value: string, field: string): string => {
  if (!isUuid(value)) throw badInput(field, 'This is not a valid id.');
  return value;
};

/** Reads the audit log: a team's entries for its owners and admins, and every entry for platform admins. Newest first. */
@Injectable()
export class AuditLogQueryService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly users: UserDirectory,
  ) {}

  /** The team's entries (the caller's access to the team is checked by the resolver), legal holds left out. */
  forTeam(teamId: string, args: PageArgs): Promise<Connection<AuditEntryOutput>> {
    const where = new Conditions();
    where.add((p) => `team_id = ${p(teamId)}`);
    where.add(notPlatformOnly);
    return this.page(where, args, false, withoutPlatformOnlyDetails);
  }

  /** Every entry matching the filter. An email is looked up through its blind index; one with no account matches nothing. */
  async forPlatform(args: PageArgs, filter: AuditLogFilter = {}): Promise<Connection<AuditEntryOutput>> {
    const where = new Conditions();
    const { action, teamId, actorId } = filter;
    if (action) where.add((p) => `action = ${p(action)}`);
    if (teamId) where.add((p) => `team_id = ${p(uuidFilter(teamId, 'filter.teamId'))}`);
    if (actorId) where.add((p) => `actor_user_id = ${p(uuidFilter(actorId, 'filter.actorId'))}`);
    if (filter.from && filter.to && filter.from.getTime() > filter.to.getTime())
      throw badInput('filter.to', '`to` cannot be before `from`.');
    if (filter.from) where.add((p) => `occurred_at >= ${p(filter.from)}`);
    if (filter.to) where.add((p) => `occurred_at < ${p(filter.to)}`);
    if (filter.email !== undefined && filter.email !== null) {
      const userId = await this.users.findIdByEmail(parseEmail(filter.email, 'filter.email'));
      if (!userId) return this.page(where, args, true);
      where.add((p) => {
        const id = p(userId);
        return `(actor_user_id = ${id} OR subject_user_id = ${id})`;
      });
    }
    return this.page(where, args);
  }

  /** Every entry where the user acted or is the subject (their data export), oldest first; legal holds left out. */
  async aboutUser(userId: string): Promise<AuditEntryOutput[]> {
    const where = new Conditions();
    where.add((p) => `(actor_user_id = ${p(userId)} OR subject_user_id = ${p(userId)})`);
    where.add(notPlatformOnly);
    const rows: AuditEntryOutput[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM audit_log WHERE ${where.sql.join(' AND ')} ORDER BY occurred_at, id`,
      where.params,
    );
    return rows.map(withoutPlatformOnlyDetails);
  }

  private async page(
    where: Conditions,
    args: PageArgs,
    matchesNothing = false,
    view: (entry: AuditEntryOutput) => AuditEntryOutput = (entry) => entry,
  ): Promise<Connection<AuditEntryOutput>> {
    const first = args.first ?? DEFAULT_PAGE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput('first', `first must be between 1 and ${MAX_PAGE}.`);
    if (args.after) {
      const cursor = decodeAuditCursor(args.after);
      where.add((p) => `(occurred_at, id) < (${p(cursor.t)}::timestamp AT TIME ZONE 'UTC', ${p(cursor.id)}::uuid)`);
    }
    if (matchesNothing) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, ${AUDIT_CURSOR_TIME_SQL} AS "cursorTime" FROM audit_log
        ${where.sql.length ? `WHERE ${where.sql.join(' AND ')}` : ''}
        ORDER BY occurred_at DESC, id DESC LIMIT ${first + 1}`,
      where.params,
    );
    const edges = rows.slice(0, first).map(({ cursorTime, ...node }) => ({
      node: view(node as AuditEntryOutput),
      cursor: encodeAuditCursor({ t: cursorTime, id: node.id }),
    }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
