import { Zip, ZipPassThrough } from 'fflate';
import { ApiError } from '../graphql/errors';
import type { OutputFormat } from '../graphql/generated/graphql';
import { freshResultUrl } from './result-link';
import { sameOrigin } from './upload';
import { extensionOf, extensionOfType, resultFileName, uniqueNames } from './zip-names';

/** Loaded only when someone clicks "Download all" (fflate stays out of the initial bundle). */

export interface FinishedResult {
  jobId: string;
  /** The original file's name. */
  filename: string;
  format: OutputFormat;
}

/** Why one result could not be added: which file (and job), and the API's error. */
export class ResultFetchError extends Error {
  constructor(
    readonly filename: string,
    readonly error: ApiError,
    readonly jobId: string,
  ) {
    super(error.message);
    this.name = 'ResultFetchError';
  }
}

async function httpError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; [key: string]: unknown } };
    if (body.error?.code) return new ApiError(body.error.message ?? '', body.error.code, body.error);
  } catch {
    // Not JSON: keep the status.
  }
  return new ApiError(`The download answered ${response.status}`, response.status === 404 ? 'NOT_FOUND' : 'INTERNAL_SERVER_ERROR');
}

/** One result's bytes, through a freshly signed, same-origin resultUrl. */
async function fetchResult(result: FinishedResult): Promise<{ bytes: Uint8Array; extension: string }> {
  const resultUrl = await freshResultUrl(result.jobId);
  let response: Response;
  try {
    response = await fetch(sameOrigin(resultUrl), { credentials: 'same-origin' });
  } catch {
    throw new ApiError('The download failed', 'NETWORK');
  }
  if (!response.ok) throw await httpError(response);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { bytes, extension: extensionOfType(response.headers.get('content-type')) ?? extensionOf(result.format) };
}

export type ZipProgress = { n: number; total: number } | 'zipping';

/**
 * Fetches every result in turn (`onProgress({ n, total })` before the n-th, then 'zipping' while the
 * zip is finished) and streams them into a zip, stored without compression (PNG, WebP and JPEG are
 * compressed already). Each result goes into the zip as soon as it arrives and is then let go: the
 * zip's pieces are kept as Blobs (which browsers may keep on disk), so memory holds about one result
 * at a time rather than every result plus the whole zip. Throws ResultFetchError when a result cannot
 * be fetched.
 */
export async function buildResultsZip(results: readonly FinishedResult[], onProgress: (progress: ZipProgress) => void): Promise<Blob> {
  const parts: Blob[] = [];
  let zipError: Error | null = null;
  // ZipPassThrough hands its chunks on synchronously; each is copied into a Blob at once.
  const zip = new Zip((error, chunk) => {
    if (error) zipError = error;
    else if (chunk.length) parts.push(new Blob([chunk as Uint8Array<ArrayBuffer>]));
  });
  const names: string[] = [];
  const mtime = new Date();
  for (const [index, result] of results.entries()) {
    onProgress({ n: index + 1, total: results.length });
    let file: { bytes: Uint8Array; extension: string };
    try {
      file = await fetchResult(result);
    } catch (error) {
      zip.terminate();
      throw new ResultFetchError(
        result.filename,
        error instanceof ApiError ? error : new ApiError(String(error), 'INTERNAL_SERVER_ERROR'),
        result.jobId,
      );
    }
    // uniqueNames decides in order, so the names so far fix this one.
    names.push(resultFileName(result.filename, file.extension));
    const entry = new ZipPassThrough(uniqueNames(names)[index]);
    entry.mtime = mtime;
    zip.add(entry);
    entry.push(file.bytes, true);
    if (zipError) throw zipError;
  }
  onProgress('zipping');
  zip.end();
  if (zipError) throw zipError;
  return new Blob(parts, { type: 'application/zip' });
}
