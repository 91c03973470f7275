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
export async function runConcurrent<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<{ latencies: number[]; wallMs: number }> {
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
