import { createCipheriv, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecryptStream, createEncryptStream, DEFAULT_SEGMENT_BYTES, encryptedSize } from './encrypted-stream';
import { DecryptionError } from './key-ring';

const HEADER = 15;
const TAG = 16;
const key = randomBytes(32);
const AAD = 'teams/t1/results/job-1.png';

/** A small deterministic PRNG, so a failing chunking can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

function chunked(buffer: Buffer, size: number | (() => number)): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buffer.length;) {
    const n = typeof size === 'number' ? size : size();
    out.push(buffer.subarray(i, i + n));
    i += n;
  }
  return out;
}

async function collect(chunks: Buffer[], transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), transform, async (stream: AsyncIterable<Buffer | string>) => {
    for await (const chunk of stream) out.push(Buffer.from(chunk));
  });
  return Buffer.concat(out);
}

async function seal(plain: Buffer, aad = AAD, segmentBytes?: number): Promise<Buffer> {
  return collect(chunked(plain, 1000), createEncryptStream(key, aad, { segmentBytes }));
}

/**
 * Feeds a sealed blob to a decrypting stream in small writes (at most one segment completes per
 * write), letting every pushed chunk reach the reader before the next write: `emitted` is exactly
 * what the stream released before it failed.
 */
async function open(sealed: Buffer, aad = AAD, withKey = key): Promise<{ emitted: Buffer; error?: Error }> {
  const stream = createDecryptStream(withKey, aad);
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise<Error | undefined>((resolve) => {
    stream.once('error', resolve);
    stream.once('end', () => resolve(undefined));
  });
  for (const chunk of chunked(sealed, 7)) {
    if (stream.destroyed) break;
    await new Promise<void>((resolve) => stream.write(chunk, () => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!stream.destroyed) stream.end();
  const error = await ended;
  return { emitted: Buffer.concat(out), error };
}

/** The documented format, sealed by hand: header | for each segment: AES-256-GCM(prefix | counter | flag) ciphertext | tag. */
function sealByHand(segments: { plain: Buffer; last: boolean }[], segmentBytes: number, aad = AAD): Buffer {
  const prefix = randomBytes(7);
  const header = Buffer.alloc(HEADER);
  header.write('CUT2');
  header.writeUInt32BE(segmentBytes, 4);
  prefix.copy(header, 8);
  const parts = [header];
  segments.forEach(({ plain, last }, counter) => {
    const iv = Buffer.concat([prefix, Buffer.alloc(5)]);
    iv.writeUInt32BE(counter, 7);
    iv[11] = last ? 1 : 0;
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.concat([header, Buffer.from(aad)]));
    parts.push(cipher.update(plain), cipher.final(), cipher.getAuthTag());
  });
  return Buffer.concat(parts);
}

describe('segmented encrypted streams', () => {
  const S = DEFAULT_SEGMENT_BYTES;

  it.each([0, 1, S - 1, S, S + 1, 3 * S, 3 * S + 1234])('round-trips %i bytes under random chunking', async (size) => {
    const plain = randomBytes(size);
    const random = prng(size + 1);
    const sealed = await collect(
      chunked(plain, () => 1 + Math.floor(random() * 100_000)),
      createEncryptStream(key, AAD),
    );
    expect(sealed.length).toBe(encryptedSize(size));
    expect(sealed.length).toBe(HEADER + size + Math.max(1, Math.ceil(size / S)) * TAG);
    expect(sealed.subarray(0, 4).toString()).toBe('CUT2');
    const opened = await collect(
      chunked(sealed, () => 1 + Math.floor(random() * 100_000)),
      createDecryptStream(key, AAD),
    );
    expect(opened.equals(plain)).toBe(true);
  });

  it('seals the empty plaintext as one empty last segment', async () => {
    const sealed = await collect([], createEncryptStream(key, AAD));
    expect(sealed.length).toBe(HEADER + TAG);
    expect(await open(sealed)).toEqual({ emitted: Buffer.alloc(0), error: undefined });
    expect((await open(sealByHand([{ plain: Buffer.alloc(0), last: true }], S))).error).toBeUndefined();
  });

  it('writes exactly the documented layout (a hand-sealed blob opens)', async () => {
    const plain = randomBytes(150);
    const byHand = sealByHand(
      [
        { plain: plain.subarray(0, 64), last: false },
        { plain: plain.subarray(64, 128), last: false },
        { plain: plain.subarray(128), last: true },
      ],
      64,
    );
    expect(await open(byHand)).toEqual({ emitted: plain, error: undefined });
    expect((await seal(plain, AAD, 64)).length).toBe(byHand.length);
  });

  describe('refuses a bad blob before releasing any byte of the bad segment', () => {
    const SEG = 64;
    const SEALED_SEG = SEG + TAG;
    const plain = randomBytes(3 * SEG + 10);
    let sealed: Buffer;
    beforeAll(async () => {
      sealed = await seal(plain, AAD, SEG);
      expect(sealed.length).toBe(HEADER + plain.length + 4 * TAG);
    });

    const segmentAt = (i: number) => sealed.subarray(HEADER + i * SEALED_SEG, HEADER + (i + 1) * SEALED_SEG);
    const expectRefused = (result: { emitted: Buffer; error?: Error }, goodSegments: number) => {
      expect(result.error).toBeInstanceOf(DecryptionError);
      expect(result.emitted.equals(plain.subarray(0, goodSegments * SEG))).toBe(true);
    };

    it('a flipped bit in any byte: header, any segment body, any tag', async () => {
      for (let at = 0; at < sealed.length; at++) {
        for (const bit of [0x01, 0x80]) {
          const tampered = Buffer.from(sealed);
          tampered[at] ^= bit;
          const goodSegments = at < HEADER ? 0 : Math.floor((at - HEADER) / SEALED_SEG);
          expectRefused(await open(tampered), goodSegments);
        }
      }
    });

    it('a blob cut anywhere: at each segment boundary and mid-segment', async () => {
      for (let length = 0; length < sealed.length; length++) {
        const goodSegments = length <= HEADER ? 0 : Math.ceil((length - HEADER) / SEALED_SEG) - 1;
        expectRefused(await open(sealed.subarray(0, length)), goodSegments);
      }
    });

    it('segments reordered, duplicated or dropped', async () => {
      const [header, s0, s1, s2, s3] = [
        sealed.subarray(0, HEADER),
        segmentAt(0),
        segmentAt(1),
        segmentAt(2),
        sealed.subarray(HEADER + 3 * SEALED_SEG),
      ];
      expectRefused(await open(Buffer.concat([header, s0, s2, s1, s3])), 1);
      expectRefused(await open(Buffer.concat([header, s1, s0, s2, s3])), 0);
      expectRefused(await open(Buffer.concat([header, s0, s1, s1, s2, s3])), 2);
      expectRefused(await open(Buffer.concat([header, s0, s2, s3])), 1);
      expectRefused(await open(Buffer.concat([header, s0, s1, s2, s3, s3])), 3);
    });

    it('a last segment without the last-segment flag, or a flagged segment before the end', async () => {
      const segments = [plain.subarray(0, SEG), plain.subarray(SEG, 2 * SEG), plain.subarray(2 * SEG)];
      const noFlag = sealByHand(
        segments.map((p) => ({ plain: p, last: false })),
        SEG,
      );
      expectRefused(await open(noFlag), 2);
      const flaggedEarly = sealByHand(
        segments.map((p, i) => ({ plain: p, last: i === 0 })),
        SEG,
      );
      expectRefused(await open(flaggedEarly), 0);
    });

    it("another blob's file (other associated data), another key, or segments spliced from another blob", async () => {
      expectRefused(await open(sealed, 'teams/t1/results/job-2.png'), 0);
      expectRefused(await open(sealed, 'teams/t2/results/job-1.png', randomBytes(32)), 0);
      const sibling = await seal(plain, AAD, SEG);
      expectRefused(await open(Buffer.concat([sealed.subarray(0, HEADER + SEALED_SEG), sibling.subarray(HEADER + SEALED_SEG)])), 1);
    });

    it('input that is no blob at all', async () => {
      expectRefused(await open(Buffer.alloc(0)), 0);
      expectRefused(await open(Buffer.from('plain text, not a blob at all')), 0);
      expectRefused(await open(Buffer.concat([Buffer.from('CUT1'), sealed.subarray(4)])), 0);
    });

    it('under large random reads too, it releases no byte of a bad segment', async () => {
      const random = prng(7);
      for (let at = HEADER; at < sealed.length; at += 13) {
        const tampered = Buffer.from(sealed);
        tampered[at] ^= 0x04;
        const emitted: Buffer[] = [];
        const stream = createDecryptStream(key, AAD);
        const consumed = pipeline(
          Readable.from(chunked(tampered, () => 1 + Math.floor(random() * 200))),
          stream,
          async (source: AsyncIterable<Buffer>) => {
            for await (const chunk of source) emitted.push(chunk);
          },
        );
        await expect(consumed).rejects.toBeInstanceOf(DecryptionError);
        const released = Buffer.concat(emitted);
        expect(released.length).toBeLessThanOrEqual(Math.floor((at - HEADER) / SEALED_SEG) * SEG);
        expect(released.equals(plain.subarray(0, released.length))).toBe(true);
      }
    });
  });

  it('refuses segment sizes out of range', () => {
    expect(() => createEncryptStream(key, AAD, { segmentBytes: 8 })).toThrow(RangeError);
    expect(() => createEncryptStream(key, AAD, { segmentBytes: 64 * 1024 * 1024 })).toThrow(RangeError);
  });
});
