import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { IsNull, type DataSource } from 'typeorm';
import { AppError, invalidToken, notFound, unauthenticated } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-codes';
import { DATA_SOURCE } from '../common/tokens';
import { queryRows } from '../database/query-rows';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { TrialCreditsService } from '../credits/trial-credits.service';
import { PersonalDataService } from '../crypto/personal-data.service';
import { mailTemplates } from '../mail/mail-templates';
import { MailOutbox } from '../mail/mail-outbox.service';
import { ConsentService } from '../privacy/consent/consent.service';
import { PolicyAcceptancesService } from '../privacy/policies/policy-acceptances.service';
import { RequestLimits } from '../rate-limit/request-limits.service';
import { TeamsService } from '../teams/teams.service';
import { AccountTokensService } from './account-tokens.service';
import type { UserOutput } from './dto/user.output';
import { parseEmail } from './email.rules';
import { parseReturnPath } from './return-path.rules';
import { UserEntity } from './entities/user.entity';
import { PasswordHasher } from './password-hasher';
import { PasswordResetHooks } from './password-reset.hooks';
import { assertStrongPassword, MAX_PASSWORD_LENGTH } from './password.policy';
import { SessionsService } from './sessions.service';
import { toUserOutput } from './user.mapper';

/**
 * Sign-up, email verification, sign-in and password reset. Answers never reveal
 * whether an email has an account: unknown and known emails get the same answer
 * and the same argon2 work, and mails leave in the background.
 */
