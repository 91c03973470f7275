import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DecryptionError } from './key-ring';

/*
 * Segmented AEAD blob format ("CUT2"), the STREAM construction of Hoang, Reyhanitabar,
 * Rogaway and Vizár ("Online Authenticated-Encryption and its Nonce-Reuse
 * Misuse-Resistance", CRYPTO 2015), as used by age's payload and Tink's streaming AEAD:
 *
 *   header  = "CUT2" | segment size (u32 BE, plaintext bytes per segment) | nonce prefix (7 random bytes)
 *   segment = AES-256-GCM(key, nonce = prefix | counter (u32 BE) | last flag (1 byte), aad = header | aad)
 *             ciphertext | tag (16)
 *
 * Every segment but the last holds exactly `segment size` plaintext bytes; the last holds
 * 0..segment size bytes and is sealed with the last flag set (it is empty only when the whole
 * plaintext is). The counter makes reordering, dropping or duplicating segments fail; the flag
 * makes a cut at a segment boundary fail; binding the header and the caller's associated data
 * (the blob key) makes a changed header or a file moved under another key fail. A decrypting
 * stream releases a segment's plaintext only after its tag verified.
 */
const MAGIC = Buffer.from('CUT2');
const PREFIX_BYTES = 7;
const HEADER_BYTES = MAGIC.length + 4 + PREFIX_BYTES;
const TAG_BYTES = 16;
const MAX_SEGMENTS = 2 ** 32;
export const DEFAULT_SEGMENT_BYTES = 64 * 1024;
export const MIN_SEGMENT_BYTES = 16;
export const MAX_SEGMENT_BYTES = 4 * 1024 * 1024;

export interface EncryptStreamOptions {
  /** Plaintext bytes per segment (default 64 KiB); stored in the header, so decryption needs no option. */
  segmentBytes?: number;
}

/** The size in bytes of the sealed form of `plainBytes` bytes. */
export function encryptedSize(plainBytes: number, segmentBytes = DEFAULT_SEGMENT_BYTES): number {
  const segments = Math.max(1, Math.ceil(plainBytes / segmentBytes));
  return HEADER_BYTES + plainBytes + segments * TAG_BYTES;
}

function nonce(prefix: Buffer, counter: number, last: boolean): Buffer {
  const iv = Buffer.alloc(12);
  prefix.copy(iv, 0);
  iv.writeUInt32BE(counter, PREFIX_BYTES);
  iv[11] = last ? 1 : 0;
  return iv;
}

/** Bytes arrive in any chunking; segments are taken off the front in exact sizes. */
class ByteQueue {
  private chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    if (!chunk.length) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
    return all.subarray(0, n);
  }
}

/** Encrypts a byte stream into the segmented format under a 32-byte data key; `aad` (the blob key) is bound to every segment. */
export function createEncryptStream(key: Buffer, aad?: string, options: EncryptStreamOptions = {}): Transform {
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  if (!Number.isInteger(segmentBytes) || segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
    throw new RangeError(`segmentBytes must be an integer from ${MIN_SEGMENT_BYTES} to ${MAX_SEGMENT_BYTES}`);
  }
  const prefix = randomBytes(PREFIX_BYTES);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(segmentBytes, MAGIC.length);
  prefix.copy(header, MAGIC.length + 4);
  const associated = Buffer.concat([header, Buffer.from(aad ?? '')]);
  const pending = new ByteQueue();
  let counter = 0;

  const seal = (plain: Buffer, last: boolean): Buffer => {
    if (counter >= MAX_SEGMENTS) throw new RangeError('the stream is too long for this segment size');
    const cipher = createCipheriv('aes-256-gcm', key, nonce(prefix, counter++, last));
    cipher.setAAD(associated);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };

  return new Transform({
    construct(done) {
      this.push(header);
      done();
    },
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        pending.push(chunk);
        // Keep at least one byte back: only at the end do we know which segment is the last.
        while (pending.length > segmentBytes) this.push(seal(pending.take(segmentBytes), false));
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        done(null, seal(pending.take(pending.length), true));
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/**
 * Decrypts a stream made by createEncryptStream with the same key and `aad`. Each segment's
 * plaintext is pushed only once its tag verified; a tampered, truncated, reordered or foreign
 * blob fails with DecryptionError before any byte of the bad segment (or after it) is released.
 */
export function createDecryptStream(key: Buffer, aad?: string): Transform {
  const pending = new ByteQueue();
  let header: Buffer | undefined;
  let associated: Buffer = Buffer.alloc(0);
  let prefix: Buffer = Buffer.alloc(0);
  let sealedBytes = 0;
  let counter = 0;

  const readHeader = (): void => {
    const candidate = pending.take(HEADER_BYTES);
    if (!candidate.subarray(0, MAGIC.length).equals(MAGIC)) throw new DecryptionError('not an encrypted blob');
    const segmentBytes = candidate.readUInt32BE(MAGIC.length);
    if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) throw new DecryptionError('encrypted blob has a bad header');
    header = Buffer.from(candidate);
    associated = Buffer.concat([header, Buffer.from(aad ?? '')]);
    prefix = header.subarray(MAGIC.length + 4);
    sealedBytes = segmentBytes + TAG_BYTES;
  };

  const open = (sealed: Buffer, last: boolean): Buffer => {
    if (counter >= MAX_SEGMENTS) throw new DecryptionError('encrypted blob has too many segments');
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(prefix, counter++, last));
    decipher.setAAD(associated);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      // update() hands out unverified bytes: they stay in this function until final() verified the tag.
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new DecryptionError(last ? 'encrypted blob is tampered with or truncated' : 'encrypted blob is tampered with');
    }
  };

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        pending.push(chunk);
        if (!header && pending.length >= HEADER_BYTES) readHeader();
        // A full-size segment followed by more bytes is not the last one.
        while (header && pending.length > sealedBytes) this.push(open(pending.take(sealedBytes), false));
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!header) throw new DecryptionError(pending.length ? 'not an encrypted blob' : 'encrypted blob is empty');
        if (pending.length < TAG_BYTES) throw new DecryptionError('encrypted blob is truncated');
        done(null, open(pending.take(pending.length), true));
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
