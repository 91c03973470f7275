import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG_SIGNATURE } from '@cutout/testing';
import { ApiError, type ApiClient, type JobState } from './api-client';
import type { RemoveCommandArgs } from './cli-args';
import { interruptNotice } from './main';
import { failureOf, jobsInFlight, mapWithConcurrency, outputPathFor, runRemove, type JobFollower } from './remove-command';

const PNG = Buffer.concat([PNG_SIGNATURE, Buffer.from([1, 2, 3, 4])]);
const state = (jobId: string, status: JobState['status'], extra: Partial<JobState> = {}): JobState => ({
  jobId,
  status,
  stage: 'QUEUED',
  progress: 0,
  resultUrl: null,
  error: null,
  ...extra,
});

function fakeApi(overrides: Partial<Record<keyof ApiClient, unknown>> = {}) {
  const calls: string[] = [];
  const api = {
    defaultTeamId: jest.fn(async () => 'team-1'),
    // Ids follow the file, not the call order (files are read concurrently).
    createUpload: jest.fn(async (input: { filename: string }) => ({
      id: `u-${input.filename}`,
      uploadUrl: `http://api/uploads/u-${input.filename}`,
      expiresAt: '',
    })),
    putUpload: jest.fn(async () => undefined),
    removeBackground: jest.fn(async (input: { uploadId: string; idempotencyKey: string }) => {
      calls.push(input.idempotencyKey);
      return state(`job-${input.uploadId}`, 'QUEUED', { creditsCharged: 1, creditsRefunded: 0 });
    }),
    job: jest.fn(async (id: string) =>
      state(id, 'SUCCEEDED', { resultUrl: `http://api/downloads/${id}`, progress: 1, creditsCharged: 1, creditsRefunded: 0 }),
    ),
    creditBalance: jest.fn(async () => ({ available: 8.75, debt: 0 })),
    download: jest.fn(async () => ({ bytes: Buffer.from('result'), contentType: 'image/png', filename: 'x-cutout.png' })),
    ...overrides,
  };
  return { api: api as unknown as ApiClient, mocks: api, calls };
}

const succeedingWatcher = (): JobFollower & { closed: boolean } => ({
  closed: false,
  async watch(jobId, onEvent) {
    onEvent(state(jobId, 'RUNNING', { stage: 'INFERENCE', progress: 0.5 }));
    return state(jobId, 'SUCCEEDED', { stage: 'STORED', progress: 1, resultUrl: `http://api/downloads/${jobId}` });
  },
  async close() {
    this.closed = true;
  },
});

