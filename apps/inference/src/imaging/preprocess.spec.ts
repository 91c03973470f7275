import { aSquareImage } from '../testing/test-images';
import { probeImage } from './preprocess';

const limits = { maxBytes: 1024 * 1024, maxPixels: 1_000_000 };

describe('probeImage', () => {
  it('refuses zero bytes as UNSUPPORTED_IMAGE (no image), not INVALID_ARGUMENT (an options problem)', async () => {
    // Regression: an empty image answered INVALID_ARGUMENT, which the API records as INVALID_OPTIONS.
    await expect(probeImage(Buffer.alloc(0), limits)).rejects.toMatchObject({ code: 'UNSUPPORTED_IMAGE', message: /empty/ });
  });

  it('reads the size of an image from its header', async () => {
    const probe = await probeImage(await aSquareImage({ width: 120, height: 80 }), limits);
    expect(probe).toMatchObject({ format: 'png', width: 120, height: 80, outWidth: 120, outHeight: 80 });
  });
});
