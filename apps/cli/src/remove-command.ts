import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiErrorCode, isTerminalJobStatus, JobErrorCode, JobStatus } from '@cutout/job-vocabulary';
import { ApiClient, ApiError, type JobState } from './api-client';
import type { RemoveCommandArgs, RemoveOptionsInput } from './cli-args';
import { idempotencyKey } from './idempotency-key';
import { checkImageFile, InputFileError } from './image-file';
import { JobWatcher } from './job-watcher';
import { OutputFileError, planOutputs, writeOutput } from './output-file';
import {
  creditsSpentBy,
  PlainProgressView,
  renderJsonLine,
  renderJsonSummary,
  renderSummary,
  SilentProgressView,
  TtyProgressView,
  type FileProgress,
  type FileResult,
  type OutputStream,
  type ProgressView,
  type RunCredits,
} from './progress-view';

export interface CommandIo {
  stdout: OutputStream & { isTTY?: boolean };
  stderr: OutputStream;
}

export interface JobFollower {
  watch(jobId: string, onEvent: (state: JobState) => void): Promise<JobState>;
  close(): Promise<void>;
}

/** Runs `fn` over `items` with at most `limit` at once; results keep the input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export { outputPathFor } from './output-file';

const POLL_MS = 500;
const POLL_LIMIT_MS = 15 * 60_000;
/** The least time between two redraws of a file's download progress. */
const DOWNLOAD_REDRAW_MS = 100;

/** `cutout remove`: returns the exit code (0 all succeeded, 1 any failed, or refused before it was sent). */
/** The jobs this process submitted that it is still following (an interrupt names them: they go on running). */
const inFlight = new Set<string>();
export const jobsInFlight = (): string[] => [...inFlight];

