import { REMOVE, waitForJob } from '../testing/jobs-client';
import { INFERENCE_MALLOC_TUNABLES, INFERENCE_V8_FLAGS } from '@cutout/inference-contract';
import { glibcTunablesOf } from '@cutout/testing';
import { aUserOfTheTree, commandLine, spawnStartAll, type StartAllTree } from '../testing/start-all-tree';
import { aSubjectImage } from '../testing/test-images';

/** `npm start`'s program: embedded PostgreSQL, the inference service, the dashboard build and the API in one process tree. */
describe('the main command (start-all)', () => {
  let tree: StartAllTree | undefined;
  afterEach(() => tree?.cleanup());

  it('builds the real dashboard, serves the real default model, removes a background, and stops cleanly', async () => {
    // Only defaults: the command builds the dashboard (apps/web, vite) into an empty WEB_DIST_DIR,
    // and its inference child loads the default model (IS-Net "medium", from models/cache).
    const t = (tree = await spawnStartAll({ INFERENCE_THREADS: '2', LOG_LEVEL: 'info' }));
    await t.waitFor('Cutout is running', 240_000);
    expect(t.logs()).toMatch(/"models":\["medium"\].*inference ready \(health SERVING\)/);
    expect(t.logs()).toContain(`Cutout is running: http://localhost:${new URL(t.base).port}`);
    expect(await (await fetch(`${t.base}/readyz`)).json()).toEqual({
      status: 'ready',
      database: 'ok',
      migrations: 'applied',
      inference: { healthy: 1, total: 1 },
    });

    // The built dashboard, not a stand-in: its index.html (served for client routes) and its bundle.
    const page = await (await fetch(`${t.base}/teams/anything`, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('<title>Cutout</title>');
    const bundle = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    expect(bundle).toBeDefined();
    const asset = await fetch(`${t.base}${bundle}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);

    const { client, teamId } = await aUserOfTheTree(t.base, 'startall');
    const imageBase64 = (await aSubjectImage('png')).toString('base64');
    const { removeBackground } = await client.ok(REMOVE, { i: { teamId, imageBase64, idempotencyKey: 'start-all' } });
    const done = await waitForJob(client, removeBackground.id, 120_000);
    expect(done).toMatchObject({ status: 'SUCCEEDED', result: { contentType: 'image/png', width: 320, height: 240 } });

    // The main command, the inference child and the embedded PostgreSQL: all gone after SIGTERM.
    const inferencePid = t.inferencePid();
    expect(inferencePid).toBeDefined();
    // The inference child runs with its V8 flags (before the script, where node reads them).
    expect(commandLine(inferencePid as number)).toContain(
      `${INFERENCE_V8_FLAGS.join(' ')} -r @swc-node/register apps/inference/src/main.ts`,
    );
    // …and with its malloc tunables (glibc reads GLIBC_TUNABLES from the environment it starts with).
    expect(glibcTunablesOf(inferencePid as number)).toEqual(expect.arrayContaining([...INFERENCE_MALLOC_TUNABLES]));
    expect(t.pids().length).toBeGreaterThanOrEqual(3);
    expect(await t.stop('SIGTERM')).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(t.pids()).toEqual([]);
  }, 300_000);

  it('stops with a clear message and exit code 1 when the dashboard build fails', async () => {
    // /dev/null is no folder: vite cannot write the build there.
    const t = (tree = await spawnStartAll({ WEB_DIST_DIR: '/dev/null/web' }));
    expect(await t.exited).toBe(1);
    expect(t.logs()).toContain('Cutout failed to start: the dashboard build (apps/web) failed');
    expect(t.logs()).not.toContain('Cutout is running');
    expect(t.pids()).toEqual([]);
  }, 120_000);
});
