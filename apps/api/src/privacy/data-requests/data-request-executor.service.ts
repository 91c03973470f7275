import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { UserDirectory } from '../../accounts/user-directory.service';
import type { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import type { Logger } from '../../common/logger';
import { CLOCK, DATA_SOURCE, LOGGER } from '../../common/tokens';
import { API_CONFIG, type ApiConfig } from '../../config/api.config';
import { mailTemplates } from '../../mail/mail-templates';
import { MailOutbox } from '../../mail/mail-outbox.service';
import type { QueueOutcome } from '../../queue/queues';
import { AuditAction } from '../audit/audit-actions';
import { AuditActors } from '../audit/audit-log.service';
import { LegalHoldsService, type ActiveHold } from '../legal-holds/legal-holds.service';
import type { DataSubject } from '../personal-data/personal-data.registry';
import { SubjectDataService } from '../personal-data/subject-data.service';
import { DataRequestKind, DataRequestStatus, DataRequestWaitingReason } from './data-request-states';
import { DataRequestStore, SqlExpression } from './data-request.store';
import { privacyPageUrl } from './data-requests.service';
import type { DataRequestEntity } from './entities/data-request.entity';
import { ExportArchiveService } from './export-archive.service';

/** An EXECUTING request without a sign of life for this long is taken over (its worker died). */
export const STALE_EXECUTION_MS = 15 * 60_000;
/** How often a worker holding a request says it is alive, whatever it is doing (a long archive upload writes no progress). */
export const HEARTBEAT_MS = STALE_EXECUTION_MS / 5;

type Outcome = QueueOutcome & { kind: 'succeeded' | 'skipped' | 'waiting' | 'failed' | 'retry' };

/**
 * The `data-request` queue's handler: runs one APPROVED, due request. Anything else (pending,
 * rejected, canceled, completed, not yet due) is skipped, so a message sent for a rejected
 * request does nothing. A deletion under a legal hold stays APPROVED and says why it waits
 * (the sweep queues it again once the hold is released). Progress is written outside the
 * erasure's transaction, so admins see it while it runs.
 */
@Injectable()
export class DataRequestExecutor {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly store: DataRequestStore,
    private readonly subjects: SubjectDataService,
    private readonly holds: LegalHoldsService,
    private readonly archives: ExportArchiveService,
    private readonly users: UserDirectory,
    private readonly outbox: MailOutbox,
  ) {}

  async handle(requestId: string, attempt = 1): Promise<Outcome> {
    const row = await this.store.find(requestId);
    if (!row) return { kind: 'skipped', reason: 'no such request' };
    if (row.kind === DataRequestKind.DELETION && row.status === DataRequestStatus.APPROVED && row.subjectUserId) {
      const hold = await this.holds.holdOnUser(row.subjectUserId);
      if (hold) return this.wait(row, hold);
    }
    const claimed = await this.claim(row.id);
    if (!claimed) return { kind: 'skipped', reason: `the request is ${row.status}, or not due yet` };
    const heartbeat = setInterval(() => void this.beat(claimed), HEARTBEAT_MS);
    heartbeat.unref();
    try {
      return await this.run(claimed, requestId, attempt);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Runs a request this worker claimed: the export or the erasure, with its failure, retry and legal-hold paths. */
  private async run(claimed: DataRequestEntity, requestId: string, attempt: number): Promise<Outcome> {
    try {
      const subject = claimed.subjectUserId ? await this.subjects.resolveSubject(claimed.subjectUserId) : null;
      if (!subject) return this.subjectGone(claimed);
      return claimed.kind === DataRequestKind.EXPORT ? await this.export(claimed, subject) : await this.erase(claimed, subject);
    } catch (error) {
      if (error instanceof AppError && error.details.reason === 'LEGAL_HOLD' && claimed.subjectUserId) {
        const hold = await this.holds.holdOnUser(claimed.subjectUserId);
        await this.release(claimed);
        return hold ? this.wait({ ...claimed, status: DataRequestStatus.APPROVED }, hold) : { kind: 'retry', reason: 'hold released' };
      }
      if (error instanceof AppError && error.details.reason === 'LAST_OWNER') return this.fail(claimed, 'LAST_OWNER');
      this.logger.error({ err: error, requestId, attempt }, 'a data request failed');
      if (claimed.attempts < this.config.DATA_REQUEST_MAX_ATTEMPTS) {
        await this.release(claimed, 'INTERNAL');
        return { kind: 'retry', reason: 'unexpected error' };
      }
      return this.fail(claimed, 'INTERNAL');
    }
  }

  private async export(row: DataRequestEntity, subject: DataSubject): Promise<Outcome> {
    const progress = this.progressWriter(row);
    const collected = await this.subjects.collectExport(subject, (done, total, source) =>
      progress(0.8 * (done / total), `export:${source}`),
    );
    await progress.flush();
    progress(0.9, 'archive');
    // Under this claim's own key: a worker taken for dead never touches the archive of the one that took over.
    if (!row.claimId) throw new Error('an export is written only under a claim');
    const archive = await this.archives.write(
      { userId: subject.userId, requestId: row.id, claimId: row.claimId },
      collected,
      this.clock.now(),
    );
    await progress.flush();
    const completedAt = this.clock.now();
    const expiresAt = new Date(completedAt.getTime() + this.config.EXPORT_TTL_HOURS * 3_600_000);
    const receipt = {
      counts: archive.counts,
      startedAt: (row.startedAt ?? completedAt).toISOString(),
      completedAt: completedAt.toISOString(),
    };
    try {
      await this.complete(row, { receipt, export_blob_key: archive.key, export_expires_at: expiresAt }, archive.counts);
    } catch (error) {
      // Not completed (taken over, or the database failed): this attempt's archive is never orphaned.
      await this.archives.delete(archive.key).catch((deleteError: unknown) => {
        this.logger.error({ err: deleteError, requestId: row.id }, 'could not delete the archive of an export not completed');
      });
      throw error;
    }
    const email = await this.users.emailOf(subject.userId);
    if (email) this.outbox.enqueue(mailTemplates.dataExportReady(email, privacyPageUrl(this.config), expiresAt), 'data-export-ready');
    return { kind: 'succeeded' };
  }

  private async erase(row: DataRequestEntity, subject: DataSubject): Promise<Outcome> {
    const progress = this.progressWriter(row);
    const receipt = await this.subjects.erase(subject, (done, total, source) => progress(0.95 * (done / total), `erase:${source}`));
    await progress.flush();
    await this.complete(
      row,
      {
        receipt: { counts: receipt.counts, startedAt: receipt.startedAt.toISOString(), completedAt: receipt.completedAt.toISOString() },
        subject_email_index: null,
        note: null,
      },
      receipt.counts,
    );
    return { kind: 'succeeded' };
  }

  /**
   * The subject's account no longer exists. A DELETION claimed before (attempts > 1: a worker died,
   * or complete() failed, after the erasure committed — the account's FK then cleared
   * subject_user_id) is done: COMPLETED with a minimal receipt (`account.alreadyErased: 1`; the
   * first attempt's counts died with its worker), audited. On its first attempt, or for an export,
   * it is FAILED with SUBJECT_GONE.
   */
  private async subjectGone(row: DataRequestEntity): Promise<Outcome> {
    if (row.kind !== DataRequestKind.DELETION || row.attempts <= 1) return this.fail(row, 'SUBJECT_GONE');
    const completedAt = this.clock.now();
    const counts = { 'account.alreadyErased': 1 };
    const receipt = { counts, startedAt: (row.startedAt ?? completedAt).toISOString(), completedAt: completedAt.toISOString() };
    await this.complete(row, { receipt, subject_email_index: null, note: null }, counts);
    return { kind: 'succeeded' };
  }

  /** APPROVED and due (or EXECUTING with a dead worker) → EXECUTING, audited; null when not runnable. */
  private claim(id: string): Promise<DataRequestEntity | null> {
    const now = this.clock.now();
    return this.dataSource.transaction((manager) =>
      this.store.tryTransition(manager, id, {
        from: [DataRequestStatus.APPROVED, DataRequestStatus.EXECUTING],
        to: DataRequestStatus.EXECUTING,
        set: {
          started_at: now,
          heartbeat_at: now,
          attempts: new SqlExpression('attempts + 1'),
          claim_id: new SqlExpression('gen_random_uuid()'),
          progress: 0,
          step: 'started',
          waiting_reason: null,
          waiting_hold_id: null,
          waiting_reference: null,
        },
        verb: 'executed',
        where: (p) =>
          `AND ((status = 'APPROVED' AND execute_after <= ${p(now)}) OR (status = 'EXECUTING' AND heartbeat_at < ${p(new Date(now.getTime() - STALE_EXECUTION_MS))}))`,
        audit: { action: AuditAction.DATA_REQUEST_EXECUTING, actor: AuditActors.system() },
      }),
    );
  }

  /** Records (once per hold) that a deletion waits for a legal hold; nothing is deleted. */
  private async wait(row: DataRequestEntity, hold: ActiveHold): Promise<Outcome> {
    if (row.waitingHoldId !== hold.id) {
      await this.dataSource.transaction((manager) =>
        this.store.tryTransition(manager, row.id, {
          from: [DataRequestStatus.APPROVED],
          to: DataRequestStatus.APPROVED,
          set: { waiting_reason: DataRequestWaitingReason.LEGAL_HOLD, waiting_hold_id: hold.id, waiting_reference: hold.reference },
          verb: 'paused',
          audit: {
            action: AuditAction.DATA_REQUEST_WAITING,
            actor: AuditActors.system(),
            details: { waitingReason: DataRequestWaitingReason.LEGAL_HOLD, holdId: hold.id },
          },
        }),
      );
    }
    return { kind: 'waiting', reason: 'legal hold' };
  }

  /**
   * Every change a worker makes to the request it claimed holds only while it still holds it: EXECUTING
   * with its claim's id (a worker taken for dead and taken over changes nothing after, even once the
   * attempts count starts over).
   */
  private static held = (row: DataRequestEntity) => (p: (value: unknown) => string) => `AND claim_id = ${p(row.claimId)}`;

  /** The sign of life of a worker holding `row` (HEARTBEAT_MS), so it is never taken for dead while it works. */
  private async beat(row: DataRequestEntity): Promise<void> {
    try {
      await this.dataSource.query(`UPDATE data_requests SET heartbeat_at = $2 WHERE id = $1 AND status = 'EXECUTING' AND claim_id = $3`, [
        row.id,
        this.clock.now(),
        row.claimId,
      ]);
    } catch (error) {
      this.logger.warn({ err: error, requestId: row.id }, 'could not write a data request’s heartbeat');
    }
  }

  /** Back to APPROVED between attempts (not audited: the next EXECUTING entry is). */
  private async release(row: DataRequestEntity, errorCode: string | null = null): Promise<void> {
    await this.dataSource.query(
      `UPDATE data_requests SET status = 'APPROVED', error_code = $2, queued_at = $3, step = NULL
       WHERE id = $1 AND status = 'EXECUTING' AND claim_id = $4`,
      [row.id, errorCode, this.clock.now(), row.claimId],
    );
  }

  private async complete(row: DataRequestEntity, set: Record<string, unknown>, counts: Record<string, number>): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.store.transition(manager, row.id, {
        from: [DataRequestStatus.EXECUTING],
        to: DataRequestStatus.COMPLETED,
        set: { ...set, completed_at: this.clock.now(), progress: 1, step: 'done', error_code: null },
        where: DataRequestExecutor.held(row),
        verb: 'completed',
        audit: { action: AuditAction.DATA_REQUEST_COMPLETED, actor: AuditActors.system(), details: { counts } },
      }),
    );
  }

  /** EXECUTING → FAILED, audited, while this worker still holds the request (an export's archive is gone by then: export()). */
  private async fail(row: DataRequestEntity, errorCode: string): Promise<Outcome> {
    const failed = await this.dataSource.transaction((manager) =>
      this.store.tryTransition(manager, row.id, {
        from: [DataRequestStatus.EXECUTING],
        to: DataRequestStatus.FAILED,
        set: { error_code: errorCode, step: null },
        where: DataRequestExecutor.held(row),
        verb: 'failed',
        audit: { action: AuditAction.DATA_REQUEST_FAILED, actor: AuditActors.system(), details: { errorCode } },
      }),
    );
    if (!failed) return { kind: 'skipped', reason: 'another worker took the request over' };
    // The person is told (their scheduled deletion did not happen, or no archive comes), unless they are gone.
    const email = row.subjectUserId && errorCode !== 'SUBJECT_GONE' ? await this.users.emailOf(row.subjectUserId) : null;
    if (email)
      this.outbox.enqueue(
        mailTemplates.dataRequestFailed(email, row.kind, errorCode === 'LAST_OWNER', privacyPageUrl(this.config)),
        'data-request-failed',
      );
    return { kind: 'failed', reason: errorCode };
  }

  /** Progress and step, written one at a time on their own connection (never inside the erasure's transaction). */
  private progressWriter(row: DataRequestEntity) {
    let chain = Promise.resolve();
    const write = (progress: number, step: string) => {
      chain = chain
        .then(() =>
          this.dataSource.query(
            `UPDATE data_requests SET progress = $2, step = $3, heartbeat_at = $4 WHERE id = $1 AND status = 'EXECUTING' AND claim_id = $5`,
            [row.id, Math.min(1, progress), step, this.clock.now(), row.claimId],
          ),
        )
        .then(
          () => undefined,
          (error: unknown) => this.logger.warn({ err: error, requestId: row.id }, 'could not write a data request’s progress'),
        );
    };
    return Object.assign(write, { flush: () => chain });
  }
}
