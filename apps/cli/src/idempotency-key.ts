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
 * re-running the CLI returns the existing job instead of processing the image again.
 * Fits the API's rule (1–128 of [A-Za-z0-9_.:-]).
 */
export function idempotencyKey(content: Uint8Array, options: RemoveOptionsInput): string {
  const contentHash = createHash('sha256').update(content).digest();
  const digest = createHash('sha256')
    .update('cutout-cli/v1\n')
    .update(contentHash)
    .update('\n')
    .update(canonicalJson(options))
    .digest('hex');
  return `cli-${digest}`;
}
