import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort } from '@cutout/embedded-db';
import { writeTinyModelDir } from '../testing/inference-process';
import { aSubjectImage } from '../testing/test-images';
import { A_PASSWORD, anEmail } from '../testing/builders';
import { TestClient } from '../testing/graphql-client';
import { REMOVE, waitForJob } from '../testing/jobs-client';

const ROOT = path.join(__dirname, '..', '..', '..');

/** Pids of live processes whose environment holds `entry` (here: the inference child's unique MODELS_DIR). */
function processesWithEnv(entry: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** `npm start`'s program: embedded PostgreSQL, the inference service, the dashboard build and the API in one process tree. */
describe('the main command (start-all)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutout-start-all-'));
  const webDir = path.join(dataDir, 'web');
  let modelsDir: string;
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    if (modelsDir) rmSync(modelsDir, { recursive: true, force: true });
  });

  it('starts everything with embedded defaults, removes a background, and stops cleanly', async () => {
    modelsDir = writeTinyModelDir();
    mkdirSync(webDir, { recursive: true });
    writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Cutout dashboard</title>');
    const port = await findFreePort();
    const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, WEB_DIST_DIR: webDir, MODELS_DIR: modelsDir, INFERENCE_PRELOAD: 'tiny', INFERENCE_THREADS: '1', LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    delete env.INFERENCE_URLS;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/cli/start-all.cli.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('Cutout is running') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain(`Cutout is running: http://localhost:${port}`);
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'ready' });
      expect(await (await fetch(`${base}/teams/anything`, { headers: { accept: 'text/html' } })).text()).toContain('Cutout dashboard');

      const client = new TestClient(base);
      const email = anEmail('startall');
      await client.ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
      await new Promise((r) => setTimeout(r, 200));
      const mails = (await (await fetch(`${base}/dev/mailbox`)).json()) as { to: string; text: string }[];
      const token = decodeURIComponent(/token=(\S+)/.exec(mails.find((m) => m.to === email)!.text)![1]);
      await client.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, { i: { token } });
      await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
      const teamId = (await client.ok(`{ teams { edges { node { id } } } }`)).teams.edges[0].node.id;
      const imageBase64 = (await aSubjectImage('png')).toString('base64');
      const { removeBackground } = await client.ok(REMOVE, { i: { teamId, imageBase64, idempotencyKey: 'start-all' } });
      expect(await waitForJob(client, removeBackground.id)).toMatchObject({ status: 'SUCCEEDED' });

      // start-all and its children (inference, embedded PostgreSQL) carry this MODELS_DIR.
      expect(processesWithEnv(`MODELS_DIR=${modelsDir}`).length).toBeGreaterThanOrEqual(2);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await new Promise((r) => setTimeout(r, 500));
      expect(processesWithEnv(`MODELS_DIR=${modelsDir}`)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 150_000);
});
