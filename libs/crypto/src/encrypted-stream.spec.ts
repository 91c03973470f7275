import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecryptStream, createEncryptStream } from './encrypted-stream';
import { DecryptionError } from './key-ring';

async function collect(source: Buffer | Buffer[], transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(Readable.from(Array.isArray(source) ? source : [source]), transform, async (stream: AsyncIterable<Buffer | string>) => {
    for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  });
  return Buffer.concat(chunks);
}

function chunked(buffer: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) out.push(buffer.subarray(i, i + size));
  return out;
}

describe('encrypted streams', () => {
  const key = randomBytes(32);

  it.each([0, 1, 15, 16, 17, 65_537])('round-trips %i bytes in odd-sized chunks', async (size) => {
    const plain = randomBytes(size);
    const sealed = await collect(chunked(plain, 7), createEncryptStream(key, 'blob-1'));
    expect(sealed.length).toBe(plain.length + 4 + 12 + 16);
    const opened = await collect(chunked(sealed, 5), createDecryptStream(key, 'blob-1'));
    expect(opened.equals(plain)).toBe(true);
  });

  it('fails on a tampered, truncated or foreign blob', async () => {
    const sealed = await collect(randomBytes(1000), createEncryptStream(key));
    const tampered = Buffer.from(sealed);
    tampered[100] ^= 1;
    await expect(collect(tampered, createDecryptStream(key))).rejects.toBeInstanceOf(DecryptionError);
    await expect(collect(sealed.subarray(0, sealed.length - 3), createDecryptStream(key))).rejects.toBeInstanceOf(DecryptionError);
    await expect(collect(sealed, createDecryptStream(randomBytes(32)))).rejects.toBeInstanceOf(DecryptionError);
    await expect(collect(Buffer.from('plain text, not a blob at all'), createDecryptStream(key))).rejects.toBeInstanceOf(DecryptionError);
  });
});