@Injectable()
export class AccountsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly personalData: PersonalDataService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly tokens: AccountTokensService,
    private readonly teams: TeamsService,
    private readonly outbox: MailOutbox,
    private readonly limits: RequestLimits,
    private readonly trialCredits: TrialCreditsService,
    private readonly policyAcceptances: PolicyAcceptancesService,
    private readonly consent: ConsentService,
    private readonly passwordResetHooks: PasswordResetHooks,
  ) {}

  /** `next`: where the verification link's page sends the person after signing in (return-path.rules.ts). */
  async signUp(
    rawEmail: string,
    password: string,
    ip: string,
    acceptedPolicyVersion?: string | null,
    next?: string | null,
  ): Promise<UserOutput> {
    const email = parseEmail(rawEmail);
    const returnPath = parseReturnPath(next);
    assertStrongPassword(password, email);
    if (acceptedPolicyVersion != null) this.policyAcceptances.assertAcceptable(acceptedPolicyVersion, 'acceptedPolicyVersion');
    const mustAcceptPolicy = acceptedPolicyVersion == null;
    await this.limits.mail('sign-up', email, ip);
    const passwordHash = await this.hasher.hash(password);
    const sealed = this.personalData.sealEmail(email);

    const created = await this.dataSource.transaction(async (manager) => {
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO users (email_ciphertext, email_index, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email_index) DO NOTHING RETURNING id`,
        [sealed.ciphertext, sealed.index, passwordHash],
      );
      if (!inserted.length) return null;
      const user = await manager.getRepository(UserEntity).findOneByOrFail({ id: inserted[0].id });
      await this.teams.createPersonalTeam(user.id, manager);
      if (acceptedPolicyVersion != null) await this.policyAcceptances.accept(user.id, acceptedPolicyVersion, 'SIGN_UP', manager);
      const token = await this.tokens.issue(user.id, 'VERIFY_EMAIL', manager);
      return { user, token };
    });

    if (!created) {
      // Same answer as a new account; the owner of the address learns about the attempt by mail.
      const setPassword = await this.withdrawUnprovenPassword(sealed.index);
      if (setPassword) {
        this.outbox.enqueue(
          mailTemplates.unverifiedAccountSignUp(email, this.link('/reset-password', setPassword)),
          'unverified-account-sign-up',
        );
      } else {
        this.outbox.enqueue(mailTemplates.accountExists(email, `${this.config.PUBLIC_URL}/reset-password`), 'account-exists');
      }
      return { id: randomUUID(), email, emailVerified: false, isPlatformAdmin: false, createdAt: new Date(), mustAcceptPolicy };
    }
    this.outbox.enqueue(mailTemplates.verifyEmail(email, this.link('/verify-email', created.token, returnPath)), 'verify-email');
    return { ...toUserOutput(created.user, this.personalData), mustAcceptPolicy };
  }

  /**
   * A sign-up met an account of this address that is not verified yet. Nobody proved the mailbox for the
   * password it was made with, and either sign-up may be someone else's: its verification links end, its
   * password is removed (null: no sign-in opens it), and only a set-password link mailed to the address
   * (a RESET_PASSWORD token, whose use verifies the account) lets anyone in. Returns that token, or null
   * when the account is verified (then nothing changes). Links end before the account row is locked, as
   * in verifyEmail, so the two never deadlock; a verification that won keeps the account as it is.
   */
  private async withdrawUnprovenPassword(emailIndex: string): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      const user = await manager.getRepository(UserEntity).findOneBy({ emailIndex, emailVerifiedAt: IsNull() });
      if (!user) return null;
      await this.tokens.expireAll(user.id, 'VERIFY_EMAIL', manager);
      const withdrawn = await queryRows<{ id: string }>(
        manager,
        'UPDATE users SET password_hash = NULL, updated_at = now() WHERE id = $1 AND email_verified_at IS NULL RETURNING id',
        [user.id],
      );
      if (!withdrawn.length) return null;
      return this.tokens.issue(user.id, 'RESET_PASSWORD', manager);
    });
  }

  /**
   * Confirms the address with the mailed token and the account's password, then signs in (`startSession`:
   * a session for the caller's cookie). The password makes a stray click harmless: someone who did not
   * sign up (another person typed their address) cannot confirm that person's account. A wrong password
   * is UNAUTHENTICATED, leaves the link usable and counts in the sign-in backoff of the address and client.
   */
  async verifyEmail(
    token: string,
    password: string,
    ip: string,
    options: { startSession: boolean; visitorId?: string },
  ): Promise<{ user: UserOutput; session?: { token: string; expiresAt: Date } }> {
    await this.limits.perClient('verify-email', ip);
    const owner = await this.dataSource.getRepository(UserEntity).findOneBy({ id: await this.tokens.peek(token, 'VERIFY_EMAIL') });
    if (!owner) throw invalidToken();
    const backoff = this.limits.signIn(this.personalData.openEmail(owner.emailCiphertext), ip);
    await backoff.attempt();
    const valid = password.length <= MAX_PASSWORD_LENGTH && (await this.hasher.verifyOrWaste(owner.passwordHash, password));
    if (!valid)
      throw unauthenticated(
        'That is not the password this account was created with. If you did not create it, ignore the link: the account stays unconfirmed.',
      );
    await backoff.succeeded();
    const user = await this.dataSource.transaction(async (manager) => {
      const userId = await this.tokens.consume(token, 'VERIFY_EMAIL', manager);
      // Verified once: the account's other verification links end with this one.
      await this.tokens.expireAll(userId, 'VERIFY_EMAIL', manager);
      await manager.query('UPDATE users SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now() WHERE id = $1', [
        userId,
      ]);
      const verified = await manager.getRepository(UserEntity).findOneByOrFail({ id: userId });
      // The mail proved the address: the personal team gets its trial credits (once per address, ever).
      await this.trialCredits.grantOnVerification(verified.id, this.personalData.openEmail(verified.emailCiphertext), manager);
      return verified;
    });
    const session = options.startSession ? await this.startSession(user.id, options.visitorId) : undefined;
    return { user: toUserOutput(user, this.personalData), session };
  }

  async resendVerification(rawEmail: string, ip: string, next?: string | null): Promise<boolean> {
    const email = parseEmail(rawEmail);
    const returnPath = parseReturnPath(next);
    await this.limits.mail('resend-verification', email, ip);
    const user = await this.findByEmail(email);
    if (user && !user.emailVerifiedAt && user.passwordHash === null) {
      // No password yet (a second sign-up withdrew it): a verification link would open nothing, a set-password link does.
      const token = await this.tokens.issue(user.id, 'RESET_PASSWORD');
      this.outbox.enqueue(mailTemplates.choosePassword(email, this.link('/reset-password', token)), 'choose-password');
    } else if (user && !user.emailVerifiedAt) {
      const token = await this.tokens.issue(user.id, 'VERIFY_EMAIL');
      this.outbox.enqueue(mailTemplates.verifyEmail(email, this.link('/verify-email', token, returnPath)), 'verify-email');
    }
    return true;
  }

  /** `visitorId`: the browser's `cutout_visitor` cookie; that visitor's cookie choices join the account. */
  async signIn(
    rawEmail: string,
    password: string,
    ip: string,
    visitorId?: string,
  ): Promise<{ user: UserOutput; session: { token: string; expiresAt: Date } }> {
    const email = parseEmail(rawEmail);
    if (password.length > MAX_PASSWORD_LENGTH) throw unauthenticated('Invalid email or password.');
    await this.limits.perClient('sign-in', ip);
    const backoff = this.limits.signIn(email, ip);
    // Counted as a failure before the check, so parallel guesses cannot outrun the delay; a success clears it.
    await backoff.attempt();
    const user = await this.findByEmail(email);
    const valid = await this.hasher.verifyOrWaste(user?.passwordHash, password);
    if (!user || !valid) throw unauthenticated('Invalid email or password.');
    await backoff.succeeded();
    if (!user.emailVerifiedAt) {
      throw new AppError(ErrorCode.EMAIL_NOT_VERIFIED, 'Verify your email address first: we sent you a link. You can ask for a new one.');
    }
    const session = await this.startSession(user.id, visitorId);
    return { user: toUserOutput(user, this.personalData), session };
  }

  /**
   * The session and the visitor's consent link, in one transaction. The session's INSERT holds the
   * account row (its foreign key) until both are stored, so an erasure waits for them (and then
   * removes them); an erasure that committed since the account was read makes that INSERT fail on
   * the foreign key (23503): the answer is then the wrong-password one, never a 500.
   */
  private async startSession(userId: string, visitorId: string | undefined): Promise<{ token: string; expiresAt: Date }> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const session = await this.sessions.create(userId, manager);
        await this.consent.linkVisitor(visitorId, userId, manager);
        return session;
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23503') {
        throw unauthenticated('Invalid email or password.');
      }
      throw error;
    }
  }

  async requestPasswordReset(rawEmail: string, ip: string): Promise<boolean> {
    const email = parseEmail(rawEmail);
    await this.limits.mail('password-reset', email, ip);
    const user = await this.findByEmail(email);
    if (user) {
      const token = await this.tokens.issue(user.id, 'RESET_PASSWORD');
      this.outbox.enqueue(mailTemplates.resetPassword(email, this.link('/reset-password', token)), 'reset-password');
    }
    return true;
  }

  /**
   * Sets a new password and marks the email verified (the mail proved it). Every way in the old password
   * could have opened ends with it: every session (open WebSockets included), every pending invitation the
   * user sent and, through the reset hooks, every API key the user made, in any team.
   */
  async resetPassword(token: string, password: string): Promise<UserOutput> {
    assertStrongPassword(password);
    const passwordHash = await this.hasher.hash(password);
    const user = await this.dataSource.transaction(async (manager) => {
      const userId = await this.tokens.consume(token, 'RESET_PASSWORD', manager);
      const found = await manager.getRepository(UserEntity).findOneByOrFail({ id: userId });
      assertStrongPassword(password, this.personalData.openEmail(found.emailCiphertext));
      // Links end before the account row is locked, as in verifyEmail and withdrawUnprovenPassword: a verification
      // at the same moment then waits on its link instead of the two transactions deadlocking.
      await this.tokens.expireAll(userId, 'RESET_PASSWORD', manager);
      await this.tokens.expireAll(userId, 'VERIFY_EMAIL', manager);
      await manager.query(
        'UPDATE users SET password_hash = $2, email_verified_at = COALESCE(email_verified_at, now()), updated_at = now() WHERE id = $1',
        [userId, passwordHash],
      );
      await this.sessions.revokeAllForUser(userId, manager);
      await this.teams.withdrawInvitationsSentBy(userId, manager);
      await this.passwordResetHooks.run({ userId }, manager);
      const verified = await manager.getRepository(UserEntity).findOneByOrFail({ id: userId });
      // The mail proved the address: the personal team gets its trial credits (once per address, ever).
      await this.trialCredits.grantOnVerification(verified.id, this.personalData.openEmail(verified.emailCiphertext), manager);
      return verified;
    });
    return toUserOutput(user, this.personalData);
  }

  async findUserOrThrow(userId: string): Promise<UserOutput> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: userId });
    if (!user) throw notFound('User');
    return toUserOutput(user, this.personalData);
  }

  private findByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ emailIndex: this.personalData.emailIndex(email) });
  }

  /** A mailed link: the page, its token and, when given, where to go after signing in (`next`). */
  private link(path: string, token: string, next?: string): string {
    const returnTo = next ? `&next=${encodeURIComponent(next)}` : '';
    return `${this.config.PUBLIC_URL}${path}?token=${encodeURIComponent(token)}${returnTo}`;
  }
}
