import { Inject, Injectable } from '@nestjs/common';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { invalidToken } from '../common/errors/app-error';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import { AccountTokenEntity, type AccountTokenPurpose } from './entities/account-token.entity';

export const TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  VERIFY_EMAIL: 24 * 3_600_000,
  RESET_PASSWORD: 3_600_000,
};

/** Single-use mailed tokens (stored as SHA-256). */
@Injectable()
export class AccountTokensService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async issue(userId: string, purpose: AccountTokenPurpose, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const { token, hash } = newSecretToken();
    await manager
      .getRepository(AccountTokenEntity)
      .insert({ userId, purpose, tokenHash: hash, expiresAt: new Date(Date.now() + TOKEN_TTL_MS[purpose]), usedAt: null });
    return token;
  }

  /**
   * Marks the token used and returns its user id; INVALID_TOKEN when it is unknown,
   * of another purpose, expired or already used. Atomic: two concurrent uses cannot both win.
   */
  async consume(token: string, purpose: AccountTokenPurpose, manager: EntityManager): Promise<string> {
    const rows = await queryRows<{ user_id: string }>(
      manager,
      `UPDATE account_tokens SET used_at = now()
       WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
       RETURNING user_id`,
      [hashSecretToken(token), purpose],
    );
    if (rows.length) return rows[0].user_id;
    throw unusable(await this.find(token, purpose, manager));
  }

  /** The user id of a token `consume` would take now, without using it; the same INVALID_TOKEN errors otherwise. */
  async peek(token: string, purpose: AccountTokenPurpose, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const existing = await this.find(token, purpose, manager);
    if (existing && !existing.usedAt && existing.expiresAt.getTime() > Date.now()) return existing.userId;
    throw unusable(existing);
  }

  private find(token: string, purpose: AccountTokenPurpose, manager: EntityManager): Promise<AccountTokenEntity | null> {
    return manager.getRepository(AccountTokenEntity).findOne({ where: { tokenHash: hashSecretToken(token), purpose } });
  }

  /** Invalidates the user's other unused tokens of a purpose (e.g. after a password reset). */
  async expireAll(userId: string, purpose: AccountTokenPurpose, manager: EntityManager): Promise<void> {
    await manager.getRepository(AccountTokenEntity).update({ userId, purpose, usedAt: IsNull() }, { usedAt: new Date() });
  }
}

/** Why a token cannot be used: unknown (or another purpose), used, or expired. */
function unusable(existing: AccountTokenEntity | null): Error {
  if (!existing) return invalidToken();
  if (existing.usedAt) return invalidToken('This link has already been used.');
  return invalidToken('This link has expired. Ask for a new one.');
}
