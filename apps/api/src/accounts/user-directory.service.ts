import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { PersonalDataService } from '../crypto/personal-data.service';
import { UserEntity } from './entities/user.entity';

/**
 * Read-only questions other domains ask about users (teams' invitations), answered by the
 * accounts domain, which owns the users table. It depends on nothing outside accounts and
 * crypto, so teams can use it without a cycle (AccountsService itself depends on teams).
 */
@Injectable()
export class UserDirectory {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly personalData: PersonalDataService,
  ) {}

  /** The id of the user with this email, or null; inside the caller's transaction when given one. */
  async findIdByEmail(email: string, manager?: EntityManager): Promise<string | null> {
    const user = await this.users(manager).findOne({ where: { emailIndex: this.personalData.emailIndex(email) }, select: { id: true } });
    return user?.id ?? null;
  }

  /** True when the user's email is this blind index (invitations compare indexes, never clear emails). */
  async hasEmailIndex(userId: string, emailIndex: string, manager?: EntityManager): Promise<boolean> {
    const user = await this.users(manager).findOne({ where: { id: userId }, select: { id: true, emailIndex: true } });
    return user?.emailIndex === emailIndex;
  }

  /** The blind index of the user's email, or null when there is no such user. */
  async emailIndexOf(userId: string, manager?: EntityManager): Promise<string | null> {
    const user = await this.users(manager).findOne({ where: { id: userId }, select: { id: true, emailIndex: true } });
    return user?.emailIndex ?? null;
  }

  /** The user's email in clear, or null (for erasing what is keyed by other hashes of it: rate limits, dev mails). */
  async emailOf(userId: string, manager?: EntityManager): Promise<string | null> {
    const user = await this.users(manager).findOne({ where: { id: userId }, select: { id: true, emailCiphertext: true } });
    return user ? this.personalData.openEmail(user.emailCiphertext) : null;
  }

  private users(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(UserEntity);
  }
}
