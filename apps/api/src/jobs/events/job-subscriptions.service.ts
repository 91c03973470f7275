import { Injectable } from '@nestjs/common';
import type { LiveAccess } from '../../common/request-context/principal';
import { TeamPermission } from '../../teams/team-permissions';
import type { JobEventOutput } from '../dto/job.output';
import { JobEventsService, type JobEvent } from './job-events.service';
import { JobsService } from '../submit/jobs.service';
import { toJobEvent, toJobEventOutput } from '../job.mapper';
import { ResultLinks } from '../downloads/result-links';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

/**
 * The async streams behind jobUpdated and teamJobs. Access goes through LiveAccess, so the
 * WebSocket layer re-checks it (credential and membership) before every event it delivers.
 */
@Injectable()
export class JobSubscriptionsService {
  constructor(
    private readonly events: JobEventsService,
    private readonly jobs: JobsService,
    private readonly links: ResultLinks,
  ) {}

  /** The job's current state first, then every change; ends after a final state. */
  async *jobUpdated(access: LiveAccess, jobId: string): AsyncGenerator<JobEventOutput> {
    const teamId = await this.jobs.findTeamIdOrThrow(jobId);
    await access.authorizeTeam(teamId, TeamPermission.RUN_JOBS);
    const stream = this.events.subscribeJob(jobId)[Symbol.asyncIterator]();
    try {
      const current = { ...toJobEvent(await this.jobs.findEntityOrThrow(jobId)), at: new Date().toISOString() };
      yield this.toOutput(current);
      if (TERMINAL.has(current.status)) return;
      for (let next = await stream.next(); !next.done; next = await stream.next()) {
        yield this.toOutput(next.value);
        if (TERMINAL.has(next.value.status)) return;
      }
    } finally {
      await stream.return?.();
    }
  }

  async *teamJobs(access: LiveAccess, teamId: string): AsyncGenerator<JobEventOutput> {
    await access.authorizeTeam(teamId, TeamPermission.RUN_JOBS);
    for await (const event of this.events.subscribeTeam(teamId)) yield this.toOutput(event);
  }

  private toOutput(event: JobEvent): JobEventOutput {
    return toJobEventOutput(event, event.status === 'SUCCEEDED' ? this.links.urlFor(event.jobId) : null);
  }
}
