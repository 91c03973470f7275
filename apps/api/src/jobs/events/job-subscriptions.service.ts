import { Injectable } from '@nestjs/common';
import { isTerminalJobStatus } from '@cutout/job-vocabulary';
import { notFound } from '../../common/errors/app-error';
import type { LiveAccess, Principal } from '../../common/request-context/principal';
import { TeamPermission } from '../../teams/team-permissions';
import { ResultLinks } from '../downloads/result-links';
import type { JobEventOutput } from '../dto/job.output';
import { toJobEventOutput } from '../job.mapper';
import { JobsRepository } from '../jobs.repository';
import { jobEventOf, type JobEvent } from './job-event';
import { JobEventsService, type JobEventsGap } from './job-events.service';

/** A catch-up re-reads the teams' jobs changed from this long before the connection was lost (a change commits a little after its updated_at). */
export const CATCH_UP_MARGIN_MS = 60_000;
/** At most this many jobs are re-read per catch-up (most recently changed first). */
export const CATCH_UP_LIMIT = 1000;

/**
 * The async streams behind jobUpdated and teamJobs. Access goes through LiveAccess, so the
 * WebSocket layer re-checks it (credential and membership) before every event it delivers.
 * Events carry everything their output needs: the job's row is read once, for its current state.
 */
@Injectable()
export class JobSubscriptionsService {
  constructor(
    private readonly events: JobEventsService,
    private readonly jobs: JobsRepository,
    private readonly links: ResultLinks,
  ) {
    events.onReconnect((gap) => this.catchUp(gap));
  }

  /**
   * After the LISTEN connection came back: the current state of every followed job (and of the
   * followed teams' jobs changed around the gap) is delivered again, as if its event had just
   * arrived; each stream drops what it has already seen by its version.
   */
  async catchUp(gap: JobEventsGap): Promise<void> {
    const since = new Date(gap.lostAt.getTime() - CATCH_UP_MARGIN_MS);
    const rows = await this.jobs.changedSince(gap.jobIds, gap.teamIds, since, CATCH_UP_LIMIT);
    for (const job of rows.reverse()) this.events.deliver({ ...jobEventOf(job, job.updatedAt), replayed: true });
  }

  /** The job's current state first, then every change; ends after a final state. */
  async *jobUpdated(access: LiveAccess, holder: Principal, jobId: string): AsyncGenerator<JobEventOutput> {
    // Listening before the row is read, so no change between the two is missed (the pub-sub
    // registers its listener on the first next(), not when the iterator is created).
    const stream = this.events.subscribeJob(jobId)[Symbol.asyncIterator]();
    let pending = stream.next();
    try {
      const job = await this.jobs.findById(jobId);
      if (!job) throw notFound('Job');
      await access.authorizeTeam(job.teamId, TeamPermission.RUN_JOBS);
      const current = jobEventOf(job);
      yield this.toOutput(current, holder);
      if (isTerminalJobStatus(current.status)) return;
      // A change that committed before the read arrives live too: it (or anything older) was already delivered.
      let seen = current.version;
      for (let next = await pending; !next.done; next = await (pending = stream.next())) {
        if (next.value.version <= seen) continue;
        seen = next.value.version;
        yield this.toOutput(next.value, holder);
        if (isTerminalJobStatus(next.value.status)) return;
      }
    } finally {
      await stream.return?.();
    }
  }

  /**
   * Every change of the team's jobs from now on, each once: per job, an event not newer than the
   * last one delivered is dropped, and so is a re-read state (after a gap) of a job this stream has
   * not seen that last changed before the stream started.
   */
  async *teamJobs(access: LiveAccess, holder: Principal, teamId: string): AsyncGenerator<JobEventOutput> {
    await access.authorizeTeam(teamId, TeamPermission.RUN_JOBS);
    const startedAt = Date.now();
    const seen = new Map<string, number>();
    for await (const event of this.events.subscribeTeam(teamId)) {
      const last = seen.get(event.jobId);
      if (last === undefined ? event.replayed && Date.parse(event.at) < startedAt : event.version <= last) continue;
      seen.set(event.jobId, event.version);
      yield this.toOutput(event, holder);
    }
  }

  /** An event as `holder` (the subscriber) gets it: a SUCCEEDED one with a result link made for them. */
  private toOutput(event: JobEvent, holder: Principal): JobEventOutput {
    return toJobEventOutput(event, event.status === 'SUCCEEDED' ? this.links.urlFor(event.jobId, holder) : null);
  }
}
