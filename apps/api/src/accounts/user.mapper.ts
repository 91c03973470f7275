import type { PersonalDataService } from '../crypto/personal-data.service';
import type { UserOutput } from './dto/user.output';
import type { UserEntity } from './entities/user.entity';

export function toUserOutput(user: UserEntity, personalData: PersonalDataService): UserOutput {
  return {
    id: user.id,
    email: personalData.openEmail(user.emailCiphertext),
    emailVerified: user.emailVerifiedAt !== null,
    isPlatformAdmin: user.isPlatformAdmin,
    createdAt: user.createdAt,
  };
}
