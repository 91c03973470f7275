import { randomBytes } from 'node:crypto';
import { DecryptionError, KeyRing, parseMasterKey, safeEqual } from './key-ring';

const aKeyRing = () => new KeyRing(randomBytes(32));

describe('KeyRing', () => {
  it('round-trips personal fields and never stores plaintext', () => {
    const ring = aKeyRing();
    const sealed = ring.encryptField('ada@example.com', 'users.email');
    expect(sealed).not.toContain('ada');
    expect(sealed).not.toEqual(ring.encryptField('ada@example.com', 'users.email'));
    expect(ring.decryptField(sealed, 'users.email')).toBe('ada@example.com');
  });

  it('rejects ciphertext moved to another column, tampered, or under another master key', () => {
    const ring = aKeyRing();
    const sealed = ring.encryptField('secret', 'users.email');
    expect(() => ring.decryptField(sealed, 'invitations.email')).toThrow(DecryptionError);
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    bytes[bytes.length - 1] ^= 0x01;
    const tampered = 'v1.' + bytes.toString('base64url');
    expect(() => ring.decryptField(tampered, 'users.email')).toThrow(DecryptionError);
    expect(() => aKeyRing().decryptField(sealed, 'users.email')).toThrow(DecryptionError);
    expect(() => ring.decryptField('v9.abc', 'users.email')).toThrow(DecryptionError);
  });

  it('computes deterministic blind indexes that depend on key and context', () => {
    const master = randomBytes(32);
    const a = new KeyRing(master);
    const b = new KeyRing(master);
    expect(a.blindIndex('x@y.z', 'email')).toBe(b.blindIndex('x@y.z', 'email'));
    expect(a.blindIndex('x@y.z', 'email')).not.toBe(a.blindIndex('x@y.z', 'other'));
    expect(a.blindIndex('x@y.z', 'email')).not.toBe(aKeyRing().blindIndex('x@y.z', 'email'));
  });

  it('wraps data keys for one owner only', () => {
    const ring = aKeyRing();
    const { key, wrapped } = ring.generateDataKey('team-1');
    expect(ring.unwrapDataKey(wrapped, 'team-1').equals(key)).toBe(true);
    expect(() => ring.unwrapDataKey(wrapped, 'team-2')).toThrow(DecryptionError);
  });

  it('validates master keys', () => {
    expect(() => new KeyRing(randomBytes(16))).toThrow('32 bytes');
    expect(parseMasterKey(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(() => parseMasterKey('c2hvcnQ=')).toThrow('32 bytes');
  });

  it('compares strings in constant time', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
