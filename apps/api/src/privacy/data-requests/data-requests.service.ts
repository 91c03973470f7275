import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { PasswordHasher } from '../../accounts/password-hasher';
import { parseEmail } from '../../accounts/email.rules';
import { UserDirectory } from '../../accounts/user-directory.service';
import type { Clock } from '../../common/clock';
import { badInput, conflict, notFound } from '../../common/errors/app-error';
import type { Connection, PageArgs } from '../../common/pagination/connection.types';
import { keysetPage } from '../../common/pagination/keyset-page';
import { CLOCK, DATA_SOURCE } from '../../common/tokens';
import { isUuid } from '../../common/uuid';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';
import { UserEntity } from '../../accounts/entities/user.entity';
import { PersonalDataService } from '../../crypto/personal-data.service';
import { mailTemplates } from '../../mail/mail-templates';
import { MailOutbox } from '../../mail/mail-outbox.service';
import { QueueService } from '../../queue/queue.service';
import { RequestLimits } from '../../rate-limit/request-limits.service';
import { TeamsPersonalData } from '../../teams/teams.personal-data';
import { AuditAction } from '../audit/audit-actions';
import { AuditActors, AuditLogService } from '../audit/audit-log.service';
import { DATA_REQUEST_DUE_DAYS, DataRequestKind, DataRequestOrigin, DataRequestStatus } from './data-request-states';
import { DataRequestStore } from './data-request.store';
import { alreadyOpen, lastOwner, notCancelable, wrongPassword } from './data-requests.errors';
import { DataRequestEntity } from './entities/data-request.entity';

const DAY_MS = 86_400_000;
export const MAX_NOTE_LENGTH = 1000;
export const MAX_REASON_LENGTH = 500;

/** Where a person follows their requests (mails link here, never to a bearer download link). */
export const privacyPageUrl = (config: ApiConfig) => `${config.PUBLIC_URL}/privacy`;

/**
 * The lifecycle of data-subject requests, up to their execution (DataRequestExecutor):
 * self-service export and deletion, cancelation during a deletion's grace period, and the
 * platform admins' console (open one for someone who asked by mail, approve, reject).
 */
