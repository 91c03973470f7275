import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { UserDirectory } from '../../accounts/user-directory.service';
import type { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-codes';
import type { Logger } from '../../common/logger';
import { CLOCK, DATA_SOURCE, LOGGER } from '../../common/tokens';
import { TeamsPersonalData } from '../../teams/teams.personal-data';
import { LegalHoldsService } from '../legal-holds/legal-holds.service';
import { PersonalDataRegistry, type DataSubject, type ExportFile } from './personal-data.registry';

/** What an executed deletion removed, without personal data: counts by `<source>.<kind>`, and when. */
export interface DeletionReceipt {
  counts: Record<string, number>;
  startedAt: Date;
  completedAt: Date;
}

export type SubjectProgress = (done: number, total: number, source: string) => void;

/**
 * What must still hold for an erasure chosen ahead of time (e.g. by a sweep's candidate query),
 * checked inside the erasure's transaction after the subject is locked: false keeps the subject.
 */
export type ErasurePrecondition = (subject: DataSubject, manager: EntityManager) => Promise<boolean>;

/**
 * Exports and erases one person across every domain, through the sources each domain
 * registered in PersonalDataRegistry (only a domain's own code touches its tables).
 * Erasure is ONE transaction over every source (in erase order): it commits whole or not at all;
 * what cannot be transactional (blob deletes, Stripe) runs after the commit.
 */
@Injectable()
export class SubjectDataService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly registry: PersonalDataRegistry,
    private readonly users: UserDirectory,
    private readonly teams: TeamsPersonalData,
    private readonly holds: LegalHoldsService,
  ) {}

  /** The subject for a user id, or null when there is no such user (already deleted). */
  async resolveSubject(userId: string): Promise<DataSubject | null> {
    const emailIndex = await this.users.emailIndexOf(userId);
    if (!emailIndex) return null;
    return { userId, emailIndex, personalTeamIds: await this.teams.teamsErasedWith(userId) };
  }

  /** Every source's export section (by source name) and the files (images) to put in the archive. */
  async collectExport(
    subject: DataSubject,
    onProgress?: SubjectProgress,
  ): Promise<{ sections: Record<string, unknown>; files: ExportFile[] }> {
    const sources = this.registry.sources().filter((s) => s.exportFor);
    const sections: Record<string, unknown> = {};
    const files: ExportFile[] = [];
    let done = 0;
    for (const source of sources) {
      if (!source.exportFor) continue;
      const section = await source.exportFor(subject);
      sections[source.name] = section.data;
      files.push(...(section.files ?? []));
      onProgress?.(++done, sources.length, source.name);
    }
    return { sections, files };
  }

  /**
   * Throws what would stop `erase` before any work: CONFLICT LAST_OWNER (teamIds: teams with other
   * members where the user is the only owner) or CONFLICT LEGAL_HOLD. For request-time checks.
   */
  async assertErasable(subject: DataSubject): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const hold = await this.holds.holdOnUser(subject.userId, manager, subject.personalTeamIds);
      if (hold) throw legalHold(hold.id);
      const teamIds = await this.teams.lastOwnerTeamIds(subject.userId, manager);
      if (teamIds.length) throw lastOwner(teamIds);
    });
  }

  /**
   * Erases the subject everywhere: ONE transaction over every source's erase (eraseOrder), then each
   * source's afterCommit work (blob deletes, Stripe). Throws AppError CONFLICT with details
   * { reason: 'LAST_OWNER', teamIds } when the user is the last OWNER of a team that has other
   * members, or { reason: 'LEGAL_HOLD', holdId } under an active legal hold (on the user or on any
   * team erased with them); nothing changes then. The teams erased are resolved again under the locks
   * (`subject.personalTeamIds` may be stale): a team someone joined meanwhile is left, not erased.
   * `precondition` (for an erasure picked by an earlier read, such as the unverified-account sweep)
   * is checked again under the locks: when it no longer holds (they verified meanwhile), nothing
   * changes and AppError CONFLICT { reason: 'PRECONDITION' } is thrown.
   */
  async erase(subject: DataSubject, onProgress?: SubjectProgress, precondition?: ErasurePrecondition): Promise<DeletionReceipt> {
    const startedAt = this.clock.now();
    const sources = this.registry.sources().filter((s) => s.erase);
    const counts: Record<string, number> = {};
    const afterCommit: { source: string; run: () => Promise<void> }[] = [];
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.lockSubject(subject, manager);
      if (precondition && !(await precondition(locked, manager))) throw preconditionFailed();
      const hold = await this.holds.holdOnUser(locked.userId, manager, locked.personalTeamIds);
      if (hold) throw legalHold(hold.id);
      const teamIds = await this.teams.lastOwnerTeamIds(locked.userId, manager);
      if (teamIds.length) throw lastOwner(teamIds);
      let done = 0;
      for (const source of sources) {
        if (!source.erase) continue;
        const outcome = await source.erase(locked, manager);
        for (const [kind, n] of Object.entries(outcome.counts)) counts[`${source.name}.${kind}`] = n;
        if (outcome.afterCommit) afterCommit.push({ source: source.name, run: outcome.afterCommit });
        onProgress?.(++done, sources.length, source.name);
      }
    });
    // Committed: the data is gone and the data keys shredded. What follows only removes unreadable
    // leftovers; a failure is logged and counted, never undoes the receipt.
    let failures = 0;
    for (const work of afterCommit) {
      try {
        await work.run();
      } catch (error) {
        failures += 1;
        this.logger.error({ err: error, source: work.source }, 'clean-up after an erasure failed');
      }
    }
    if (failures) counts['cleanup.failed'] = failures;
    return { counts, startedAt, completedAt: this.clock.now() };
  }

  /**
   * Locks what a concurrent change to the subject would touch, before anything is read: their teams
   * (with the invitations into them) and then their user row, FOR UPDATE. A hold being placed on
   * them or on one of those teams (placeLegalHold key-locks the subject row) is then either committed
   * before the holds are read, or waits and finds its subject gone; nobody joins those teams or adds
   * the user to another (a membership key-locks both rows) until this commits. The teams locked
   * first are locked again after the user row, for a team they joined in between. Returns the
   * subject with the teams erased with them read under the locks.
   */
  private async lockSubject(subject: DataSubject, manager: EntityManager): Promise<DataSubject> {
    await this.teams.lockForErasure(subject, manager);
    await manager.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [subject.userId]);
    await this.teams.lockForErasure(subject, manager);
    await manager.query('SELECT team_id FROM memberships WHERE user_id = $1 FOR UPDATE', [subject.userId]);
    return { ...subject, personalTeamIds: await this.teams.teamsErasedWith(subject.userId, manager) };
  }
}

const lastOwner = (teamIds: string[]) =>
  new AppError(
    ErrorCode.CONFLICT,
    'You are the last owner of a team with other members: transfer ownership or promote another owner first.',
    { reason: 'LAST_OWNER', teamIds },
  );

const preconditionFailed = () =>
  new AppError(ErrorCode.CONFLICT, 'This account no longer qualifies for this deletion.', { reason: 'PRECONDITION' });

const legalHold = (holdId: string) =>
  new AppError(ErrorCode.CONFLICT, 'A legal hold pauses deleting this account.', { reason: 'LEGAL_HOLD', holdId });
