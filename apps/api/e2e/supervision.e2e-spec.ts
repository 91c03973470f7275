import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeTinyModelDir } from '../testing/inference-process';
import { JOB, REMOVE, waitForJob } from '../testing/jobs-client';
import { aUserOfTheTree, spawnStartAll, type StartAllTree } from '../testing/start-all-tree';
import { aSubjectImage } from '../testing/test-images';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Faults: the main command supervises its inference child like a process manager. */
describe('the main command (start-all) under an inference crash', () => {
  let tree: StartAllTree | undefined;
  let modelsDir: string | undefined;
  afterEach(() => tree?.cleanup());
  afterAll(() => modelsDir && rmSync(modelsDir, { recursive: true, force: true }));

  it('restarts an inference child killed mid-batch while the API keeps answering; every job succeeds exactly once', async () => {
    modelsDir = writeTinyModelDir();
    // Two attempts with no delay between them: without the hold-off, jobs would fail long before the child is back.
    const t = (tree = await spawnStartAll({
      MODELS_DIR: modelsDir,
      INFERENCE_PRELOAD: 'tiny',
      INFERENCE_THREADS: '1',
      JOB_MAX_ATTEMPTS: '2',
      JOB_RETRY_DELAY_SECONDS: '0',
    }));
    await t.waitFor('Cutout is running', 120_000);
    const { client, teamId } = await aUserOfTheTree(t.base, 'supervised');

    // Liveness, a GraphQL query and readiness, every 100 ms throughout.
    const failures: string[] = [];
    const inferenceSeen: number[] = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        try {
          const live = await fetch(`${t.base}/healthz`);
          if (live.status !== 200) failures.push(`healthz answered ${live.status}`);
          const me = await client.gql(`{ me { id } }`);
          if (me.status !== 200 || me.errors) failures.push(`GraphQL answered ${me.status} ${JSON.stringify(me.errors)}`);
          const ready = await fetch(`${t.base}/readyz`);
          if (ready.status !== 200) failures.push(`readyz answered ${ready.status}`);
          inferenceSeen.push(((await ready.json()) as { inference: { healthy: number } }).inference.healthy);
        } catch (error) {
          failures.push(String(error));
        }
        await sleep(100);
      }
    })();

    const imageBase64 = (await aSubjectImage('jpeg', 1600, 1200)).toString('base64');
    const submit = async (key: string) =>
      (await client.ok(REMOVE, { i: { teamId, imageBase64, idempotencyKey: key } })).removeBackground.id as string;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await submit(`batch-${i}`));
    // kill -9 the child (as an out-of-memory kill would) once the batch is running.
    for (let job = (await client.ok(JOB, { id: ids[0] })).job; job.status === 'QUEUED'; job = (await client.ok(JOB, { id: ids[0] })).job)
      await sleep(20);
    const killed = t.inferencePid()!;
    process.kill(killed, 'SIGKILL');
    // The rest of the batch arrives while the child is down.
    for (let i = 4; i < 8; i++) ids.push(await submit(`batch-${i}`));

    const jobs = await Promise.all(ids.map((id) => waitForJob(client, id, 120_000)));
    probing = false;
    await prober;

    expect(jobs.map((j) => ({ status: j.status, error: j.error }))).toEqual(ids.map(() => ({ status: 'SUCCEEDED', error: null })));
    for (const job of jobs) expect([1, 2]).toContain(job.attempts);
    // Exactly once: one job per submit, and one stored result per job (an abandoned attempt leaves none).
    const listed = await client.ok(`query($t: ID!) { jobs(teamId: $t, first: 50) { edges { node { id } } } }`, { t: teamId });
    expect(listed.jobs.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual([...ids].sort());
    const results = readdirSync(path.join(t.dataDir, 'blobs', 'teams', teamId, 'results'));
    expect(results.map((name) => name.slice(0, 36)).sort()).toEqual([...ids].sort());

    // The API answered throughout; readiness stayed 200 and showed inference down, then up.
    expect(failures).toEqual([]);
    const down = inferenceSeen.indexOf(0);
    expect(down).toBeGreaterThanOrEqual(0);
    expect(inferenceSeen.slice(down)).toContain(1);
    // The child was restarted, on the same port (INFERENCE_URLS unchanged), and the tree still stops cleanly.
    expect(t.logs()).toContain('The inference service stopped (signal SIGKILL); restarting it in 500 ms.');
    expect(t.logs()).toContain('The inference service is serving again (restart 1).');
    expect(t.inferencePid()).toEqual(expect.any(Number));
    expect(t.inferencePid()).not.toBe(killed);
    expect(await t.stop('SIGTERM')).toBe(0);
    await sleep(500);
    expect(t.pids()).toEqual([]);
  }, 300_000);

  it('stops the whole tree with a clear message and exit code 1 when the inference child keeps crashing at start', async () => {
    // The inference service refuses INFERENCE_THREADS=0 and exits at once, every time.
    const t = (tree = await spawnStartAll({ INFERENCE_THREADS: '0' }));
    expect(await t.exited).toBe(1);
    expect(t.logs()).toContain('Cutout failed to start: The inference service failed to start 5 times in a row (last: code 1); stopping.');
    expect(t.logs().match(/The inference service stopped \(code 1\); restarting it in \d+ ms\./g)).toHaveLength(4);
    expect(t.logs()).not.toContain('Cutout is running');
    expect(t.pids()).toEqual([]);
  }, 120_000);
});
