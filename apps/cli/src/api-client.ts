import { ApiErrorCode, type JobStage, type JobStatus } from '@cutout/job-vocabulary';
import type { RemoveOptionsInput } from './cli-args';
import { connectionFailureCode, DEFAULT_RETRY_POLICY, withConnectionRetry, type RetryPolicy } from './connection-retry';

/** An error from the API (or talking to it), carrying the API's machine-readable code. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The fields of a job the CLI follows (a Job or a JobEvent). */
export interface JobState {
  jobId: string;
  status: JobStatus;
  stage: JobStage;
  progress: number;
  resultUrl: string | null;
  error: { code: string; message: string } | null;
  /** Credits charged and refunded (a Job has them; a JobEvent does not). */
  creditsCharged?: number;
  creditsRefunded?: number;
  /** True once the team's retention policy deleted the result (resultUrl is then null); a JobEvent does not say. */
  resultExpired?: boolean;
}

/** A team's credits: `available` to spend, `debt` owed (new jobs are refused while it is above 0). */
export interface CreditBalance {
  available: number;
  debt: number;
}

export interface Upload {
  id: string;
  uploadUrl: string;
  expiresAt: string;
}

export interface Download {
  bytes: Buffer;
  contentType: string | null;
  /** From Content-Disposition, e.g. `photo-cutout.png`. */
  filename: string | null;
}

interface GraphqlBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const JOB_STATE = `id status stage progress resultUrl error { code message } creditsCharged creditsRefunded resultExpired`;
type JobNode = Omit<JobState, 'jobId'> & { id: string };
const toState = ({ id, ...rest }: JobNode): JobState => ({ jobId: id, ...rest });

export interface ApiClientOptions {
  apiUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Retry of connection failures (default: backoff from 0.25 s to 5 s, for up to a minute). */
  retry?: RetryPolicy;
}

/** The Cutout API over HTTP: GraphQL at POST /graphql, signed upload and download URLs. */
export class ApiClient {
  private readonly fetch: typeof fetch;
  /** When the connection to the API first failed, while it still fails (null: it answers). */
  private outageSince: number | null = null;

