import { createHash } from 'node:crypto';

/**
 * The fixed split of the dev set (../shared/eval) into a `tune` half, on which refine
 * parameters may be searched, and a `report` half, on which figures are reported.
 * Per set (the name's prefix before the first `_`: `am`, `gc`), names are ordered by the
 * SHA-256 of the name without extension; the first floor(n / 2) are `tune`, the rest
 * `report`. The split depends only on the names, so it never moves when files are added
 * to another set, and it is the same on every machine.
 */
export type EvalSplit = 'tune' | 'report';
export type SplitChoice = EvalSplit | 'all';

export const SPLIT_CHOICES: readonly SplitChoice[] = ['tune', 'report', 'all'];

export function setOf(name: string): string {
  const i = name.indexOf('_');
  return i > 0 ? name.slice(0, i) : 'other';
}

const digest = (name: string) => createHash('sha256').update(name).digest('hex');

/** Every name's half; `names` are file names without extension (e.g. `am_GT01`). */
export function splitOf(names: readonly string[]): Map<string, EvalSplit> {
  const bySet = new Map<string, string[]>();
  for (const name of new Set(names)) bySet.set(setOf(name), [...(bySet.get(setOf(name)) ?? []), name]);
  const out = new Map<string, EvalSplit>();
  for (const members of bySet.values()) {
    const ordered = members.map((name) => ({ name, key: digest(name) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const tune = Math.floor(ordered.length / 2);
    ordered.forEach(({ name }, i) => out.set(name, i < tune ? 'tune' : 'report'));
  }
  return out;
}

/** The items of one half (or all of them), in their original order. */
export function selectSplit<T extends { name: string }>(items: readonly T[], choice: SplitChoice): T[] {
  if (choice === 'all') return [...items];
  const halves = splitOf(items.map((item) => item.name));
  return items.filter((item) => halves.get(item.name) === choice);
}

export function parseSplit(value: string): SplitChoice {
  if (!(SPLIT_CHOICES as readonly string[]).includes(value))
    throw new Error(`--split must be one of ${SPLIT_CHOICES.join(', ')}; got ${value}`);
  return value as SplitChoice;
}
