import { Inject, Injectable } from '@nestjs/common';
import type { LiveAccess } from '../auth/principal';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { UrlSigner } from '../common/url-signer';
import { TeamPermission } from '../teams/team-permissions';
import type { JobEventOutput } from './dto/job.types';
import { JobEventsService, type JobEvent } from './job-events.service';
import { JobsService } from './jobs.service';
import { toJobEvent, toJobEventOutput } from './job.mapper';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

/**
 * The async streams behind jobUpdated and teamJobs. Access goes through LiveAccess, so the
 * WebSocket layer re-checks it (credential and membership) before every event it delivers.
 */
@Injectable()
export class JobSubscriptionsService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly events: JobEventsService,
    private readonly jobs: JobsService,
    private readonly signer: UrlSigner,
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

  resultUrl(jobId: string): string {
    const path = `/downloads/${jobId}`;
    return `${this.config.PUBLIC_URL}${path}?${this.signer.sign(path, this.config.DOWNLOAD_URL_TTL_SECONDS).query}`;
  }

  private toOutput(event: JobEvent): JobEventOutput {
    return toJobEventOutput(event, event.status === 'SUCCEEDED' ? this.resultUrl(event.jobId) : null);
  }
}
