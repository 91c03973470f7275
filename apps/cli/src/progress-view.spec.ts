import {
  creditsSpentBy,
  fitName,
  PlainProgressView,
  renderBar,
  renderCredits,
  renderJsonLine,
  renderJsonSummary,
  renderPlainLine,
  renderSummary,
  renderTtyLine,
  TtyProgressView,
  type FileResult,
} from './progress-view';

const sink = (columns?: number) => {
  const chunks: string[] = [];
  return { chunks, columns, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
};

describe('progress rendering', () => {
  it('draws bars', () => {
    expect(renderBar(0, 10)).toBe('░░░░░░░░░░');
    expect(renderBar(0.6, 10)).toBe('██████░░░░');
    expect(renderBar(1, 10)).toBe('██████████');
    expect(renderBar(7, 4)).toBe('████');
    expect(renderBar(Number.NaN, 4)).toBe('░░░░');
  });

  it('fits names, keeping their end', () => {
    expect(fitName('a.png', 8)).toBe('a.png   ');
    expect(fitName('photos/holiday/beach.png', 10)).toBe('…beach.png');
  });

  it('renders a TTY line per state', () => {
    expect(renderTtyLine({ file: 'a.png', phase: 'running', stage: 'INFERENCE', progress: 0.5 }, 6, 10)).toBe(
      'a.png   █████░░░░░  50%  running INFERENCE',
    );
    expect(renderTtyLine({ file: 'a.png', phase: 'done', progress: 1, output: 'out/a-cutout.png' }, 6, 4)).toBe(
      'a.png   ████ 100%  done → out/a-cutout.png',
    );
    expect(renderTtyLine({ file: 'a.png', phase: 'failed', progress: 0, errorCode: 'UNSUPPORTED_IMAGE', message: 'bad' }, 6, 4)).toBe(
      'a.png   ░░░░   0%  failed UNSUPPORTED_IMAGE: bad',
    );
  });

  it('says a finished job’s result is still downloading, and how far it got (review: a file showed 100 % and nothing else meanwhile)', () => {
    const downloading = { file: 'a.png', phase: 'downloading', progress: 1 } as const;
    expect(renderTtyLine(downloading, 6, 4)).toBe('a.png   ████ 100%  downloading');
    expect(renderTtyLine({ ...downloading, received: { bytes: 1_250_000, of: 4_500_000 } }, 6, 4)).toBe(
      'a.png   ████ 100%  downloading 1.3 MB of 4.5 MB',
    );
    expect(renderTtyLine({ ...downloading, received: { bytes: 2_000_000, of: null } }, 6, 4)).toBe('a.png   ████ 100%  downloading 2.0 MB');
    // A plain line (logs) says it once, with the size, however many parts arrive.
    const out = sink();
    const view = new PlainProgressView(out);
    view.update(downloading);
    view.update({ ...downloading, received: { bytes: 1_000_000, of: 4_500_000 } });
    view.update({ ...downloading, received: { bytes: 2_000_000, of: 4_500_000 } });
    expect(out.text()).toBe('a.png: downloading\na.png: downloading 4.5 MB\n');
  });

  it('renders plain lines', () => {
    expect(renderPlainLine({ file: 'a.png', phase: 'uploading', progress: 0 })).toBe('a.png: uploading');
    expect(renderPlainLine({ file: 'a.png', phase: 'queued', progress: 0 })).toBe('a.png: queued 0%');
    expect(renderPlainLine({ file: 'a.png', phase: 'running', stage: 'ENCODED', progress: 0.9 })).toBe('a.png: running ENCODED 90%');
    expect(renderPlainLine({ file: 'a.png', phase: 'done', progress: 1, output: 'a-cutout.png' })).toBe('a.png: done → a-cutout.png');
  });

  it('redraws one line per file in place on a TTY', () => {
    const out = sink(80);
    const view = new TtyProgressView(out, ['a.png', 'b.png']);
    expect(out.chunks[0]).toBe(['a.png', 'b.png'].map((f) => `\r\x1b[2K${f}     ${'░'.repeat(20)}   0%  waiting\n`).join(''));
    view.update({ file: 'b.png', phase: 'running', stage: 'INFERENCE', progress: 0.25 });
    expect(out.chunks[1].startsWith('\x1b[2A')).toBe(true);
    const lines = out.chunks[1].slice('\x1b[2A'.length).split('\n');
    expect(lines).toEqual([expect.stringContaining('a.png'), expect.stringMatching(/b\.png .* 25% {2}running INFERENCE$/), '']);
  });

  it('with more files than terminal rows, prints finished files once and redraws only the files in flight and a count', () => {
    // Regression (review): the redraw moved up more rows than the screen has, pushing a stale copy of every bar into scrollback.
    const out = { ...sink(80), rows: 5 };
    const files = Array.from({ length: 12 }, (_, i) => `p${String(i).padStart(2, '0')}.png`);
    const view = new TtyProgressView(out, files);
    for (const file of files) {
      view.update({ file, phase: 'running', stage: 'INFERENCE', progress: 0.5 });
      view.update({ file, phase: 'done', progress: 1, output: `${file}-cutout.png` });
    }
    view.close();
    // No redraw ever moves above the screen: at most rows − 1 lines are redrawn.
    const moves = out
      .text()
      .split('\x1b[')
      .slice(1)
      .map((code) => /^(\d+)A/.exec(code)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    expect(moves.length).toBeGreaterThan(0);
    expect(Math.max(...moves)).toBeLessThanOrEqual(4);
    // Each file's final line is printed once, and the last line counts them.
    for (const file of files) expect(out.text().split(`${file}-cutout.png`).length - 1).toBe(1);
    expect(out.chunks.at(-1)).toContain('12 of 12 finished, 0 waiting');
  });

  it('truncates TTY lines to the terminal width so the redraw stays aligned', () => {
    const out = sink(30);
    new TtyProgressView(out, ['a-rather-long-file-name.png']);
    for (const line of out.text().split('\n').filter(Boolean)) expect(line.replace('\r\x1b[2K', '').length).toBeLessThanOrEqual(29);
  });

  it('prints a plain line only when something changes', () => {
    const out = sink();
    const view = new PlainProgressView(out);
    view.update({ file: 'a.png', phase: 'running', stage: 'INFERENCE', progress: 0.5 });
    view.update({ file: 'a.png', phase: 'running', stage: 'INFERENCE', progress: 0.5 });
    view.update({ file: 'a.png', phase: 'running', stage: 'ENCODED', progress: 0.9 });
    expect(out.text()).toBe('a.png: running INFERENCE 50%\na.png: running ENCODED 90%\n');
  });

  const results: FileResult[] = [
    { file: 'a.png', jobId: 'j1', status: 'SUCCEEDED', output: 'a-cutout.png', errorCode: null, creditsSpent: 1 },
    {
      file: 'b.png',
      jobId: 'j2',
      status: 'FAILED',
      output: null,
      errorCode: 'UNSUPPORTED_IMAGE',
      message: 'cannot decode',
      creditsSpent: 0,
    },
    {
      file: 'c.txt',
      jobId: null,
      status: 'FAILED',
      output: null,
      errorCode: 'UNSUPPORTED_IMAGE',
      message: 'c.txt: not an image',
      creditsSpent: 0,
    },
    { file: 'd.png', jobId: 'j4', status: 'SUCCEEDED', output: 'd-cutout.png', errorCode: null, creditsSpent: 0.25 },
  ];

  it('summarises with each failure, its code and the job it ran as (review: the job id was only in --json)', () => {
    expect(renderSummary(results.slice(0, 3))).toBe(
      '1 succeeded, 2 failed\n  ✗ b.png: UNSUPPORTED_IMAGE — cannot decode (job j2)\n  ✗ c.txt: UNSUPPORTED_IMAGE — c.txt: not an image\n',
    );
  });

  it('calls a job that runs before its first stage starting, not "running QUEUED"', () => {
    expect(renderPlainLine({ file: 'a.png', phase: 'running', stage: 'QUEUED', progress: 0 })).toBe('a.png: starting 0%');
    expect(renderPlainLine({ file: 'a.png', phase: 'running', stage: 'INFERENCE', progress: 0.5 })).toBe('a.png: running INFERENCE 50%');
  });

  it('ends the summary with the credits spent and left, and what the team owes', () => {
    expect(creditsSpentBy(results)).toBe(1.25);
    // Regression (review): copies of one photo share one job, and its cost was summed once per file.
    const copies = ['x.png', 'y.png', 'z.png'].map((file) => ({ ...results[3], file }));
    expect(creditsSpentBy(copies)).toBe(0.25);
    expect(renderSummary(results, { spent: 1.25, available: 8.75, debt: 0 })).toMatch(/\ncredits: 1\.25 spent, 8\.75 left\n$/);
    expect(renderCredits({ spent: 0.5, available: 0, debt: 2.25 })).toBe('credits: 0.5 spent, 0 left, 2.25 owed');
    expect(renderCredits({ spent: 0, available: null, debt: null })).toBe('credits: 0 spent');
  });

  it('prints JSON lines, and a last line with the totals and credits', () => {
    expect(JSON.parse(renderJsonLine(results[0]))).toEqual({
      file: 'a.png',
      jobId: 'j1',
      status: 'SUCCEEDED',
      output: 'a-cutout.png',
      errorCode: null,
      creditsSpent: 1,
    });
    expect(JSON.parse(renderJsonSummary(results, { spent: 1.25, available: 8.75, debt: 0 }))).toEqual({
      summary: { succeeded: 2, failed: 2, creditsSpent: 1.25, creditsAvailable: 8.75, creditsDebt: 0 },
    });
  });
});
