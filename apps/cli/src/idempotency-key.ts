import { createHash } from 'node:crypto';
import type { RemoveOptionsInput } from './cli-args';

/** JSON with sorted keys and no undefined values, so equal options hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * `cli-<sha256(content ‖ options)>`: the same bytes with the same options give the same key, so
 * re-running the CLI returns the existing job instead of processing the image again. A `salt`
 * (--new-job: one per run) gives keys no earlier run had, so new jobs are made (and charged).
 * Fits the API's rule (1–128 of [A-Za-z0-9_.:-]).
 */
export function idempotencyKey(content: Uint8Array, options: RemoveOptionsInput, salt?: string): string {
  const contentHash = createHash('sha256').update(content).digest();
  const hash = createHash('sha256').update('cutout-cli/v1\n').update(contentHash).update('\n').update(canonicalJson(options));
  if (salt !== undefined) hash.update(`\nsalt:${salt}`);
  const digest = hash.digest('hex');
  return `cli-${digest}`;
}
