import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const FIELD_PREFIX = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export class DecryptionError extends Error {
  constructor(message = 'ciphertext could not be decrypted') {
    super(message);
    this.name = 'DecryptionError';
  }
}

function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.from('cutout/key-ring'), Buffer.from(purpose), KEY_BYTES));
}

/** AES-256-GCM over a buffer: iv | tag | ciphertext. */
export function sealBuffer(key: Buffer, plaintext: Buffer, aad?: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openBuffer(key: Buffer, sealed: Buffer, aad?: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('ciphertext is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  if (aad) decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

/**
 * Every key the platform uses, derived from one 32-byte master key with HKDF:
 * - field encryption (AES-256-GCM) for personal data stored in columns,
 * - blind indexes (HMAC-SHA256) so encrypted values can still be looked up,
 * - the key-encryption key that wraps per-owner data keys (envelope encryption).
 */
export class KeyRing {
  private readonly fieldKey: Buffer;
  private readonly indexKey: Buffer;
  private readonly wrappingKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== KEY_BYTES) throw new Error(`master key must be ${KEY_BYTES} bytes, got ${masterKey.length}`);
    this.fieldKey = derive(masterKey, 'field-encryption');
    this.indexKey = derive(masterKey, 'blind-index');
    this.wrappingKey = derive(masterKey, 'data-key-wrapping');
  }

  /** Encrypts a personal field; `context` (e.g. "users.email") is bound as associated data. */
  encryptField(plaintext: string, context: string): string {
    return FIELD_PREFIX + sealBuffer(this.fieldKey, Buffer.from(plaintext, 'utf8'), context).toString('base64url');
  }

  decryptField(ciphertext: string, context: string): string {
    if (!ciphertext.startsWith(FIELD_PREFIX)) throw new DecryptionError('unknown ciphertext version');
    return openBuffer(this.fieldKey, Buffer.from(ciphertext.slice(FIELD_PREFIX.length), 'base64url'), context).toString('utf8');
  }

  /** Deterministic keyed hash of a (normalised) value, for equality look-ups on encrypted columns. */
  blindIndex(value: string, context: string): string {
    return createHmac('sha256', this.indexKey).update(context).update('\0').update(value).digest('hex');
  }

  /** A fresh data key and its wrapped form (store only the wrapped form). */
  generateDataKey(owner: string): { key: Buffer; wrapped: string } {
    const key = randomBytes(KEY_BYTES);
    return { key, wrapped: this.wrapDataKey(key, owner) };
  }

  wrapDataKey(key: Buffer, owner: string): string {
    return FIELD_PREFIX + sealBuffer(this.wrappingKey, key, `data-key:${owner}`).toString('base64url');
  }

  unwrapDataKey(wrapped: string, owner: string): Buffer {
    if (!wrapped.startsWith(FIELD_PREFIX)) throw new DecryptionError('unknown wrapped key version');
    const key = openBuffer(this.wrappingKey, Buffer.from(wrapped.slice(FIELD_PREFIX.length), 'base64url'), `data-key:${owner}`);
    if (key.length !== KEY_BYTES) throw new DecryptionError('wrapped key has the wrong length');
    return key;
  }
}

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Parses a base64 master key and checks its length. */
export function parseMasterKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`must be ${KEY_BYTES} bytes encoded as base64 (got ${key.length} bytes)`);
  return key;
}
