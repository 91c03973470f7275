import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { aSignedInUser, anApiKey } from '../testing/builders';
import { startInferenceProcess, type InferenceProcess } from '../testing/inference-process';
import { aSubjectImage, aTruncatedPng } from '../testing/test-images';
import { startTestApi, type TestApi } from '../testing/test-api';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI_MAIN = 'apps/cli/src/main.ts';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface JsonLine {
  file: string;
  jobId: string | null;
  status: string;
  output: string | null;
  errorCode: string | null;
  creditsSpent: number;
}

/**
 * Runs the reference CLI as a real child process, like a user would (stdout is a pipe, not a TTY);
 * `onStdout` sees each chunk of its output with the process (to interrupt it, or stop reading).
 */
function runCli(
  args: string[],
  env: Record<string, string> = {},
  onStdout?: (chunk: string, child: ChildProcessWithoutNullStreams) => void,
): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of ['CUTOUT_API_KEY', 'CUTOUT_API_URL']) if (!(name in env)) delete childEnv[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', CLI_MAIN, ...args], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end();
    if (onStdout) child.stdout.on('data', (d: Buffer) => onStdout(d.toString(), child));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const parsedLines = (run: CliRun): Record<string, unknown>[] =>
  run.stdout
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
/** The --json lines of the files (the last line is the run's summary). */
const jsonLines = (run: CliRun): JsonLine[] => parsedLines(run).filter((line) => 'file' in line) as unknown as JsonLine[];
const jsonSummary = (run: CliRun) => parsedLines(run).at(-1);

/** The CLI (apps/cli) against the real API, inference service (tiny model) and graphql-ws, over HTTP only. */
describe('cutout CLI end to end', () => {
  let inference: InferenceProcess;
  let t: TestApi;
  let apiKey: string;
  let teamId: string;
  let dir: string;
  let outDir: string;
  const files: Record<'jpeg' | 'png' | 'text' | 'truncated', string> = { jpeg: '', png: '', text: '', truncated: '' };
  const allFiles = () => [files.jpeg, files.png, files.text, files.truncated];
  const jobCount = async () => Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM jobs WHERE team_id = $1', [teamId]))[0].n);

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    t = await startTestApi({ INFERENCE_URLS: inference.address });
    const owner = await aSignedInUser(t, 'cliuser');
    teamId = owner.personalTeamId;
    apiKey = await anApiKey(owner, teamId, 'cli');

    dir = mkdtempSync(path.join(tmpdir(), 'cutout-cli-e2e-'));
    outDir = path.join(dir, 'out');
    files.jpeg = path.join(dir, 'holiday photo.jpg');
    files.png = path.join(dir, 'portrait.png');
    files.text = path.join(dir, 'notes.txt');
    files.truncated = path.join(dir, 'broken.png');
    writeFileSync(files.jpeg, await aSubjectImage('jpeg', 320, 240));
    writeFileSync(files.png, await aSubjectImage('png', 200, 150));
    writeFileSync(files.text, 'these are not pixels\n');
    writeFileSync(files.truncated, await aTruncatedPng());
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await inference?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('removes backgrounds, writes <name>-cutout.png, and reports each bad file with its code', async () => {
    const run = await runCli(['remove', ...allFiles(), '--api-key', apiKey, '--api-url', t.url, '--out', outDir]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: '' });

    for (const [output, width, height] of [
      ['holiday photo-cutout.png', 320, 240],
      ['portrait-cutout.png', 200, 150],
    ] as const) {
      const meta = await sharp(path.join(outDir, output)).metadata();
      expect({ output, ...meta }).toMatchObject({ output, format: 'png', width, height, hasAlpha: true });
    }
    expect(existsSync(path.join(outDir, 'broken-cutout.png'))).toBe(false);

    // Plain line-per-event output (stdout is not a TTY), then the summary.
    expect(run.stdout).toMatch(/portrait\.png: running \w+ \d+%/);
    expect(run.stdout).toContain(`${files.png}: done → ${path.join(outDir, 'portrait-cutout.png')}`);
    expect(run.stdout).toContain('2 succeeded, 2 failed');
    // Three jobs at the preview price (small images), the failed one refunded; the personal team had its 10 trial credits.
    expect(run.stdout).toMatch(/\ncredits: 0\.5 spent, 9\.5 left\n$/);
    expect(run.stdout).toContain(`✗ ${files.text}: UNSUPPORTED_IMAGE — not a JPEG, PNG or WebP image`);
    expect(run.stdout).toMatch(new RegExp(`✗ ${files.truncated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: UNSUPPORTED_IMAGE — \\S`));
    // The non-image never reached the API: three jobs, one of them the failed truncated PNG.
    expect(await jobCount()).toBe(3);
    const [failed] = await t.sql<{ status: string; error_code: string }>(
      `SELECT status, error_code FROM jobs WHERE team_id = $1 AND status = 'FAILED'`,
      [teamId],
    );
    expect(failed).toEqual({ status: 'FAILED', error_code: 'UNSUPPORTED_IMAGE' });
  }, 120_000);

  it('prints JSON lines, and re-running reuses the same jobs (idempotency keys)', async () => {
    // The first test wrote these outputs: without --overwrite the two images would be refused (OUTPUT_EXISTS).
    const first = await runCli(['remove', ...allFiles(), '--json', '--out', outDir, '--concurrency', '3', '--overwrite'], {
      CUTOUT_API_KEY: apiKey,
      CUTOUT_API_URL: t.url,
    });
    expect(first.code).toBe(1);
    const lines = jsonLines(first);
    expect(lines.map((l) => l.file).sort()).toEqual([...allFiles()].sort());
    const byFile = new Map(lines.map((l) => [l.file, l]));
    expect(byFile.get(files.jpeg)).toEqual({
      file: files.jpeg,
      jobId: expect.any(String),
      status: 'SUCCEEDED',
      output: path.join(outDir, 'holiday photo-cutout.png'),
      errorCode: null,
      creditsSpent: 0.25,
    });
    expect(byFile.get(files.png)).toMatchObject({ status: 'SUCCEEDED', output: path.join(outDir, 'portrait-cutout.png'), errorCode: null });
    expect(byFile.get(files.text)).toMatchObject({
      jobId: null,
      status: 'FAILED',
      output: null,
      errorCode: 'UNSUPPORTED_IMAGE',
      message: expect.stringContaining('not a JPEG, PNG or WebP image'),
    });
    expect(byFile.get(files.truncated)).toMatchObject({
      jobId: expect.any(String),
      status: 'FAILED',
      output: null,
      errorCode: 'UNSUPPORTED_IMAGE',
    });
    expect(first.stderr).toContain('2 succeeded, 2 failed');
    expect(await jobCount()).toBe(3); // the same jobs as the first test's run
    // What these jobs cost (the failed one refunded) and the balance: nothing new was charged.
    expect(jsonSummary(first)).toEqual({
      summary: { succeeded: 2, failed: 2, creditsSpent: 0.5, creditsAvailable: 9.5, creditsDebt: 0 },
    });

    const again = await runCli([
      'remove',
      files.jpeg,
      files.png,
      '--json',
      '--team',
      teamId,
      '--api-key',
      apiKey,
      '--api-url',
      t.url,
      '--out',
      outDir,
      '--overwrite',
    ]);
    expect(again.code).toBe(0);
    const rerun = new Map(jsonLines(again).map((l) => [l.file, l]));
    expect(rerun.get(files.jpeg)).toMatchObject({ jobId: byFile.get(files.jpeg)!.jobId, status: 'SUCCEEDED' });
    expect(rerun.get(files.png)).toMatchObject({ jobId: byFile.get(files.png)!.jobId, status: 'SUCCEEDED' });
    expect(await jobCount()).toBe(3);
    expect((await sharp(path.join(outDir, 'portrait-cutout.png')).metadata()).hasAlpha).toBe(true);

    // Without --overwrite an existing output is refused before anything is sent.
    const refused = await runCli(['remove', files.png, '--json', '--out', outDir], { CUTOUT_API_KEY: apiKey, CUTOUT_API_URL: t.url });
    expect(refused.code).toBe(1);
    expect(jsonLines(refused)).toEqual([
      expect.objectContaining({ jobId: null, status: 'FAILED', errorCode: 'OUTPUT_EXISTS', creditsSpent: 0 }),
    ]);
    expect(await jobCount()).toBe(3);
  }, 120_000);

  it('fails with UNAUTHENTICATED for a wrong API key', async () => {
    const run = await runCli([
      'remove',
      files.png,
      '--api-key',
      'ck_thisKeyDoesNotExist0000000000',
      '--api-url',
      t.url,
      '--out',
      path.join(dir, 'unauthenticated'), // empty: outDir's existing outputs would be refused (OUTPUT_EXISTS) before any request
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(parsedLines(run)).toEqual([
      {
        file: files.png,
        jobId: null,
        status: 'FAILED',
        output: null,
        errorCode: 'UNAUTHENTICATED',
        message: expect.any(String),
        creditsSpent: 0,
      },
      { summary: { succeeded: 0, failed: 1, creditsSpent: 0, creditsAvailable: null, creditsDebt: null } },
    ]);
  }, 60_000);

  /** `n` photos of their own (distinct bytes: each is a new job) in a folder of their own. */
  async function photos(folder: string, n: number): Promise<string[]> {
    const at = path.join(dir, folder);
    mkdirSync(at);
    const names = Array.from({ length: n }, (_, i) => path.join(at, `photo-${i}.png`));
    for (const [i, name] of names.entries()) writeFileSync(name, await aSubjectImage('png', 120 + 8 * i, 90));
    return names;
  }

  it('on Ctrl-C keeps --json output JSON (the notice goes to stderr), exits 130 and leaves no temporary file', async () => {
    // Regression (review): the interrupt notice was written into the stream of JSON lines.
    const inputs = await photos('interrupted', 6);
    const out = path.join(dir, 'interrupted-out');
    let interrupted = false;
    const run = await runCli(
      ['remove', ...inputs, '--json', '--out', out, '--concurrency', '1'],
      { CUTOUT_API_KEY: apiKey, CUTOUT_API_URL: t.url },
      (chunk, child) => {
        if (!interrupted && chunk.includes('\n')) {
          interrupted = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('cutout: interrupted (jobs already submitted keep running on the server)');
    const lines = run.stdout.split('\n').filter((line) => line.trim());
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(readdirSync(out).filter((name) => name.endsWith('.part'))).toEqual([]);
  }, 120_000);

  it('goes on writing its files when the reader of its output goes away (`| head -1`), without a stack trace', async () => {
    // Regression (review): EPIPE was unhandled: the CLI crashed with a stack trace and left the other files unwritten.
    const inputs = await photos('piped', 3);
    const out = path.join(dir, 'piped-out');
    const run = await runCli(
      ['remove', ...inputs, '--json', '--out', out, '--concurrency', '1'],
      { CUTOUT_API_KEY: apiKey, CUTOUT_API_URL: t.url },
      (_chunk, child) => child.stdout.destroy(),
    );
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled|at .*\.ts:\d+/);
    expect(run.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['photo-0-cutout.png', 'photo-1-cutout.png', 'photo-2-cutout.png']);
  }, 120_000);

  it('exits 2 on usage errors', async () => {
    const noKey = await runCli(['remove', files.png, '--api-url', t.url]);
    expect(noKey).toMatchObject({ code: 2, stdout: '' });
    expect(noKey.stderr).toContain('Missing API key');
    const unknownFlag = await runCli(['remove', files.png, '--api-key', apiKey, '--colour', 'red']);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain("Unknown option '--colour'");
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cutout remove <files...>');
  }, 60_000);
});