@Injectable()
export class DataRequestsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: DataRequestStore,
    private readonly audit: AuditLogService,
    private readonly queue: QueueService,
    private readonly users: UserDirectory,
    private readonly personalData: PersonalDataService,
    private readonly teams: TeamsPersonalData,
    private readonly hasher: PasswordHasher,
    private readonly limits: RequestLimits,
    private readonly outbox: MailOutbox,
  ) {}

  /** Self-service export: approved by the system at once and queued. */
  async requestExport(userId: string): Promise<DataRequestEntity> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.insert(manager, { kind: DataRequestKind.EXPORT, userId, requestedBy: userId, origin: 'SELF_SERVICE' });
      return this.approveNow(manager, row, 0);
    });
  }

  /**
   * Self-service deletion, confirmed with the password. Executed by the worker after
   * DELETION_GRACE_DAYS (0: at once); meanwhile the user may cancel it.
   */
  async requestDeletion(userId: string, password: string, ip: string): Promise<DataRequestEntity> {
    await this.limits.perClient('account-deletion', ip);
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOne({ where: { id: userId }, select: { id: true, passwordHash: true } });
    if (!(await this.hasher.verifyOrWaste(user?.passwordHash, password.slice(0, 1024))) || !user) throw wrongPassword();
    const row = await this.dataSource.transaction(async (manager) => {
      const teamIds = await this.teams.lastOwnerTeamIds(userId, manager);
      if (teamIds.length) throw lastOwner(teamIds);
      const created = await this.insert(manager, { kind: DataRequestKind.DELETION, userId, requestedBy: userId, origin: 'SELF_SERVICE' });
      return this.approveNow(manager, created, this.config.DELETION_GRACE_DAYS * DAY_MS);
    });
    if (this.config.DELETION_GRACE_DAYS > 0 && row.executeAfter) {
      const email = await this.users.emailOf(userId);
      if (email)
        this.outbox.enqueue(
          mailTemplates.accountDeletionScheduled(email, row.executeAfter, privacyPageUrl(this.config)),
          'deletion-scheduled',
        );
    }
    return row;
  }

  /** The user cancels their own deletion before it starts (NOT_FOUND for anyone else's request). */
  async cancelDeletion(userId: string, id: string): Promise<DataRequestEntity> {
    const row = await this.ownRequestOrThrow(userId, id);
    if (row.kind !== DataRequestKind.DELETION) throw notCancelable();
    return this.dataSource.transaction((manager) =>
      this.store.transition(manager, id, {
        from: [DataRequestStatus.PENDING, DataRequestStatus.APPROVED],
        to: DataRequestStatus.CANCELED,
        set: { canceled_at: this.clock.now(), waiting_reason: null, waiting_hold_id: null, waiting_reference: null },
        verb: 'canceled',
        audit: { action: AuditAction.DATA_REQUEST_CANCELED, actor: AuditActors.user(userId) },
      }),
    );
  }

  /** The caller's own requests, newest first. */
  mine(userId: string, args: PageArgs): Promise<Connection<DataRequestEntity>> {
    const query = this.dataSource.getRepository(DataRequestEntity).createQueryBuilder('r').where('r.subject_user_id = :userId', { userId });
    return keysetPage(
      query,
      args,
      { createdAt: 'r.created_at', id: 'r.id' },
      (r) => r,
      (r) => r,
      'DESC',
    );
  }

  async ownRequestOrThrow(userId: string, id: string): Promise<DataRequestEntity> {
    const row = isUuid(id) ? await this.store.find(id) : null;
    if (!row || row.subjectUserId !== userId) throw notFound('DataRequest');
    return row;
  }

  // --- platform admins ---

  /** Every request (optionally in one status), newest first. */
  list(status: DataRequestStatus | undefined, args: PageArgs): Promise<Connection<DataRequestEntity>> {
    const query = this.dataSource.getRepository(DataRequestEntity).createQueryBuilder('r');
    if (status) query.where('r.status = :status', { status });
    return keysetPage(
      query,
      args,
      { createdAt: 'r.created_at', id: 'r.id' },
      (r) => r,
      (r) => r,
      'DESC',
    );
  }

  async get(id: string): Promise<DataRequestEntity> {
    if (!isUuid(id)) throw notFound('DataRequest');
    return this.store.findOrThrow(id);
  }

  /** A request an admin opens for someone who asked by mail: PENDING until approved. */
  async create(adminId: string, input: { email: string; kind: DataRequestKind; note?: string | null }): Promise<DataRequestEntity> {
    const email = parseEmail(input.email);
    const note = input.note?.trim() || null;
    if (note && note.length > MAX_NOTE_LENGTH) throw badInput('note', `The note is at most ${MAX_NOTE_LENGTH} characters.`);
    const userId = await this.users.findIdByEmail(email);
    if (!userId) throw notFound('User');
    return this.dataSource.transaction((manager) =>
      this.insert(manager, { kind: input.kind, userId, requestedBy: adminId, origin: 'ADMIN', note }),
    );
  }

  /**
   * PENDING → APPROVED, or FAILED → APPROVED to run a failed request again once its cause is dealt with
   * (say, the last owner of a shared team handed it over): it keeps its due date, which counts from when
   * the person asked, and gets DATA_REQUEST_MAX_ATTEMPTS attempts again. CONFLICT when the person
   * meanwhile has another open request of that kind.
   */
  async approve(adminId: string, id: string): Promise<DataRequestEntity> {
    await this.get(id);
    const now = this.clock.now();
    try {
      return await this.dataSource.transaction(async (manager) => {
        const row = await this.store.transition(manager, id, {
          from: [DataRequestStatus.PENDING, DataRequestStatus.FAILED],
          to: DataRequestStatus.APPROVED,
          set: { approved_at: now, approved_by_user_id: adminId, execute_after: now, queued_at: now, error_code: null, attempts: 0 },
          verb: 'approved',
          audit: { action: AuditAction.DATA_REQUEST_APPROVED, actor: AuditActors.user(adminId) },
        });
        await this.queue.send(manager, 'data-request', { requestId: id });
        return row;
      });
    } catch (error) {
      // The partial unique index: one open request of a kind per person.
      if ((error as { code?: string }).code === '23505')
        throw conflict('This person has another open request of this kind: approve or reject that one.');
      throw error;
    }
  }

  /**
   * PENDING → REJECTED; or FAILED → REJECTED, closing a failed request that will not run again (its subject
   * is gone, or the person withdrew it by mail): no longer overdue. The reason is audited and shown to the person.
   */
  async reject(adminId: string, id: string, rawReason: string): Promise<DataRequestEntity> {
    const reason = rawReason.trim();
    if (!reason || reason.length > MAX_REASON_LENGTH) throw badInput('reason', `Give a reason (1–${MAX_REASON_LENGTH} characters).`);
    await this.get(id);
    return this.dataSource.transaction((manager) =>
      this.store.transition(manager, id, {
        from: [DataRequestStatus.PENDING, DataRequestStatus.FAILED],
        to: DataRequestStatus.REJECTED,
        set: { rejected_at: this.clock.now(), rejected_by_user_id: adminId, rejection_reason: reason },
        verb: 'rejected',
        audit: { action: AuditAction.DATA_REQUEST_REJECTED, actor: AuditActors.user(adminId), reason },
      }),
    );
  }

  /** A PENDING row (audited CREATED); CONFLICT when the person already has an open request of that kind. */
  private async insert(
    manager: EntityManager,
    r: { kind: DataRequestKind; userId: string; requestedBy: string; origin: DataRequestOrigin; note?: string | null },
  ): Promise<DataRequestEntity> {
    const now = this.clock.now();
    const emailIndex = await this.users.emailIndexOf(r.userId, manager);
    if (!emailIndex) throw notFound('User');
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO data_requests (kind, status, origin, subject_user_id, subject_email_index, requested_by_user_id, note, created_at, due_at)
       VALUES ($1, 'PENDING', $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (subject_user_id, kind) WHERE status IN ('PENDING', 'APPROVED', 'EXECUTING') DO NOTHING
       RETURNING id`,
      [
        r.kind,
        r.origin,
        r.userId,
        emailIndex,
        r.requestedBy,
        r.note ?? null,
        now,
        new Date(now.getTime() + DATA_REQUEST_DUE_DAYS * DAY_MS),
      ],
    );
    if (!inserted.length) throw alreadyOpen(r.kind);
    const row = await this.store.findOrThrow(inserted[0].id, manager);
    await this.audit.record(
      {
        action: AuditAction.DATA_REQUEST_CREATED,
        actor: AuditActors.user(r.requestedBy),
        subjectUserId: r.userId,
        targetType: 'DATA_REQUEST',
        targetId: row.id,
        details: { kind: row.kind, origin: row.origin, status: row.status },
      },
      manager,
    );
    return row;
  }

  /** Self-service requests need no review: the system approves them, due after `delayMs`, and queues them when due now. */
  private async approveNow(manager: EntityManager, row: DataRequestEntity, delayMs: number): Promise<DataRequestEntity> {
    const now = this.clock.now();
    const executeAfter = new Date(now.getTime() + delayMs);
    const dueNow = delayMs <= 0;
    const approved = await this.store.transition(manager, row.id, {
      from: [DataRequestStatus.PENDING],
      to: DataRequestStatus.APPROVED,
      set: { approved_at: now, execute_after: executeAfter, queued_at: dueNow ? now : null },
      verb: 'approved',
      audit: {
        action: AuditAction.DATA_REQUEST_APPROVED,
        actor: AuditActors.system(),
        details: { executeAfter: executeAfter.toISOString() },
      },
    });
    if (dueNow) await this.queue.send(manager, 'data-request', { requestId: row.id });
    return approved;
  }
}