  constructor(private readonly options: ApiClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  get apiUrl(): string {
    return this.options.apiUrl;
  }

  /**
   * One HTTP request; connection failures (refused, reset, closed) are retried with backoff
   * for a bounded time (`retry`), so a restarting API fails no file. Repeating is safe: a
   * submit carries its idempotency key, and a used upload URL is refused, never stored twice.
   */
  private async request(url: string, init: RequestInit): Promise<Response> {
    // One outage, one retry window for every request of the run: once it is spent, a request tries once,
    // so a run of many files against an API that is down ends in a minute, not a minute per request.
    const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
    const spent = this.outageSince === null ? 0 : Date.now() - this.outageSince;
    const attempt = () =>
      this.fetch(url, init).catch((error: unknown) => {
        if (connectionFailureCode(error)) this.outageSince ??= Date.now();
        throw error;
      });
    try {
      const res = await withConnectionRetry(attempt, { ...policy, totalMs: Math.max(0, policy.totalMs - spent) });
      this.outageSince = null;
      return res;
    } catch (error) {
      // Given up on the connection: the window is spent for every later request too.
      if (connectionFailureCode(error)) this.outageSince = Math.min(this.outageSince ?? Date.now(), Date.now() - policy.totalMs);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError(
        'NETWORK_ERROR',
        `cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
    }
  }

  /** Runs one operation; the first GraphQL error becomes an ApiError with its extensions.code. */
  async graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await this.request(`${this.options.apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${this.options.apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    let body: GraphqlBody<T>;
    try {
      body = (await res.json()) as GraphqlBody<T>;
    } catch {
      throw new ApiError(`HTTP_${res.status}`, `the API answered ${res.status} ${res.statusText} without a GraphQL body`, res.status);
    }
    const [first] = body.errors ?? [];
    if (first) throw new ApiError(first.extensions?.code ?? ApiErrorCode.INTERNAL_SERVER_ERROR, first.message, res.status);
    if (!body.data) throw new ApiError(`HTTP_${res.status}`, 'the API answered without data', res.status);
    return body.data;
  }

  /** The team of the API key (its only team; else the personal one, else the first). */
  async defaultTeamId(): Promise<string> {
    const { teams } = await this.graphql<{ teams: { edges: { node: { id: string; personal: boolean } }[] } }>(
      `{ teams { edges { node { id name personal } } } }`,
    );
    const nodes = teams.edges.map((e) => e.node);
    const team = nodes.length === 1 ? nodes[0] : (nodes.find((n) => n.personal) ?? nodes[0]);
    if (!team) throw new ApiError(ApiErrorCode.NOT_FOUND, 'the API key sees no team: pass --team');
    return team.id;
  }

  async createUpload(input: { teamId: string; filename: string; contentType: string; byteSize: number }): Promise<Upload> {
    const { createUpload } = await this.graphql<{ createUpload: Upload }>(
      `mutation($i: CreateUploadInput!) { createUpload(input: $i) { id uploadUrl expiresAt } }`,
      { i: input },
    );
    return createUpload;
  }

  /** PUTs the bytes to the signed upload URL; errors carry the API's `{ error: { code } }`. */
  async putUpload(uploadUrl: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const res = await this.request(uploadUrl, { method: 'PUT', body: bytes, headers: { 'content-type': contentType } });
    if (res.ok) {
      await res.arrayBuffer();
      return;
    }
    throw await this.restError(res, 'upload');
  }

  async removeBackground(input: {
    teamId: string;
    uploadId: string;
    idempotencyKey: string;
    options: RemoveOptionsInput;
  }): Promise<JobState> {
    const { removeBackground } = await this.graphql<{ removeBackground: JobNode }>(
      `mutation($i: RemoveBackgroundInput!) { removeBackground(input: $i) { ${JOB_STATE} } }`,
      { i: input },
    );
    return toState(removeBackground);
  }

  async job(id: string): Promise<JobState> {
    const { job } = await this.graphql<{ job: JobNode }>(`query($id: ID!) { job(id: $id) { ${JOB_STATE} } }`, { id });
    return toState(job);
  }

  /** The team's credits (API keys may read them). */
  async creditBalance(teamId: string): Promise<CreditBalance> {
    const { creditBalance } = await this.graphql<{ creditBalance: CreditBalance }>(
      `query($teamId: ID!) { creditBalance(teamId: $teamId) { available debt } }`,
      { teamId },
    );
    return creditBalance;
  }

  /**
   * GETs a signed result URL. `onBytes` hears of every part of the body as it arrives: the bytes so far, and
   * the result's size when the response gave it (Content-Length; null without it).
   */
  async download(resultUrl: string, onBytes?: (received: number, total: number | null) => void): Promise<Download> {
    const res = await this.request(resultUrl, { method: 'GET' });
    if (!res.ok) throw await this.restError(res, 'download');
    const disposition = res.headers.get('content-disposition') ?? '';
    const filename = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
    const length = Number(res.headers.get('content-length'));
    const total = Number.isSafeInteger(length) && length > 0 ? length : null;
    const parts: Uint8Array[] = [];
    let received = 0;
    if (res.body)
      for await (const part of res.body) {
        parts.push(part);
        received += part.byteLength;
        onBytes?.(received, total !== null && received <= total ? total : null);
      }
    return {
      bytes: Buffer.concat(parts, received),
      contentType: res.headers.get('content-type'),
      filename: filename && decodeURIComponent(filename),
    };
  }

  private async restError(res: Response, what: string): Promise<ApiError> {
    const text = await res.text().catch(() => '');
    try {
      const { error } = JSON.parse(text) as { error?: { code?: string; message?: string } };
      if (error?.code) return new ApiError(error.code, error.message ?? `${what} failed`, res.status);
    } catch {
      // not JSON
    }
    return new ApiError(`HTTP_${res.status}`, `${what} failed: ${res.status} ${res.statusText}`, res.status);
  }
}
