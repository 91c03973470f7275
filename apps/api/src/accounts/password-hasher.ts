import argon2 from 'argon2';
import { Injectable } from '@nestjs/common';

/**
 * argon2id hashing; `verifyOrWaste` spends the same effort when there is no hash (an unknown account, or one
 * without a password), so timing does not reveal either.
 */
@Injectable()
export class PasswordHasher {
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verifyOrWaste(hash: string | null | undefined, password: string): Promise<boolean> {
    if (!hash) {
      this.dummyHash ??= this.hash('cutout-dummy-password-for-timing');
      await argon2.verify(await this.dummyHash, password);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