describe('remove command', () => {
  let dir: string;
  let out: string[];
  const io = () => ({ stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) } });
  const args = (files: string[], extra: Partial<RemoveCommandArgs> = {}): RemoveCommandArgs => ({
    files,
    apiKey: 'ck_x',
    apiUrl: 'http://api',
    concurrency: 2,
    json: false,
    overwrite: false,
    newJob: false,
    options: { size: 'FULL', type: 'CUTOUT', format: 'PNG', crop: false, refine: false },
    ...extra,
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cutout-cli-remove-'));
    out = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const image = (name: string, content: Buffer | string = PNG) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  it('runs at most `limit` tasks at once and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 3, 2, 4], 2, async (x) => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, x));
      running--;
      return x * 10;
    });
    expect(results).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });

  it('on a terminal, shows a finished job’s result downloading with the bytes so far, then done', async () => {
    const { api } = fakeApi({
      download: jest.fn(async (_url: string, onBytes?: (received: number, total: number | null) => void) => {
        onBytes?.(1_000_000, 3_000_000);
        return { bytes: PNG, contentType: 'image/png', filename: 'a-cutout.png' };
      }),
    });
    const chunks: string[] = [];
    const stdout = { isTTY: true, columns: 120, rows: 40, write: (s: string) => chunks.push(s) };
    const code = await runRemove(
      args([image('a.png')]),
      { stdout, stderr: { write: () => undefined } },
      { api, watcher: succeedingWatcher() },
    );
    expect(code).toBe(0);
    const shown = chunks.join('');
    expect(shown.indexOf('downloading 1.0 MB of 3.0 MB')).toBeGreaterThan(-1);
    expect(shown.indexOf('done →')).toBeGreaterThan(shown.indexOf('downloading 1.0 MB of 3.0 MB'));
  });

  it('names outputs <name>-cutout.<ext> next to the input or in --out', () => {
    expect(outputPathFor('photos/a.b.jpg', undefined, 'png')).toBe(path.join('photos', 'a.b-cutout.png'));
    expect(outputPathFor('photos/a.jpg', 'out', 'webp')).toBe(path.join('out', 'a-cutout.webp'));
  });

  it('uploads, follows and downloads each file; reports bad files with their code', async () => {
    const { api, mocks } = fakeApi();
    const watcher = succeedingWatcher();
    const files = [
      image('a.png'),
      image('b.png', Buffer.concat([PNG, Buffer.from('x')])),
      image('notes.txt', 'hello'),
      path.join(dir, 'missing.png'),
    ];
    const code = await runRemove(args(files, { outDir: path.join(dir, 'out'), json: true }), io(), { api, watcher });
    expect(code).toBe(1);
    const lines = out
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const byFile = Object.fromEntries(lines.filter((l) => l.file).map((l) => [path.basename(l.file), l]));
    expect(byFile['a.png']).toEqual({
      file: files[0],
      jobId: 'job-u-a.png',
      status: 'SUCCEEDED',
      output: path.join(dir, 'out', 'a-cutout.png'),
      errorCode: null,
      creditsSpent: 1,
    });
    expect(byFile['b.png']).toMatchObject({ status: 'SUCCEEDED', output: path.join(dir, 'out', 'b-cutout.png') });
    expect(byFile['notes.txt']).toMatchObject({
      status: 'FAILED',
      jobId: null,
      errorCode: 'UNSUPPORTED_IMAGE',
      message: expect.stringContaining('not a JPEG, PNG or WebP image'),
    });
    expect(byFile['missing.png']).toMatchObject({ status: 'FAILED', errorCode: 'FILE_NOT_FOUND' });
    expect(readFileSync(path.join(dir, 'out', 'a-cutout.png'), 'utf8')).toBe('result');
    expect(mocks.defaultTeamId).toHaveBeenCalledTimes(1);
    expect(mocks.createUpload).toHaveBeenCalledWith({
      teamId: 'team-1',
      filename: 'a.png',
      contentType: 'image/png',
      byteSize: PNG.length,
    });
    expect(watcher.closed).toBe(true);
    expect(out.join('')).toContain('2 succeeded, 2 failed');
    // The last JSON line: totals, the credits the two jobs cost and the team's balance after them.
    expect(lines.at(-1)).toEqual({ summary: { succeeded: 2, failed: 2, creditsSpent: 2, creditsAvailable: 8.75, creditsDebt: 0 } });
    expect(mocks.creditBalance).toHaveBeenCalledWith('team-1');
  });

  it('prints the credits spent (charged − refunded, read from each job) and left at the end', async () => {
    // b.png's job fails; its charge comes back.
    const job = async (id: string) =>
      id === 'job-u-b.png'
        ? state(id, 'FAILED', { error: { code: 'UNSUPPORTED_IMAGE', message: 'cannot decode' }, creditsCharged: 1, creditsRefunded: 1 })
        : state(id, 'SUCCEEDED', { resultUrl: `http://api/downloads/${id}`, progress: 1, creditsCharged: 0.25, creditsRefunded: 0 });
    const { api, mocks } = fakeApi({ job, creditBalance: jest.fn(async () => ({ available: 3.5, debt: 0 })) });
    // Final states as a JobEvent brings them: no credits, so the command reads each job.
    const watcher: JobFollower = {
      watch: async (jobId) => {
        const { creditsCharged: _c, creditsRefunded: _r, ...event } = await job(jobId);
        return event;
      },
      close: async () => undefined,
    };
    const code = await runRemove(args([image('a.png'), image('b.png', Buffer.concat([PNG, Buffer.from('b')]))], { teamId: 't' }), io(), {
      api,
      watcher,
    });
    expect(code).toBe(1);
    expect(out.join('')).toMatch(/1 succeeded, 1 failed\n.*\ncredits: 0\.25 spent, 3\.5 left\n$/s);
    expect(mocks.creditBalance).toHaveBeenCalledWith('t');
  });

  it('still prints what was spent when the balance cannot be read', async () => {
    const { api } = fakeApi({ creditBalance: async () => Promise.reject(new ApiError('FORBIDDEN', 'no')) });
    expect(await runRemove(args([image('a.png')], { teamId: 't' }), io(), { api, watcher: succeedingWatcher() })).toBe(0);
    expect(out.join('')).toMatch(/\ncredits: 1 spent\n$/);
  });

  it('gives the same content and options the same idempotency key', async () => {
    const { api, calls } = fakeApi();
    await runRemove(args([image('a.png'), image('copy.png')], { teamId: 't' }), io(), { api, watcher: succeedingWatcher() });
    expect(calls).toHaveLength(2);
    expect(calls[0]).toBe(calls[1]);
  });

  it('reports failed jobs with their error code and API errors with theirs', async () => {
    const { api } = fakeApi({
      removeBackground: async () => state('j1', 'FAILED', { error: { code: 'UNSUPPORTED_IMAGE', message: 'cannot decode' } }),
    });
    expect(await runRemove(args([image('a.png')], { teamId: 't' }), io(), { api, watcher: succeedingWatcher() })).toBe(1);
    expect(out.join('')).toContain('✗ ' + path.join(dir, 'a.png') + ': UNSUPPORTED_IMAGE — cannot decode');

    out = [];
    const unauthorised = fakeApi({ defaultTeamId: async () => Promise.reject(new ApiError('UNAUTHENTICATED', 'sign in')) });
    expect(await runRemove(args([image('a.png')]), io(), { api: unauthorised.api, watcher: succeedingWatcher() })).toBe(1);
    expect(out.join('')).toContain(': UNAUTHENTICATED — sign in');
  });

  it('falls back to polling when the WebSocket is lost', async () => {
    const { api, mocks } = fakeApi();
    const watcher: JobFollower = { watch: async () => Promise.reject(new ApiError('NETWORK_ERROR', 'gone')), close: async () => undefined };
    expect(await runRemove(args([image('a.png')], { teamId: 't' }), io(), { api, watcher })).toBe(0);
    expect(mocks.job).toHaveBeenCalledWith('job-u-a.png');
    expect(existsSync(path.join(dir, 'a-cutout.png'))).toBe(true);
  });

  it('does not overwrite one output with another of the same name', async () => {
    const { api } = fakeApi();
    const sub = path.join(dir, 'sub');
    mkdirSync(sub);
    const files = [image('a.png'), image(path.join('sub', 'a.png'), Buffer.concat([PNG, Buffer.from('2')]))];
    await runRemove(args(files, { outDir: path.join(dir, 'out'), concurrency: 1 }), io(), { api, watcher: succeedingWatcher() });
    expect(existsSync(path.join(dir, 'out', 'a-cutout.png'))).toBe(true);
    expect(existsSync(path.join(dir, 'out', 'a-cutout-2.png'))).toBe(true);
  });

  it('knows the jobs it is still following, so an interrupt can name them (review: Ctrl-C named none)', async () => {
    const { api } = fakeApi();
    const seen: string[][] = [];
    const watcher: JobFollower = {
      async watch(jobId, onEvent) {
        seen.push(jobsInFlight());
        return succeedingWatcher().watch(jobId, onEvent);
      },
      close: () => Promise.resolve(),
    };
    expect(await runRemove(args([image('a.png')]), io(), { api, watcher })).toBe(0);
    expect(seen).toEqual([[expect.any(String)]]);
    expect(jobsInFlight()).toEqual([]);
    expect(interruptNotice(seen[0])).toBe(`\ncutout: interrupted (jobs already submitted keep running on the server: ${seen[0][0]})\n`);
    expect(interruptNotice([])).toBe('\ncutout: interrupted (jobs already submitted keep running on the server)\n');
  });

  describe('existing files', () => {
    it('never replaces an existing <name>-cutout.<ext>: refused before anything is sent, exit 1', async () => {
      const { api, mocks } = fakeApi();
      const mine = image('photo-cutout.png', 'my own edited cut-out');
      const code = await runRemove(args([image('photo.png')], { json: true }), io(), { api, watcher: succeedingWatcher() });
      expect(code).toBe(1);
      expect(readFileSync(mine, 'utf8')).toBe('my own edited cut-out');
      expect(mocks.createUpload).not.toHaveBeenCalled();
      expect(mocks.removeBackground).not.toHaveBeenCalled();
      const [line, summary] = out
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      expect(line).toMatchObject({ jobId: null, status: 'FAILED', output: null, errorCode: 'OUTPUT_EXISTS', creditsSpent: 0 });
      expect(line.message).toContain('--overwrite');
      expect(summary.summary).toMatchObject({ succeeded: 0, failed: 1, creditsSpent: 0 });
      expect(out.join('')).toContain(`✗ ${path.join(dir, 'photo.png')}: OUTPUT_EXISTS — ${mine} already exists`);
    });

    it('reports a mistyped file as FILE_NOT_FOUND even when its output name exists', async () => {
      // Regression (review): `a.pgn` beside an existing `a-cutout.png` said OUTPUT_EXISTS ("pass --overwrite") first.
      const { api, mocks } = fakeApi();
      image('photo-cutout.png', 'an earlier result');
      const code = await runRemove(args([path.join(dir, 'photo.pgn')], { json: true }), io(), { api, watcher: succeedingWatcher() });
      expect(code).toBe(1);
      const [line] = out
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      expect(line).toMatchObject({ errorCode: 'FILE_NOT_FOUND', creditsSpent: 0 });
      expect(mocks.createUpload).not.toHaveBeenCalled();
    });

    it('replaces it with --overwrite', async () => {
      const { api } = fakeApi();
      const mine = image('photo-cutout.png', 'old');
      expect(await runRemove(args([image('photo.png')], { overwrite: true }), io(), { api, watcher: succeedingWatcher() })).toBe(0);
      expect(readFileSync(mine, 'utf8')).toBe('result');
      expect(out.join('')).toContain('1 succeeded, 0 failed');
    });

    it("does not send an input that is another input's result (an earlier run's, caught by a glob); its original is refused or replaces it as --overwrite says", async () => {
      // Regression: `cutout remove *.png` run again refused a.png (OUTPUT_IS_INPUT) and sent, and charged, a-cutout.png.
      for (const overwrite of [false, true]) {
        const { api, mocks } = fakeApi();
        const earlier = Buffer.concat([PNG, Buffer.from('an earlier result')]);
        const files = [image('a.png'), image('a-cutout.png', earlier)];
        out = [];
        const code = await runRemove(args(files, { concurrency: 1, overwrite }), io(), { api, watcher: succeedingWatcher() });
        expect(code).toBe(1);
        expect(out.join('')).toContain(`✗ ${files[1]}: INPUT_IS_RESULT — ${files[1]} is where ${files[0]}'s result goes`);
        expect(readdirSync(dir).sort()).toEqual(['a-cutout.png', 'a.png']);
        if (overwrite) {
          // The original is sent once and its result replaces the earlier one.
          expect(mocks.createUpload).toHaveBeenCalledTimes(1);
          expect(readFileSync(files[1], 'utf8')).toBe('result');
          expect(out.join('')).toContain('1 succeeded, 1 failed');
        } else {
          // Nothing is sent: the original's result exists, the earlier result is not an input to process.
          expect(mocks.createUpload).not.toHaveBeenCalled();
          expect(readFileSync(files[1])).toEqual(earlier);
          expect(out.join('')).toContain(`✗ ${files[0]}: OUTPUT_EXISTS`);
          expect(out.join('')).toContain('0 succeeded, 2 failed');
        }
      }
    });

    it('never writes over an input that is sent (the same file through a hard link), even with --overwrite', async () => {
      const { api, mocks } = fakeApi();
      const photo = image('photo.png');
      const other = image('other.png', Buffer.concat([PNG, Buffer.from('other')]));
      // The place photo.png's result would go is the other input itself, under another name.
      linkSync(other, path.join(dir, 'photo-cutout.png'));
      out = [];
      const code = await runRemove(args([photo, other], { concurrency: 1, overwrite: true }), io(), { api, watcher: succeedingWatcher() });
      expect(code).toBe(1);
      expect(out.join('')).toContain(`✗ ${photo}: OUTPUT_IS_INPUT`);
      expect(mocks.createUpload).toHaveBeenCalledTimes(1);
      expect(readFileSync(other, 'latin1')).toContain('other');
    });

    it('does not clobber a file created at the output while the job ran; the job is reported with its cost', async () => {
      const output = path.join(dir, 'photo-cutout.png');
      const { api } = fakeApi({
        download: jest.fn(async () => {
          writeFileSync(output, 'appeared meanwhile');
          return { bytes: Buffer.from('result'), contentType: 'image/png', filename: null };
        }),
      });
      const code = await runRemove(args([image('photo.png')], { json: true }), io(), { api, watcher: succeedingWatcher() });
      expect(code).toBe(1);
      expect(readFileSync(output, 'utf8')).toBe('appeared meanwhile');
      const [line] = out
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      expect(line).toMatchObject({ jobId: 'job-u-photo.png', status: 'FAILED', output: null, errorCode: 'OUTPUT_EXISTS', creditsSpent: 1 });
      expect(line.message).toContain('was created while the job ran');
      expect(readdirSync(dir).sort()).toEqual(['photo-cutout.png', 'photo.png']);
    });
  });

  describe('a re-run whose earlier result expired', () => {
    const expired = (id: string, extra: Partial<JobState> = {}) =>
      state(id, 'SUCCEEDED', { stage: 'STORED', progress: 1, creditsCharged: 1, creditsRefunded: 0, resultExpired: true, ...extra });

    it('is reported as RESULT_EXPIRED with what to do, never as a status', async () => {
      const { api, mocks } = fakeApi({
        removeBackground: jest.fn(async () => expired('job-1')),
        job: jest.fn(async (id: string) => expired(id)),
      });
      const code = await runRemove(args([image('photo.png')], { json: true }), io(), { api, watcher: succeedingWatcher() });
      expect(code).toBe(1);
      const text = out.join('');
      expect(text).not.toMatch(/"errorCode":"SUCCEEDED"|: SUCCEEDED/);
      const [line] = text
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      expect(line).toMatchObject({ jobId: 'job-1', status: 'FAILED', output: null, errorCode: 'RESULT_EXPIRED' });
      expect(line.message).toMatch(/deleted by the team's retention policy.*--new-job.*charged again/);
      expect(text).toContain(`✗ ${path.join(dir, 'photo.png')}: RESULT_EXPIRED — `);
      expect(mocks.download).not.toHaveBeenCalled();
    });

    it('reads the job when the final state (a JobEvent) does not say whether the result expired', async () => {
      const { api, mocks } = fakeApi({ job: jest.fn(async (id: string) => expired(id)) });
      const watcher: JobFollower = { watch: async (id) => state(id, 'SUCCEEDED', { progress: 1 }), close: async () => undefined };
      expect(await runRemove(args([image('photo.png')], { teamId: 't' }), io(), { api, watcher })).toBe(1);
      expect(mocks.job).toHaveBeenCalledWith('job-u-photo.png');
      expect(out.join('')).toContain(': RESULT_EXPIRED — ');
    });

    it('reports a result deleted between its link and the download the same way', async () => {
      const { api } = fakeApi({ download: jest.fn(async () => Promise.reject(new ApiError('RESULT_EXPIRED', 'gone', 410))) });
      expect(await runRemove(args([image('photo.png')], { teamId: 't' }), io(), { api, watcher: succeedingWatcher() })).toBe(1);
      expect(out.join('')).toMatch(/: RESULT_EXPIRED — .*--new-job/);
    });

    it('--new-job sends keys no earlier run had (one per run: equal files of the run still share one)', async () => {
      const plain = fakeApi();
      await runRemove(args([image('a.png')], { teamId: 't' }), io(), { api: plain.api, watcher: succeedingWatcher() });
      const fresh = fakeApi();
      await runRemove(args([image('a.png', PNG), image('copy.png', PNG)], { teamId: 't', newJob: true, overwrite: true }), io(), {
        api: fresh.api,
        watcher: succeedingWatcher(),
      });
      expect(fresh.calls).toHaveLength(2);
      expect(fresh.calls[0]).toBe(fresh.calls[1]);
      expect(fresh.calls[0]).not.toBe(plain.calls[0]);
      expect(fresh.calls[0]).toMatch(/^cli-[0-9a-f]{64}$/);
    });
  });

  it('never reports a job status as an error code', () => {
    expect(failureOf(state('j', 'FAILED'))).toEqual({ errorCode: 'JOB_FAILED', message: 'the job ended FAILED without an error code' });
    expect(failureOf(state('j', 'CANCELED')).errorCode).toBe('CANCELED');
    expect(failureOf(state('j', 'SUCCEEDED', { resultExpired: false })).errorCode).toBe('RESULT_UNAVAILABLE');
    expect(failureOf(state('j', 'SUCCEEDED', { resultExpired: true })).errorCode).toBe('RESULT_EXPIRED');
  });
});
