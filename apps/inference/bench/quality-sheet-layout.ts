/**
 * Pure helpers of the before/after sheet (quality-sheet.ts): which photos by default, where
 * the zoomed edge crop goes, and text that is safe inside SVG and HTML.
 */

/**
 * The default photos, all from the `report` half of the dev set (eval-split.ts), chosen by name
 * for hair, fur and soft edges plus one small subject:
 * - am_GT07: a white plush toy on green grass (light fur over a coloured background),
 * - am_GT23: a teddy bear against sky and rock (fur, true soft alpha),
 * - am_GT09: a doll's hair under a knitted hat (strands and wool fibres),
 * - am_GT17: a plush giraffe (fur and a mane, soft alpha),
 * - gc_person1: a person's hair against a willow (person, busy background),
 * - gc_person3: a hiker on a hillside (a small subject).
 */
export const DEFAULT_SHEET_IMAGES = ['am_GT07', 'am_GT23', 'am_GT09', 'am_GT17', 'gc_person1', 'gc_person3'] as const;

/** Alpha values counted as "partly transparent" when choosing the crop (ignores near-0/255 noise). */
export const PARTIAL_ALPHA = { low: 16, high: 239 } as const;

export interface Window {
  left: number;
  top: number;
  width: number;
  height: number;
  /** Partly transparent pixels inside the window, summed over every alpha plane given. */
  partial: number;
}

/** The side of the square crop window: `preferred`, but at most half the photo's shorter side (at least 1). */
export function windowSide(width: number, height: number, preferred: number): number {
  return Math.max(1, Math.min(preferred, Math.floor(Math.min(width, height) / 2)));
}

/**
 * The side×side window holding the most partly transparent pixels (PARTIAL_ALPHA), summed over
 * every alpha plane (so one crop serves every variant of the sheet). A summed-area table makes
 * each window O(1); windows are tried on a grid of `step` pixels plus the last position on each
 * axis. Ties keep the first window (top-most, then left-most), so the choice is deterministic.
 */
export function edgeWindow(alphas: readonly Uint8Array[], width: number, height: number, side: number, step = 4): Window {
  if (width < 1 || height < 1) throw new Error(`edgeWindow: empty ${width}x${height} image`);
  for (const a of alphas)
    if (a.length !== width * height) throw new Error(`edgeWindow: an alpha plane of ${a.length} values for ${width}x${height}`);
  const w = Math.min(side, width);
  const h = Math.min(side, height);
  const stride = width + 1;
  const table = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      for (const a of alphas) if (a[i] >= PARTIAL_ALPHA.low && a[i] <= PARTIAL_ALPHA.high) row++;
      table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + row;
    }
  }
  const positions = (extent: number, size: number) => {
    const last = extent - size;
    const out: number[] = [];
    for (let p = 0; p < last; p += Math.max(1, step)) out.push(p);
    out.push(last);
    return out;
  };
  let best: Window = { left: 0, top: 0, width: w, height: h, partial: -1 };
  for (const top of positions(height, h))
    for (const left of positions(width, w)) {
      const partial =
        table[(top + h) * stride + left + w] -
        table[top * stride + left + w] -
        table[(top + h) * stride + left] +
        table[top * stride + left];
      if (partial > best.partial) best = { left, top, width: w, height: h, partial };
    }
  return best;
}

/** Fits width×height into a box (never enlarging), keeping the aspect ratio; whole pixels, at least 1. */
export function fitInside(width: number, height: number, box: number): { width: number; height: number } {
  const scale = Math.min(1, box / width, box / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Text for SVG or HTML content and attribute values. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** `--images a,b, c` as names without extension, in order, duplicates dropped. */
export function parseImageNames(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [...DEFAULT_SHEET_IMAGES];
  return [
    ...new Set(
      value
        .split(',')
        .map((n) => n.trim().replace(/\.(png|jpe?g|webp|tiff?|bmp|avif)$/i, ''))
        .filter(Boolean),
    ),
  ];
}
