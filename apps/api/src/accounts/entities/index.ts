export { UserEntity } from './user.entity';
export { SessionEntity } from './session.entity';
export { AccountTokenEntity, type AccountTokenPurpose } from './account-token.entity';
