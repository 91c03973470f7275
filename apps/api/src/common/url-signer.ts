import { Inject, Injectable } from '@nestjs/common';
import type { KeyRing } from '@cutout/crypto';
import { safeEqual } from '@cutout/crypto';
import { invalidToken } from './errors/app-error';
import { KEY_RING } from './tokens';

/** Stateless signed, expiring URLs (HMAC-SHA256 with a key derived from the master key). */
@Injectable()
export class UrlSigner {
  constructor(@Inject(KEY_RING) private readonly keyRing: KeyRing) {}

  sign(path: string, ttlSeconds: number, now = Date.now()): { query: string; expiresAt: Date } {
    const expires = Math.floor(now / 1000) + ttlSeconds;
    const signature = this.keyRing.blindIndex(`${path}\n${expires}`, 'signed-url');
    return { query: `expires=${expires}&signature=${signature}`, expiresAt: new Date(expires * 1000) };
  }

  /** Throws INVALID_TOKEN for a wrong signature or an expired link (expired by `now`, a clock's time in ms). */
  verify(path: string, expires: string | undefined, signature: string | undefined, now = Date.now()): void {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) throw invalidToken('This download link is not valid.');
    if (!safeEqual(this.keyRing.blindIndex(`${path}\n${expires}`, 'signed-url'), signature))
      throw invalidToken('This download link is not valid.');
    if (Number(expires) * 1000 < now) throw invalidToken('This download link has expired. Ask the API for a new one.');
  }
}
