import { newIdempotencyKey, RequestKeys } from './idempotency-key';

/** The API's rule for idempotency keys (parseIdempotencyKey). */
const KEY_RULE = /^[\w.:-]{1,128}$/;

describe('newIdempotencyKey', () => {
  it('is a random key the API accepts, also where crypto.randomUUID is missing (a page served over plain http)', () => {
    const keys = [newIdempotencyKey(), newIdempotencyKey()];
    // As in an insecure context: no randomUUID (an own property hides the prototype's; deleting it restores it).
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      keys.push(newIdempotencyKey(), newIdempotencyKey());
    } finally {
      delete (crypto as { randomUUID?: unknown }).randomUUID;
    }
    expect(typeof crypto.randomUUID).toBe('function');
    for (const key of keys) expect(key).toMatch(KEY_RULE);
    expect(keys[2]).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(keys).size).toBe(4);
  });
});

describe('RequestKeys', () => {
  let n = 0;
  const keys = () => new RequestKeys(() => `k${++n}`);

  it('keeps the key while the values are the same, and takes a new one when they change', () => {
    const k = keys();
    const first = k.keyFor({ teamId: 't', amount: 2, reason: 'r' });
    expect(k.keyFor({ teamId: 't', amount: 2, reason: 'r' })).toBe(first);
    const changed = k.keyFor({ teamId: 't', amount: 2.5, reason: 'r' });
    expect(changed).not.toBe(first);
    // Back to the first values after trying others: another request.
    expect(k.keyFor({ teamId: 't', amount: 2, reason: 'r' })).not.toBe(first);
  });

  it('starts a new request after a success, even with the same values; a late success of an older key changes nothing', () => {
    const k = keys();
    const first = k.keyFor(['t', 1, 'r']);
    k.succeeded(first);
    const second = k.keyFor(['t', 1, 'r']);
    expect(second).not.toBe(first);
    k.succeeded(first);
    expect(k.keyFor(['t', 1, 'r'])).toBe(second);
  });
});
