import { randomBytes } from 'node:crypto';
import { KeyRing } from '@cutout/crypto';
import { JobStatus } from '@cutout/job-vocabulary';
import { createLogger } from '../../common/logger';
import { UrlSigner } from '../../common/url-signer';
import type { ApiConfig } from '../../config/api.config';
import { ResultLinks } from '../downloads/result-links';
import type { JobEntity } from '../entities/job.entity';
import type { JobsRepository } from '../jobs.repository';
import { jobEventOf } from './job-event';
import { JobEventsService } from './job-events.service';
import { JobSubscriptionsService } from './job-subscriptions.service';

const job = {
  id: '5b0c2a7e-0000-4000-8000-000000000002',
  teamId: 't',
  status: JobStatus.QUEUED,
  stage: 'QUEUED',
  progress: 0,
  errorCode: null,
  errorMessage: null,
  version: 1,
} as JobEntity;
const links = new ResultLinks(
  { PUBLIC_URL: 'http://api.test', DOWNLOAD_URL_TTL_SECONDS: 60 } as ApiConfig,
  new UrlSigner(new KeyRing(randomBytes(32))),
);
const access = { authorizeTeam: async () => ({ teamId: 't', userId: 'u', role: 'MEMBER' }) } as never;
const holder = { kind: 'user', userId: 'u', sessionId: '5b0c2a7e-0000-4000-8000-00000000000a' } as const;

describe('JobSubscriptionsService.jobUpdated', () => {
  it('misses no change that commits while the current state is being read (it listens before it reads)', async () => {
    const events = new JobEventsService(createLogger('silent'));
    // The row is read as QUEUED while the job starts running: its RUNNING event arrives during the read.
    const jobs = {
      findById: async () => {
        events.deliver(jobEventOf({ ...job, status: JobStatus.RUNNING, stage: 'INFERENCE', progress: 0.5, version: 2 } as JobEntity));
        return job;
      },
    } as unknown as JobsRepository;
    const stream = new JobSubscriptionsService(events, jobs, links).jobUpdated(access, holder, job.id);
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.status);
      if (seen.length === 2) {
        events.deliver(jobEventOf({ ...job, status: JobStatus.SUCCEEDED, stage: 'STORED', progress: 1, version: 3 } as JobEntity));
      }
      if (event.status === 'SUCCEEDED')
        expect(event.resultUrl).toMatch(
          /^http:\/\/api\.test\/downloads\/.+\?expires=\d+&by=s\.5b0c2a7e-0000-4000-8000-00000000000a&signature=/,
        );
    }
    expect(seen).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
  });

  it('delivers no change twice, nor an older one: a change that committed before the read arrives live too and is skipped', async () => {
    const events = new JobEventsService(createLogger('silent'));
    const claimed = { ...job, status: JobStatus.RUNNING, stage: 'QUEUED', version: 2 } as JobEntity;
    const decoded = { ...claimed, stage: 'DECODED', progress: 0.1, version: 3 } as JobEntity;
    // Listening started before the read; the claim and DECODED committed before the row was read as DECODED.
    const jobs = {
      findById: async () => {
        events.deliver(jobEventOf(claimed));
        events.deliver(jobEventOf(decoded));
        return decoded;
      },
    } as unknown as JobsRepository;
    const stream = new JobSubscriptionsService(events, jobs, links).jobUpdated(access, holder, job.id);
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(`${event.status}/${event.stage}`);
      if (seen.length === 1) {
        events.deliver(jobEventOf({ ...decoded, stage: 'INFERENCE', progress: 0.5, version: 4 } as JobEntity));
        events.deliver(jobEventOf({ ...decoded, status: JobStatus.SUCCEEDED, stage: 'STORED', progress: 1, version: 5 } as JobEntity));
      }
    }
    expect(seen).toEqual(['RUNNING/DECODED', 'RUNNING/INFERENCE', 'SUCCEEDED/STORED']);
  });
});
