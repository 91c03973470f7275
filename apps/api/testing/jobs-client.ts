import { randomUUID } from 'node:crypto';
import { publishJobEvent } from '../src/jobs/events/job-event';
import type { TestClient } from './graphql-client';
import type { TestApi } from './test-api';

export const JOB_FIELDS = `id teamId status stage progress filename attempts resultUrl foregroundFraction inferenceMs
  input { contentType width height bytes } result { contentType width height bytes } error { code message }
  options { size type format bgColor crop refine model } creditsCharged creditsRefunded`;

export const REMOVE = `mutation($i: RemoveBackgroundInput!) { removeBackground(input: $i) { ${JOB_FIELDS} } }`;
export const JOB = `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`;
export const JOB_UPDATED = `subscription($id: ID!) { jobUpdated(jobId: $id) { jobId status stage progress resultUrl error { code message } } }`;

/** createUpload, then PUT the bytes to the signed URL; returns the upload id and the PUT response. */
export async function uploadImage(client: TestClient, teamId: string, bytes: Buffer, contentType = 'image/png', filename = 'photo.png') {
  const { createUpload } = await client.ok(`mutation($i: CreateUploadInput!) { createUpload(input: $i) { id uploadUrl expiresAt } }`, {
    i: { teamId, filename, contentType, byteSize: bytes.length },
  });
  const put = await fetch(createUpload.uploadUrl.replace('localhost', '127.0.0.1'), {
    method: 'PUT',
    body: new Uint8Array(bytes),
    headers: { 'content-type': contentType },
  });
  return { id: createUpload.id as string, uploadUrl: createUpload.uploadUrl as string, put };
}

export const TEAM_JOBS = `subscription($t: ID!) { teamJobs(teamId: $t) { jobId status stage progress } }`;

/**
 * teamJobs sends nothing at subscribe time: this publishes a probe event of `teamId` (the id of no
 * job, as any worker would publish it) every 50 ms until `arrived(probeId)` says the subscription got
 * it, so a test knows it is live before the events it counts. Rejects after `timeoutMs`.
 */
export async function untilTeamJobsLive(t: TestApi, teamId: string, arrived: (probeJobId: string) => boolean, timeoutMs = 20_000) {
  const probeJobId = randomUUID();
  for (const end = Date.now() + timeoutMs; !arrived(probeJobId); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > end) throw new Error(`teamJobs of ${teamId} not live within ${timeoutMs} ms`);
    await publishJobEvent(t.api.database.dataSource.manager, {
      jobId: probeJobId,
      teamId,
      status: 'QUEUED',
      stage: 'QUEUED',
      progress: 0,
      errorCode: null,
      errorMessage: null,
      version: 1,
      at: new Date().toISOString(),
    });
  }
}

/** Polls job(id) until it reaches a final status. */
export async function waitForJob(client: TestClient, id: string, timeoutMs = 60_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { job } = await client.ok(JOB, { id });
    if (['SUCCEEDED', 'FAILED', 'CANCELED'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Follows jobUpdated over graphql-ws until the job reaches a final status; `onEvent` sees each
 * event as it arrives. Resolves with every event.
 */
export async function followJob(
  client: TestClient,
  jobId: string,
  onEvent: (event: { status: string; stage: string; progress: number }) => void = () => undefined,
): Promise<{ status: string; stage: string; progress: number }[]> {
  const ws = client.ws();
  const events: { status: string; stage: string; progress: number }[] = [];
  try {
    await new Promise<void>((resolve, reject) =>
      ws.subscribe<{ jobUpdated: { status: string; stage: string; progress: number } }>(
        { query: JOB_UPDATED, variables: { id: jobId } },
        {
          next: (value) => {
            if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
            events.push(value.data!.jobUpdated);
            onEvent(value.data!.jobUpdated);
          },
          error: reject,
          complete: resolve,
        },
      ),
    );
  } finally {
    await ws.dispose();
  }
  return events;
}
