import { JobStatus, type TerminalJobStatus } from '@cutout/job-vocabulary';

/** Where a file is in its trip: local checks, upload, the job's life, the download. */
export type FilePhase = 'waiting' | 'uploading' | 'queued' | 'running' | 'downloading' | 'done' | 'failed';

export interface FileProgress {
  file: string;
  phase: FilePhase;
  /** 0–1 over the whole trip (the job's own progress while it runs). */
  progress: number;
  /** The job's stage while it runs (INFERENCE, ENCODED, …). */
  stage?: string;
  jobId?: string;
  output?: string;
  errorCode?: string;
  message?: string;
  /** While the result downloads: the bytes so far, and the result's size when known. */
  received?: { bytes: number; of: number | null };
}

export interface FileResult {
  file: string;
  jobId: string | null;
  status: TerminalJobStatus;
  output: string | null;
  errorCode: string | null;
  message?: string;
  /** Credits the file's job cost in the end (charged − refunded); 0 when no job was created. */
  creditsSpent: number;
}

/** The credits of a run: spent by its jobs, and the team's balance after it (null when it could not be read). */
export interface RunCredits {
  spent: number;
  available: number | null;
  debt: number | null;
}

/**
 * The credits a run's jobs cost (each a multiple of 0.25: the sum is exact), each job once: files with
 * the same bytes and options share one job (its idempotency key), and each of them reports its cost.
 */
export function creditsSpentBy(results: FileResult[]): number {
  const counted = new Set<string>();
  let sum = 0;
  for (const r of results) {
    if (r.jobId !== null) {
      if (counted.has(r.jobId)) continue;
      counted.add(r.jobId);
    }
    sum += r.creditsSpent;
  }
  return sum;
}

/** `credits: 1.25 spent, 8.75 left` (and what the team owes, if anything). */
export function renderCredits(credits: RunCredits): string {
  const left = credits.available === null ? '' : `, ${credits.available} left`;
  const owed = credits.debt ? `, ${credits.debt} owed` : '';
  return `credits: ${credits.spent} spent${left}${owed}`;
}

export interface ProgressView {
  update(progress: FileProgress): void;
  close(): void;
}

export interface OutputStream {
  write(chunk: string): unknown;
  columns?: number;
  rows?: number;
}

const clamp = (n: number) => Math.min(1, Math.max(0, Number.isFinite(n) ? n : 0));

