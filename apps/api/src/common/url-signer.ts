import { Inject, Injectable } from '@nestjs/common';
import type { KeyRing } from '@cutout/crypto';
import { safeEqual } from '@cutout/crypto';
import { invalidToken } from './errors/app-error';
import { KEY_RING } from './tokens';

/** A signed link's query: its expiry, the credential it was made for, and the signature over both and the path. */
export interface SignedLinkQuery {
  expires?: string;
  by?: string;
  signature?: string;
}

/**
 * Stateless signed, expiring URLs (HMAC-SHA256 with a key derived from the master key). The
 * signature covers the path, the expiry and `by`, the credential the link was made for
 * (link-holder.ts), which the route that serves it checks is still live and allowed.
 */
@Injectable()
export class UrlSigner {
  constructor(@Inject(KEY_RING) private readonly keyRing: KeyRing) {}

  sign(path: string, ttlSeconds: number, by: string, now = Date.now()): { query: string; expiresAt: Date } {
    const expires = Math.floor(now / 1000) + ttlSeconds;
    const signature = this.keyRing.blindIndex(`${path}\n${expires}\n${by}`, 'signed-url');
    return { query: `expires=${expires}&by=${encodeURIComponent(by)}&signature=${signature}`, expiresAt: new Date(expires * 1000) };
  }

  /** Throws INVALID_TOKEN for a wrong signature or an expired link (expired by `now`, a clock's time in ms). */
  verify(path: string, { expires, by, signature }: SignedLinkQuery, now = Date.now()): void {
    // Each a single string (a repeated query parameter arrives as an array).
    if (typeof expires !== 'string' || typeof signature !== 'string' || typeof by !== 'string' || !/^\d{1,12}$/.test(expires))
      throw invalidToken('This download link is not valid.');
    if (!safeEqual(this.keyRing.blindIndex(`${path}\n${expires}\n${by}`, 'signed-url'), signature))
      throw invalidToken('This download link is not valid.');
    if (Number(expires) * 1000 < now) throw invalidToken('This download link has expired. Ask the API for a new one.');
  }
}
