import { median } from '../../api/bench/bench-api';

/** The initial bundle's budget (issue 11): JavaScript shipped until a page is interactive, gzip. */
export const BUDGET_BYTES = 200_000;

/** A quiet main thread this long (no long task) after the main control is usable makes the page interactive. */
export const QUIET_MS = 500;

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median (the lower one for an even count: an actual run's figure, as in apps/api/bench) with min and max. */
export function spread(xs: number[]): Spread {
  if (!xs.length) throw new Error('no figures to summarise');
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** Bytes as kB (1 kB = 1000 bytes, as Vite's build report counts), one decimal. */
export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** Milliseconds, whole. */
export const ms = (x: number) => `${Math.round(x)} ms`;

/** "median [min–max]" in the given unit; a single figure when min = max. */
export function formatSpread(s: Spread, unit: (x: number) => string): string {
  return s.min === s.max ? unit(s.median) : `${unit(s.median)} [${unit(s.min)}–${unit(s.max)}]`;
}

/**
 * Time to interactive, from navigation start: the later of the moment the page's main control was
 * visible and enabled and the end of the last long task seen — final once the main thread has been
 * quiet for QUIET_MS after it (`now` is the page's clock when asked). Undefined while not yet final.
 */
export function timeToInteractive(controlAt: number | undefined, longTaskEnds: number[], now: number): number | undefined {
  if (controlAt === undefined) return undefined;
  const candidate = Math.max(controlAt, ...longTaskEnds);
  return now - candidate >= QUIET_MS ? candidate : undefined;
}

export interface ScriptFile {
  /** The file's path on the server, e.g. /assets/index-abc.js. */
  path: string;
  raw: number;
  gzip: number;
}

/** Scripts whose response ended at or before `tti` (page clock); one with no timing entry counts (never undercount). */
export function shippedBy(scripts: ScriptFile[], responseEnd: Map<string, number>, tti: number): ScriptFile[] {
  return scripts.filter((s) => (responseEnd.get(s.path) ?? 0) <= tti).sort((a, b) => b.gzip - a.gzip || a.path.localeCompare(b.path));
}

export interface Verdict {
  ok: boolean;
  line: string;
}

/**
 * PASS when the largest first load (every page, every run) is within the budget and no split-off chunk
 * was loaded; OVER when over the budget; FAIL when only a split-off chunk was loaded.
 */
export function verdict(worstBytes: number, splitChunksLoaded: string[], budget = BUDGET_BYTES): Verdict {
  const over = worstBytes > budget;
  const problems = [...(over ? [`${kB(worstBytes - budget)} over`] : []), ...splitChunksLoaded.map((c) => `${c} was loaded on first load`)];
  const label = over ? 'OVER' : problems.length ? 'FAIL' : 'PASS';
  const head = `${label}: largest first load ${kB(worstBytes)} gzip of JavaScript; budget ${kB(budget)}`;
  return { ok: !problems.length, line: problems.length ? `${head} (${problems.join('; ')})` : head };
}
