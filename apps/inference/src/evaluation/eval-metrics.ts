/**
 * Quality metrics of ../shared/eval/README.md, for one predicted alpha (0..255) against one
 * human-made mask of the same size:
 * - IoU of the masks binarised at 128;
 * - MAE of alpha as a fraction of 255;
 * - boundary F-measure at a 3-pixel tolerance (Chebyshev distance) on the binarised masks.
 * A mask holding only 0, 128 and 255 is a trimap: its 128 band is "don't care" (left out of
 * IoU and MAE; for the boundary F the band takes the predicted label, so only boundaries
 * outside the band count).
 */
export interface ImageScores {
  iou: number;
  mae: number;
  boundaryF: number;
}

export function isTrimap(mask: Uint8Array): boolean {
  let sawBand = false;
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i];
    if (v !== 0 && v !== 255 && v !== 128) return false;
    if (v === 128) sawBand = true;
  }
  return sawBand;
}

export function scoreAlpha(pred: Uint8Array, mask: Uint8Array, width: number, height: number, tolerance = 3): ImageScores {
  if (pred.length !== mask.length || pred.length !== width * height) throw new Error('prediction and mask differ in size');
  const trimap = isTrimap(mask);
  let inter = 0;
  let union = 0;
  let absSum = 0;
  let counted = 0;
  const predBin = new Uint8Array(pred.length);
  const gtBin = new Uint8Array(pred.length);
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i] >= 128 ? 1 : 0;
    predBin[i] = p;
    if (trimap && mask[i] === 128) {
      gtBin[i] = p; // don't care: takes the predicted label
      continue;
    }
    const g = mask[i] >= 128 ? 1 : 0;
    gtBin[i] = g;
    if (p && g) inter++;
    if (p || g) union++;
    absSum += Math.abs(pred[i] - mask[i]);
    counted++;
  }
  return {
    iou: union === 0 ? 1 : inter / union,
    mae: counted === 0 ? 0 : absSum / counted / 255,
    boundaryF: boundaryF(predBin, gtBin, width, height, tolerance),
  };
}

/** Pixels of a binary mask that differ from one of their 4 neighbours. */
export function boundaryOf(bin: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(bin.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const v = bin[i];
      if ((x > 0 && bin[i - 1] !== v) || (x < w - 1 && bin[i + 1] !== v) || (y > 0 && bin[i - w] !== v) || (y < h - 1 && bin[i + w] !== v))
        out[i] = 1;
    }
  return out;
}

/** Square dilation with radius r (separable max filter). */
export function dilate(bin: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const tmp = new Uint8Array(bin.length);
  const out = new Uint8Array(bin.length);
  for (let y = 0; y < h; y++) {
    // Two sweeps: distance to the nearest set pixel on the left and on the right.
    let prev = -Infinity;
    for (let x = 0; x < w; x++) {
      if (bin[y * w + x]) prev = x;
      if (x - prev <= r) tmp[y * w + x] = 1;
    }
    let next = Infinity;
    for (let x = w - 1; x >= 0; x--) {
      if (bin[y * w + x]) next = x;
      if (next - x <= r) tmp[y * w + x] = 1;
    }
  }
  for (let x = 0; x < w; x++) {
    let prev = -Infinity;
    for (let y = 0; y < h; y++) {
      if (tmp[y * w + x]) prev = y;
      if (y - prev <= r) out[y * w + x] = 1;
    }
    let next = Infinity;
    for (let y = h - 1; y >= 0; y--) {
      if (tmp[y * w + x]) next = y;
      if (next - y <= r) out[y * w + x] = 1;
    }
  }
  return out;
}

export function boundaryF(pred: Uint8Array, gt: Uint8Array, w: number, h: number, tolerance: number): number {
  const pb = boundaryOf(pred, w, h);
  const gb = boundaryOf(gt, w, h);
  const pNear = dilate(pb, w, h, tolerance);
  const gNear = dilate(gb, w, h, tolerance);
  let pCount = 0;
  let pHit = 0;
  let gCount = 0;
  let gHit = 0;
  for (let i = 0; i < pb.length; i++) {
    if (pb[i]) {
      pCount++;
      if (gNear[i]) pHit++;
    }
    if (gb[i]) {
      gCount++;
      if (pNear[i]) gHit++;
    }
  }
  if (pCount === 0 && gCount === 0) return 1;
  if (pCount === 0 || gCount === 0) return 0;
  const precision = pHit / pCount;
  const recall = gHit / gCount;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

export interface SetScores {
  n: number;
  iou: number;
  mae: number;
  boundaryF: number;
}

/** Means per set (file-name prefix before '_') and overall. */
export function summarise(scores: { name: string; scores: ImageScores }[]): { overall: SetScores; sets: Record<string, SetScores> } {
  const mean = (list: ImageScores[]): SetScores => ({
    n: list.length,
    iou: list.reduce((s, x) => s + x.iou, 0) / Math.max(1, list.length),
    mae: list.reduce((s, x) => s + x.mae, 0) / Math.max(1, list.length),
    boundaryF: list.reduce((s, x) => s + x.boundaryF, 0) / Math.max(1, list.length),
  });
  const bySet = new Map<string, ImageScores[]>();
  for (const { name, scores: s } of scores) {
    const set = name.includes('_') ? name.slice(0, name.indexOf('_')) : 'all';
    bySet.set(set, [...(bySet.get(set) ?? []), s]);
  }
  return {
    overall: mean(scores.map((s) => s.scores)),
    sets: Object.fromEntries([...bySet.entries()].sort().map(([k, v]) => [k, mean(v)])),
  };
}
