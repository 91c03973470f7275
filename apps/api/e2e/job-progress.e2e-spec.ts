import { aSignedInUser, anApiKey } from '../testing/builders';
import type { TestClient } from '../testing/graphql-client';
import { startInferenceProcess, type InferenceProcess } from '../testing/inference-process';
import { JOB_UPDATED, REMOVE, TEAM_JOBS, untilTeamJobsLive } from '../testing/jobs-client';
import { aSubjectImage } from '../testing/test-images';
import { startTestApi, type TestApi } from '../testing/test-api';

type JobUpdate = { status: string; stage: string; progress: number };

/** Smooth overall progress end to end: inference (tiny model with a slow run) → worker → NOTIFY → graphql-ws. */
describe('job progress over graphql-ws', () => {
  let inference: InferenceProcess;
  let t: TestApi;
  let key: TestClient;
  let teamId: string;

  beforeAll(async () => {
    // Short intervals so the assertions below hold on a fast machine too (the run lasts a few hundred ms here).
    inference = await startInferenceProcess({ model: 'tiny', slowRun: true, env: { INFERENCE_PROGRESS_INTERVAL_MS: '20' } });
    t = await startTestApi({ INFERENCE_URLS: inference.address, JOB_PROGRESS_INTERVAL_MS: '40' });
    const owner = await aSignedInUser(t, 'progress');
    teamId = owner.personalTeamId;
    key = t.client().withApiKey(await anApiKey(owner, teamId));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });

  it('streams several INFERENCE events with growing overall progress while the model runs, then STORED at 1', async () => {
    const imageBase64 = (await aSubjectImage('png', 320, 240)).toString('base64');
    // The socket is open and signed in before the job exists (a team stream keeps it so): following the job
    // is then one message, not a handshake that a loaded machine can make last past the first INFERENCE events.
    const ws = key.ws({ authorization: `Bearer ${key.apiKey}` });
    const team: { jobId: string }[] = [];
    ws.subscribe<{ teamJobs: { jobId: string } }>(
      { query: TEAM_JOBS, variables: { t: teamId } },
      { next: (v) => v.data && team.push(v.data.teamJobs), error: () => undefined, complete: () => undefined },
    );
    await untilTeamJobsLive(t, teamId, (probe) => team.some((e) => e.jobId === probe));
    const { removeBackground: job } = await key.ok(REMOVE, { i: { teamId, imageBase64, idempotencyKey: 'progress' } });
    const events: JobUpdate[] = [];
    await new Promise<void>((resolve, reject) =>
      ws.subscribe<{ jobUpdated: JobUpdate }>(
        { query: JOB_UPDATED, variables: { id: job.id } },
        {
          next: (v) => (v.errors ? reject(new Error(JSON.stringify(v.errors))) : events.push(v.data!.jobUpdated)),
          error: reject,
          complete: resolve,
        },
      ),
    );
    await ws.dispose();

    expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', stage: 'STORED', progress: 1 });
    const inferenceEvents = events.filter((e) => e.stage === 'INFERENCE');
    expect(inferenceEvents.length).toBeGreaterThanOrEqual(2);
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(inferenceEvents.map((e) => e.progress)).size).toBe(inferenceEvents.length); // each one moves the bar
    // Overall, not per stage: the model run is most of this job, so INFERENCE covers a good part of the bar.
    expect(inferenceEvents.at(-1)!.progress - inferenceEvents[0].progress).toBeGreaterThan(0.2);
    // Below 1 until stored.
    expect(events.slice(0, -1).every((e) => e.progress < 1)).toBe(true);
  });
});
