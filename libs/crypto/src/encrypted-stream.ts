import { createCipheriv, createDecipheriv, randomBytes, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DecryptionError } from './key-ring';

/** Blob format: "CUT1" | iv (12) | ciphertext | tag (16). */
const MAGIC = Buffer.from('CUT1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + IV_BYTES;

/** Encrypts a byte stream with AES-256-GCM under a data key. */
export function createEncryptStream(key: Buffer, aad?: string): Transform {
  const iv = randomBytes(IV_BYTES);
  const cipher: CipherGCM = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(Buffer.from(aad));
  let headerSent = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (!headerSent) {
        this.push(Buffer.concat([MAGIC, iv]));
        headerSent = true;
      }
      done(null, cipher.update(chunk));
    },
    flush(done: TransformCallback) {
      if (!headerSent) this.push(Buffer.concat([MAGIC, iv]));
      this.push(cipher.final());
      done(null, cipher.getAuthTag());
    },
  });
}

/**
 * Decrypts a stream made by createEncryptStream. The last 16 bytes (the tag) are
 * held back until the end; a tampered or truncated blob fails with DecryptionError.
 */
export function createDecryptStream(key: Buffer, aad?: string): Transform {
  let header = Buffer.alloc(0);
  let decipher: DecipherGCM | undefined;
  let tail = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      let data = chunk;
      if (!decipher) {
        header = Buffer.concat([header, data]);
        if (header.length < HEADER_BYTES) return done();
        if (!header.subarray(0, MAGIC.length).equals(MAGIC)) return done(new DecryptionError('not an encrypted blob'));
        decipher = createDecipheriv('aes-256-gcm', key, header.subarray(MAGIC.length, HEADER_BYTES));
        if (aad) decipher.setAAD(Buffer.from(aad));
        data = header.subarray(HEADER_BYTES);
      }
      const buffered = Buffer.concat([tail, data]);
      const keep = Math.min(TAG_BYTES, buffered.length);
      tail = buffered.subarray(buffered.length - keep);
      const ready = buffered.subarray(0, buffered.length - keep);
      done(null, ready.length ? decipher.update(ready) : undefined);
    },
    flush(done: TransformCallback) {
      if (!decipher || tail.length < TAG_BYTES) return done(new DecryptionError('encrypted blob is truncated'));
      try {
        decipher.setAuthTag(tail);
        done(null, decipher.final());
      } catch {
        done(new DecryptionError());
      }
    },
  });
}
