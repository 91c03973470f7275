import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort } from '@cutout/embedded-db';
import { spawnApiProcess, type ApiProcess } from './api-process';
import { A_PASSWORD, anEmail } from './builders';
import { TestClient } from './graphql-client';

/** Pids of live processes whose environment holds `entry`. */
export function processesWithEnv(entry: string): number[] {
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

/** A process's command line, arguments joined by spaces ('' once it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

export interface StartAllTree extends ApiProcess {
  /** http://127.0.0.1:<port> of the API. */
  base: string;
  dataDir: string;
  /** Live processes of the tree: the main command and every child it started (inference, embedded PostgreSQL). */
  pids(): number[];
  /** The inference child's pid, if one runs. */
  inferencePid(): number | undefined;
  /** Kills whatever is left of the tree and removes its data folder. */
  cleanup(): void;
}

/**
 * `npm start`'s program (apps/api/src/cli/start-all.cli.ts) as a real process tree with embedded
 * defaults: its own DATA_DIR, port, embedded PostgreSQL and dashboard build (into an empty
 * WEB_DIST_DIR); `env` adds to or overrides that.
 * Every process of the tree carries a unique CUTOUT_TEST_TREE variable, so none can hide.
 */
export async function spawnStartAll(env: Record<string, string | undefined>): Promise<StartAllTree> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cutout-start-all-'));
  const port = await findFreePort();
  const tree = randomBytes(8).toString('hex');
  const marker = `CUTOUT_TEST_TREE=${tree}`;
  const proc = spawnApiProcess(
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      // An empty folder: the command builds the real dashboard into it.
      WEB_DIST_DIR: path.join(dataDir, 'web'),
      LOG_LEVEL: 'warn',
      DATABASE_URL: undefined,
      INFERENCE_URLS: undefined,
      CUTOUT_TEST_TREE: tree,
      ...env,
    },
    'apps/api/src/cli/start-all.cli.ts',
  );
  const pids = () => processesWithEnv(marker);
  return {
    ...proc,
    base: `http://127.0.0.1:${port}`,
    dataDir,
    pids,
    inferencePid: () => pids().find((pid) => commandLine(pid).includes('apps/inference/src/main.ts')),
    cleanup() {
      for (const pid of pids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs a new user up through the tree's dev mailbox; returns their client and personal team. */
export async function aUserOfTheTree(base: string, name: string): Promise<{ client: TestClient; teamId: string }> {
  const client = new TestClient(base);
  const email = anEmail(name);
  await client.ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
  let token: string | undefined;
  for (let i = 0; i < 100 && !token; i++) {
    const mails = (await (await fetch(`${base}/dev/mailbox`)).json()) as { to: string; text: string }[];
    const mail = mails.find((m) => m.to === email);
    if (mail) token = decodeURIComponent(/token=(\S+)/.exec(mail.text)![1]);
    else await new Promise((r) => setTimeout(r, 100));
  }
  await client.ok(`mutation($i: VerifyEmailInput!) { verifyEmail(input: $i) { id } }`, { i: { token, password: A_PASSWORD } });
  await client.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
  const teamId = (await client.ok(`{ teams { edges { node { id } } } }`)).teams.edges[0].node.id as string;
  return { client, teamId };
}