export async function runRemove(
  args: RemoveCommandArgs,
  io: CommandIo,
  deps: { api?: ApiClient; watcher?: JobFollower } = {},
): Promise<number> {
  const api = deps.api ?? new ApiClient({ apiUrl: args.apiUrl, apiKey: args.apiKey });
  const watcher = deps.watcher ?? new JobWatcher({ apiUrl: args.apiUrl, apiKey: args.apiKey });
  const view: ProgressView = args.json
    ? new SilentProgressView()
    : io.stdout.isTTY
      ? new TtyProgressView(io.stdout, args.files)
      : new PlainProgressView(io.stdout);

  let team: Promise<string> | undefined;
  const teamId = () => (team ??= args.teamId ? Promise.resolve(args.teamId) : api.defaultTeamId());
  // Every output is decided before anything is sent: a file whose result cannot be written is never charged.
  const plans = await planOutputs(args.files, args.outDir, args.options.format.toLowerCase(), args.overwrite);
  // --new-job: one fresh salt for the run, so its keys match no earlier job (files of the same run still share one).
  const salt = args.newJob ? randomUUID() : undefined;

  const follow = async (job: JobState, onEvent: (s: JobState) => void): Promise<JobState> => {
    if (isTerminalJobStatus(job.status)) return job;
    try {
      return await watcher.watch(job.jobId, onEvent);
    } catch (error) {
      // The API's own answers (NOT_FOUND, UNAUTHENTICATED…) stand; a lost connection falls back to polling.
      if (!(error instanceof ApiError) || !['NETWORK_ERROR', 'WATCH_INCOMPLETE'].includes(error.code)) throw error;
      const deadline = Date.now() + POLL_LIMIT_MS;
      for (;;) {
        const state = await api.job(job.jobId);
        onEvent(state);
        if (isTerminalJobStatus(state.status)) return state;
        if (Date.now() > deadline) throw new ApiError('TIMEOUT', `job ${job.jobId} is still ${state.status}`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }
  };

  /**
   * What a finished job cost: charged − refunded, read from the job (a JobEvent carries no credits).
   * Unreadable: the charge at submit, all given back when the job failed or was canceled.
   */
  const spentOn = async (submitted: JobState, last: JobState): Promise<number> => {
    if (last.creditsCharged !== undefined && last.creditsRefunded !== undefined) return last.creditsCharged - last.creditsRefunded;
    const job = await api.job(last.jobId).catch(() => null);
    if (job?.creditsCharged !== undefined && job.creditsRefunded !== undefined) return job.creditsCharged - job.creditsRefunded;
    return last.status === JobStatus.FAILED || last.status === JobStatus.CANCELED ? 0 : (submitted.creditsCharged ?? 0);
  };

  const processFile = async (file: string, index: number): Promise<FileResult> => {
    let jobId: string | null = null;
    let submitted: JobState | null = null;
    let last: JobState | null = null;
    const show = (p: Omit<FileProgress, 'file'>) => view.update({ file, jobId: jobId ?? undefined, ...p });
    try {
      const plan = plans[index];
      if (plan.error) {
        // A mistyped name is FILE_NOT_FOUND, not "its output exists".
        if (!(await stat(file).catch(() => null))) throw new InputFileError('FILE_NOT_FOUND', 'no such file');
        throw plan.error;
      }
      const contentType = await checkImageFile(file);
      const bytes = await readFile(file);
      show({ phase: 'uploading', progress: 0 });
      const upload = await api.createUpload({ teamId: await teamId(), filename: path.basename(file), contentType, byteSize: bytes.length });
      await api.putUpload(upload.uploadUrl, bytes, contentType);
      const options: RemoveOptionsInput = args.options;
      const job = await api.removeBackground({
        teamId: await teamId(),
        uploadId: upload.id,
        idempotencyKey: idempotencyKey(bytes, options, salt),
        options,
      });
      jobId = job.jobId;
      inFlight.add(job.jobId);
      submitted = last = job;
      const onEvent = (s: JobState) => {
        last = s;
        if (!isTerminalJobStatus(s.status))
          show({ phase: s.status === JobStatus.QUEUED ? 'queued' : 'running', stage: s.stage, progress: s.progress });
      };
      onEvent(job);
      let final = await follow(job, onEvent);
      // A JobEvent does not say whether a result expired: the job itself does.
      if (final.status === JobStatus.SUCCEEDED && !final.resultUrl && final.resultExpired === undefined)
        final = await api.job(final.jobId).catch(() => final);
      last = final;
      const creditsSpent = await spentOn(job, final);
      if (final.status !== JobStatus.SUCCEEDED || !final.resultUrl) {
        const { errorCode, message } = failureOf(final);
        show({ phase: 'failed', progress: final.progress, errorCode, message });
        return {
          file,
          jobId,
          status: final.status === JobStatus.CANCELED ? JobStatus.CANCELED : JobStatus.FAILED,
          output: null,
          errorCode,
          message,
          creditsSpent,
        };
      }
      show({ phase: 'downloading', progress: 1 });
      let shownAt = 0;
      const result = await api.download(final.resultUrl, (bytes, of) => {
        // A redraw per part of a large result would cost more than the download: at most ten a second.
        if (Date.now() - shownAt < DOWNLOAD_REDRAW_MS) return;
        shownAt = Date.now();
        show({ phase: 'downloading', progress: 1, received: { bytes, of } });
      });
      const output = plan.output;
      await writeOutput(output, result.bytes, args.overwrite);
      show({ phase: 'done', progress: 1, output });
      return { file, jobId, status: JobStatus.SUCCEEDED, output, errorCode: null, creditsSpent };
    } catch (error) {
      const coded = error instanceof ApiError || error instanceof InputFileError || error instanceof OutputFileError;
      const errorCode = coded ? error.code : 'CLIENT_ERROR';
      // The result was deleted between its link and the download.
      const message = errorCode === ApiErrorCode.RESULT_EXPIRED ? RESULT_EXPIRED_MESSAGE : (error as Error).message;
      show({ phase: 'failed', progress: 0, errorCode, message });
      const creditsSpent = submitted && last ? await spentOn(submitted, last) : 0;
      return { file, jobId, status: JobStatus.FAILED, output: null, errorCode, message, creditsSpent };
    } finally {
      if (jobId) inFlight.delete(jobId);
    }
  };

  let results: FileResult[];
  try {
    results = await mapWithConcurrency(args.files, args.concurrency, async (file, index) => {
      const result = await processFile(file, index);
      if (args.json) io.stdout.write(renderJsonLine(result));
      return result;
    });
  } finally {
    view.close();
    await watcher.close();
  }
  const credits = await runCredits(api, team, results);
  if (args.json) io.stdout.write(renderJsonSummary(results, credits));
  (args.json ? io.stderr : io.stdout).write(renderSummary(results, team ? credits : undefined));
  return results.every((r) => r.status === JobStatus.SUCCEEDED) ? 0 : 1;
}

const RESULT_EXPIRED_MESSAGE =
  "this file was processed before with the same options, and that job's result has been deleted by the team's retention policy; " +
  'run again with --new-job to process it anew (a new job, charged again)';

/** Why a finished job gave no result: its error code, RESULT_EXPIRED, or a CLI code; never a bare job status. */
export function failureOf(final: JobState): { errorCode: string; message: string } {
  if (final.error) return { errorCode: final.error.code, message: final.error.message };
  if (final.status === JobStatus.SUCCEEDED)
    return final.resultExpired === false
      ? { errorCode: 'RESULT_UNAVAILABLE', message: 'the job succeeded but the API gave no link to its result; try again' }
      : { errorCode: ApiErrorCode.RESULT_EXPIRED, message: RESULT_EXPIRED_MESSAGE };
  if (final.status === JobStatus.CANCELED) return { errorCode: JobErrorCode.CANCELED, message: 'the job was canceled' };
  return { errorCode: 'JOB_FAILED', message: `the job ended ${final.status} without an error code` };
}

/** The credits the run's jobs cost and the team's balance after it (unknown when the team or balance cannot be read). */
async function runCredits(api: ApiClient, team: Promise<string> | undefined, results: FileResult[]): Promise<RunCredits> {
  const balance = team ? await team.then((id) => api.creditBalance(id)).catch(() => null) : null;
  return { spent: creditsSpentBy(results), available: balance?.available ?? null, debt: balance?.debt ?? null };
}
