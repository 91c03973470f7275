/**
 * A new idempotency key (the API takes 1–128 letters, digits or `. _ : -`): a random UUID. `crypto.randomUUID` exists
 * only in secure contexts (https, localhost); elsewhere 16 bytes of `crypto.getRandomValues` in hex.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * One idempotency key per intended request, so that sending it again (a double submit, a retry after an error or a
 * lost answer) is applied once: `keyFor(values)` answers the key of the last values asked for while they are the
 * same, and a new key when they changed; once the request with a key succeeded (`succeeded(key)`), the next request is a
 * new one, even with the same values.
 */
export class RequestKeys {
  private current: { values: string; key: string } | undefined;

  constructor(private readonly newKey: () => string = newIdempotencyKey) {}

  keyFor(values: unknown): string {
    const serialized = JSON.stringify(values);
    if (this.current?.values !== serialized) this.current = { values: serialized, key: this.newKey() };
    return this.current.key;
  }

  succeeded(key: string): void {
    if (this.current?.key === key) this.current = undefined;
  }
}
