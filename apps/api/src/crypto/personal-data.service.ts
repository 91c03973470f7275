import { Inject, Injectable } from '@nestjs/common';
import type { KeyRing } from '@cutout/crypto';
import { KEY_RING } from '../common/tokens';

export interface SealedEmail {
  ciphertext: string;
  index: string;
}

/** Encrypts personal fields and computes their blind indexes (one place for every domain). */
@Injectable()
export class PersonalDataService {
  constructor(@Inject(KEY_RING) private readonly keyRing: KeyRing) {}

  static normalizeEmail(email: string): string {
    return email.trim().toLowerCase();
  }

  sealEmail(email: string): SealedEmail {
    const normalized = PersonalDataService.normalizeEmail(email);
    return { ciphertext: this.keyRing.encryptField(normalized, 'email'), index: this.emailIndex(normalized) };
  }

  emailIndex(email: string): string {
    return this.keyRing.blindIndex(PersonalDataService.normalizeEmail(email), 'email');
  }

  openEmail(ciphertext: string): string {
    return this.keyRing.decryptField(ciphertext, 'email');
  }

  /** Keyed hash of any value (e.g. an IP address) for counters that must not hold the raw value. */
  pseudonym(value: string, context: string): string {
    return this.keyRing.blindIndex(value, context);
  }
}
