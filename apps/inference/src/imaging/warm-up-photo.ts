import sharp from 'sharp';

/**
 * A synthetic photo for the service's warm-up call (grpc/warm-up-call.ts): 1600 × 1200
 * (about the size of the photos people send), a warm disc with a soft edge on a gradient, as a JPEG.
 * Made in typed arrays here, so the service needs no image file to start.
 */
export async function warmUpPhoto(width = 1600, height = 1200): Promise<Buffer> {
  const rgb = Buffer.alloc(width * height * 3);
  const cx = width / 2;
  const cy = height / 2;
  const radius = Math.min(width, height) / 3;
  const soft = radius / 8;
  for (let y = 0, k = 0; y < height; y++)
    for (let x = 0; x < width; x++, k += 3) {
      // 1 inside the disc, 0 outside, a linear ramp `soft` pixels wide across its edge.
      const inside = Math.min(1, Math.max(0, (radius - Math.hypot(x - cx, y - cy)) / soft + 0.5));
      rgb[k] = inside * 224 + (1 - inside) * ((40 + (x * 80) / width) | 0);
      rgb[k + 1] = inside * 176 + (1 - inside) * ((110 + (y * 60) / height) | 0);
      rgb[k + 2] = inside * 128 + (1 - inside) * 200;
    }
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}