/** `██████░░░░` for 0.6 at width 10. */
export function renderBar(progress: number, width: number): string {
  const filled = Math.round(clamp(progress) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** Shortens a name to `width` characters, keeping its end (the file name) visible. */
export function fitName(name: string, width: number): string {
  if (name.length <= width) return name.padEnd(width);
  return `…${name.slice(name.length - width + 1)}`;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** What a file is doing; `live` (a redrawn TTY line) adds what changes often, such as the bytes downloaded so far. */
function describe(p: FileProgress, live: boolean): string {
  switch (p.phase) {
    case 'downloading': {
      // The job is done (100 %): the line says the result is still on its way, and how far it got.
      const of = p.received?.of;
      if (!live) return of ? `downloading ${megabytes(of)}` : 'downloading';
      return p.received ? `downloading ${megabytes(p.received.bytes)}${of ? ` of ${megabytes(of)}` : ''}` : 'downloading';
    }
    case 'running':
      // RUNNING before its first stage (a worker took it): starting, not "running QUEUED".
      return !p.stage || p.stage === 'QUEUED' ? 'starting' : `running ${p.stage}`;
    case 'done':
      return `done → ${p.output ?? ''}`;
    case 'failed':
      return `failed ${p.errorCode ?? ''}${p.message ? `: ${p.message}` : ''}`;
    default:
      return p.phase;
  }
}

/** One redrawn TTY line: `photo.jpg   ██████░░░░  60%  running INFERENCE`. */
export function renderTtyLine(p: FileProgress, nameWidth: number, barWidth = 20): string {
  const percent = `${Math.round(clamp(p.progress) * 100)}%`.padStart(4);
  return `${fitName(p.file, nameWidth)}  ${renderBar(p.progress, barWidth)} ${percent}  ${describe(p, true)}`;
}

/** One line per event when stdout is not a terminal: `photo.jpg: running INFERENCE 60%`. */
export function renderPlainLine(p: FileProgress): string {
  const percent = p.phase === 'running' || p.phase === 'queued' ? ` ${Math.round(clamp(p.progress) * 100)}%` : '';
  return `${p.file}: ${describe(p, false)}${percent}`;
}

/**
 * One bar per file, redrawn in place with ANSI cursor movement. With more files than the terminal has
 * rows (a redraw cannot move above the screen's top), finished files are printed once, above the bars,
 * and the bars are the files in flight only, with a line counting the rest.
 */
export class TtyProgressView implements ProgressView {
  private readonly states = new Map<string, FileProgress>();
  private readonly nameWidth: number;
  private drawn = 0;
  /** Files printed for good above the bars (compact mode). */
  private readonly settled = new Set<string>();

  constructor(
    private readonly out: OutputStream,
    files: string[],
  ) {
    for (const file of files) this.states.set(file, { file, phase: 'waiting', progress: 0 });
    this.nameWidth = Math.min(32, Math.max(8, ...files.map((f) => f.length)));
    this.draw();
  }

  update(progress: FileProgress): void {
    this.states.set(progress.file, progress);
    this.draw();
  }

  close(): void {
    this.draw();
  }

  private draw(): void {
    const columns = this.out.columns && this.out.columns > 20 ? this.out.columns - 1 : 200;
    const fit = (p: FileProgress) => renderTtyLine(p, this.nameWidth).slice(0, columns);
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    const rows = this.out.rows && this.out.rows > 2 ? this.out.rows : Infinity;
    if (this.states.size < rows) {
      const lines = [...this.states.values()].map(fit);
      this.out.write(up + lines.map((l) => `\r\x1b[2K${l}\n`).join(''));
      this.drawn = lines.length;
      return;
    }
    const all = [...this.states.values()];
    const settling = all.filter((p) => (p.phase === 'done' || p.phase === 'failed') && !this.settled.has(p.file));
    for (const p of settling) this.settled.add(p.file);
    const live = all.filter((p) => !this.settled.has(p.file) && p.phase !== 'waiting').slice(0, rows - 2);
    const waiting = all.filter((p) => p.phase === 'waiting').length;
    const lines = [...live.map(fit), `${this.settled.size} of ${all.length} finished, ${waiting} waiting`.slice(0, columns)];
    // Settled lines scroll away with the terminal; the bars below them are redrawn, and what is left of the old ones cleared.
    this.out.write(up + [...settling.map(fit), ...lines].map((l) => `\r\x1b[2K${l}\n`).join('') + '\x1b[0J');
    this.drawn = lines.length;
  }
}

/** A line whenever a file's state changes (logs, CI, pipes). */
export class PlainProgressView implements ProgressView {
  private readonly last = new Map<string, string>();

  constructor(private readonly out: OutputStream) {}

  update(progress: FileProgress): void {
    const line = renderPlainLine(progress);
    if (this.last.get(progress.file) === line) return;
    this.last.set(progress.file, line);
    this.out.write(`${line}\n`);
  }

  close(): void {
    // nothing buffered
  }
}

/** For --json: progress is not shown. */
export class SilentProgressView implements ProgressView {
  update(): void {
    // silent
  }
  close(): void {
    // silent
  }
}

/** `2 succeeded, 1 failed`, one line per failure with its error code, then the credits (when known). */
export function renderSummary(results: FileResult[], credits?: RunCredits): string {
  const ok = results.filter((r) => r.status === JobStatus.SUCCEEDED);
  const failed = results.filter((r) => r.status !== JobStatus.SUCCEEDED);
  const lines = [`${ok.length} succeeded, ${failed.length} failed`];
  for (const r of failed)
    lines.push(`  ✗ ${r.file}: ${r.errorCode ?? r.status}${r.message ? ` — ${r.message}` : ''}${r.jobId ? ` (job ${r.jobId})` : ''}`);
  if (credits) lines.push(renderCredits(credits));
  return `${lines.join('\n')}\n`;
}

/** The --json line of a file. */
export function renderJsonLine(r: FileResult): string {
  return `${JSON.stringify({ file: r.file, jobId: r.jobId, status: r.status, output: r.output, errorCode: r.errorCode, ...(r.message ? { message: r.message } : {}), creditsSpent: r.creditsSpent })}\n`;
}

/** The last --json line: `{"summary":{succeeded, failed, creditsSpent, creditsAvailable, creditsDebt}}`. */
export function renderJsonSummary(results: FileResult[], credits: RunCredits): string {
  const succeeded = results.filter((r) => r.status === JobStatus.SUCCEEDED).length;
  return `${JSON.stringify({
    summary: {
      succeeded,
      failed: results.length - succeeded,
      creditsSpent: credits.spent,
      creditsAvailable: credits.available,
      creditsDebt: credits.debt,
    },
  })}\n`;
}
