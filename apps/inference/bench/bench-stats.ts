export interface Stats {
  n: number;
  medianMs: number;
  p95Ms: number;
  meanMs: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { n: sorted.length, medianMs: at(0.5), p95Ms: at(0.95), meanMs: sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length) };
}

export const fmtStats = (s: Stats) => `median ${s.medianMs.toFixed(0)} ms  p95 ${s.p95Ms.toFixed(0)} ms  (n=${s.n})`;

/** Runs `work` on `items` with `concurrency` workers; returns per-item latencies and the wall time. */
export async function runConcurrent<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t = performance.now();
        await work(item);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}

/** A headline figure over repeated runs in one invocation: the median, with the smallest and largest run. */
export interface Spread {
  n: number;
  median: number;
  min: number;
  max: number;
}

/** The median (mean of the middle two for an even count), min and max of `values`. */
export function spread(values: number[]): Spread {
  if (values.length === 0) throw new Error('no runs to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { n: sorted.length, median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** "2.35 (min 2.21, max 2.48 over 3 runs)" */
export const fmtSpread = (s: Spread, digits = 2, unit = '') =>
  `${s.median.toFixed(digits)}${unit} (min ${s.min.toFixed(digits)}${unit}, max ${s.max.toFixed(digits)}${unit} over ${s.n} runs)`;

/** A command-line option that must be a whole number of at least `min` (`--runs 3`): the number, or an error naming the option. */
export function wholeNumberArg(name: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min}; got ${value}`);
  return n;
}
