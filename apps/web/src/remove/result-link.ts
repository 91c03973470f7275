import { execute } from '../graphql/client';
import { ApiError } from '../graphql/errors';
import { ResultUrlDocument } from './remove-documents';

/**
 * A job's result link, signed now. Links live DOWNLOAD_URL_TTL_SECONDS (1 h by default), so one kept
 * since the job succeeded may be dead: anything that fetches or downloads a result asks for it at
 * that moment. Throws RESULT_EXPIRED once the retention policy deleted the result.
 */
export async function freshResultUrl(jobId: string): Promise<string> {
  const { job } = await execute(ResultUrlDocument, { id: jobId });
  if (job.resultUrl) return job.resultUrl;
  throw job.resultExpired ? new ApiError('The result has expired.', 'RESULT_EXPIRED') : new ApiError('The job has no result.', 'NOT_FOUND');
}

/**
 * Whether a signed link is dead, or will be within `marginMs` of `now`: its `expires` query (Unix
 * seconds, written by the API's url-signer.ts). A link without a readable one counts as dead, so
 * the worst case is one needless renewal.
 */
export function linkExpiresSoon(url: string, now: number, marginMs = 60_000): boolean {
  let expires: number;
  try {
    expires = Number(new URL(url, 'http://x').searchParams.get('expires') ?? NaN);
  } catch {
    return true;
  }
  return !Number.isFinite(expires) || expires * 1000 - marginMs <= now;
}
