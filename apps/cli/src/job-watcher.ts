import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';
import { ApiErrorCode, isTerminalJobStatus } from '@cutout/job-vocabulary';
import { ApiClient, ApiError, type JobState } from './api-client';

export const JOB_UPDATED = `subscription($id: ID!) { jobUpdated(jobId: $id) { jobId status stage progress resultUrl error { code message } } }`;

/** graphql-ws close codes that retrying cannot fix. */
const FATAL_CLOSE_CODES: Record<number, ApiErrorCode> = {
  4400: ApiErrorCode.BAD_REQUEST,
  4401: ApiErrorCode.UNAUTHENTICATED,
  4403: ApiErrorCode.UNAUTHENTICATED,
  4406: ApiErrorCode.BAD_REQUEST,
  4429: ApiErrorCode.RATE_LIMITED,
};

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    typeof (value as { code: unknown }).code === 'number' &&
    'reason' in value
  );
}

/** Turns what graphql-ws hands to `error` (GraphQL errors, a CloseEvent, an Error) into an ApiError. */
export function toWatchError(error: unknown): ApiError {
  if (Array.isArray(error) && error.length > 0) {
    const first = error[0] as { message?: string; extensions?: { code?: string } };
    return new ApiError(first.extensions?.code ?? ApiErrorCode.INTERNAL_SERVER_ERROR, first.message ?? 'subscription failed');
  }
  if (isCloseEvent(error)) {
    const code = FATAL_CLOSE_CODES[error.code];
    if (code === ApiErrorCode.UNAUTHENTICATED)
      return new ApiError(code, 'the API refused the WebSocket connection: the API key is not valid');
    return new ApiError(
      code ?? 'NETWORK_ERROR',
      `the WebSocket connection closed (${error.code}${error.reason ? ` ${error.reason}` : ''})`,
    );
  }
  const e = error as { message?: string; code?: string };
  return new ApiError('NETWORK_ERROR', `WebSocket: ${e?.code ?? e?.message ?? String(error)}`);
}

export interface JobWatcherOptions {
  apiUrl: string;
  apiKey: string;
  /** For tests: another graphql-ws client factory. */
  createClient?: (options: ClientOptions) => Client;
  /** How a job is read when its stream is quiet (default: the `job` query over HTTP). */
  readJob?: (jobId: string) => Promise<JobState>;
  /** After this long without an event the job is read, in case its final event was lost (default 30 s). */
  quietMs?: number;
}

/** After this long without an event, the watcher reads the job (its final event may have been lost). */
export const WATCH_QUIET_MS = 30_000;

/**
 * Follows jobs over ONE graphql-ws connection: every `watch` is a subscription multiplexed on
 * the same socket, which stays open between jobs until `close`.
 */
export class JobWatcher {
  private readonly client: Client;
  private readonly readJob: (jobId: string) => Promise<JobState>;
  private readonly quietMs: number;

  constructor(options: JobWatcherOptions) {
    let api: ApiClient | undefined;
    this.readJob = options.readJob ?? ((jobId) => (api ??= new ApiClient({ apiUrl: options.apiUrl, apiKey: options.apiKey })).job(jobId));
    this.quietMs = options.quietMs ?? WATCH_QUIET_MS;
    const url = `${options.apiUrl.replace(/^http/i, 'ws')}/graphql`;
    this.client = (options.createClient ?? createClient)({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${options.apiKey}` },
      lazy: true,
      // Keep the socket between files instead of reconnecting for each one.
      lazyCloseTimeout: 60_000,
      retryAttempts: 3,
      shouldRetry: (e) => !(isCloseEvent(e) && e.code in FATAL_CLOSE_CODES),
    });
  }

  /**
   * Subscribes to jobUpdated(jobId); calls `onEvent` with the current state and each change, and
   * resolves with the final state (SUCCEEDED, FAILED or CANCELED). Should the stream stay quiet
   * for `quietMs`, the job is read instead (its final event may have been lost): a final state
   * read ends the watch; otherwise (or if the read fails) it keeps waiting and reads again later.
   */
  watch(jobId: string, onEvent: (state: JobState) => void): Promise<JobState> {
    return new Promise((resolve, reject) => {
      let last: JobState | undefined;
      let settled = false;
      let quiet: NodeJS.Timeout | undefined;
      let unsubscribe: () => void = () => undefined;
      const settle = (end: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(quiet);
        unsubscribe();
        end();
      };
      const arm = () => {
        clearTimeout(quiet);
        if (!settled) quiet = setTimeout(read, this.quietMs);
      };
      const read = () => {
        this.readJob(jobId).then(
          (state) => {
            if (settled) return;
            if (!isTerminalJobStatus(state.status)) return arm();
            if (last?.status !== state.status) onEvent(state);
            settle(() => resolve(state));
          },
          () => arm(),
        );
      };
      unsubscribe = this.client.subscribe<{ jobUpdated: JobState }>(
        { query: JOB_UPDATED, variables: { id: jobId } },
        {
          next: (value) => {
            if (settled) return;
            if (value.errors?.length) return settle(() => reject(toWatchError(value.errors)));
            const state = value.data?.jobUpdated;
            if (!state) return;
            last = state;
            onEvent(state);
            arm();
          },
          error: (error) => settle(() => reject(toWatchError(error))),
          complete: () => {
            if (last && isTerminalJobStatus(last.status)) settle(() => resolve(last as JobState));
            else settle(() => reject(new ApiError('WATCH_INCOMPLETE', `the job stream of ${jobId} ended before the job finished`)));
          },
        },
      );
      if (settled) unsubscribe();
      else arm();
    });
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
