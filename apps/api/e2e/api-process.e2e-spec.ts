import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort } from '@cutout/embedded-db';
import { A_PASSWORD, anEmail } from '../testing/builders';
import { TestClient } from '../testing/graphql-client';
import { createTestDatabase } from '../testing/test-database';

const ROOT = path.join(__dirname, '..', '..', '..');
/**
 * Runs a CLI to its end without blocking this process's event loop: a blocking spawnSync of a
 * few seconds let the server close the client's idle keep-alive socket unnoticed, and the next
 * request on it failed with "other side closed" (seen on a loaded machine).
 */
const run = (script: string, args: string[], env: Record<string, string>) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const cli = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    cli.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    cli.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => cli.kill('SIGKILL'), 60_000);
    cli.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });

describe('the API as a process', () => {
  let db: { url: string; drop(): Promise<void> };
  let dataDir: string;
  const masterKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'cutout-process-'));
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to start on a bad setting and names the variable', async () => {
    const result = await run('apps/api/src/main.ts', [], { PORT: 'eighty', DATABASE_URL: db.url, DATA_DIR: dataDir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
    const production = await run('apps/api/src/main.ts', [], {
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      PUBLIC_URL: 'https://x.example',
    });
    expect(production.status).toBe(1);
    expect(production.stderr).toMatch(/MASTER_KEY/);
  });

  it('serves, keeps secrets out of its logs, makes an admin from the CLI and stops cleanly on SIGTERM', async () => {
    const port = await findFreePort();
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      MASTER_KEY: masterKey,
      LOG_LEVEL: 'trace',
    };
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes('ready at') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain(`http://localhost:${port}/graphql`);

      const client = new TestClient(`http://127.0.0.1:${port}`);
      const email = anEmail('process');
      await client.ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
      const mails = (await (await fetch(`http://127.0.0.1:${port}/dev/mailbox`)).json()) as { text: string }[];
      const token = decodeURIComponent(/token=([^\s]+)/.exec(mails[0].text)![1]);
      await client.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, { i: { token, password: A_PASSWORD } });
      await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
      expect((await client.ok(`{ me { isPlatformAdmin } }`)).me.isPlatformAdmin).toBe(false);

      const admin = await run('apps/api/src/cli/make-admin.cli.ts', [`--email=${email}`], env);
      expect(admin.stdout).toContain('now a platform administrator');
      expect(admin.status).toBe(0);
      const unknown = await run('apps/api/src/cli/make-admin.cli.ts', ['--email=nobody@example.com'], env);
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toMatch(/No user/);
      expect((await client.ok(`{ me { isPlatformAdmin } }`)).me.isPlatformAdmin).toBe(true);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      for (const secret of [A_PASSWORD, masterKey, email, db.url]) expect(output).not.toContain(secret);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
