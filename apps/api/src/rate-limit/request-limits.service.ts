import { Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { PersonalDataService } from '../crypto/personal-data.service';
import { rateLimitClient } from './client-identity';
import { RateLimiter, type BackoffPolicy } from './rate-limiter.service';

/** First delay after the free sign-in failures of one (email, client) pair; it doubles with each further failure. */
export const SIGN_IN_FIRST_DELAY_SECONDS = 30;

/**
 * The abuse limits of the API, in one place: per client, per mail recipient, per team, and
 * sign-in backoff per (email, client). A client is its address as `rateLimitClient` counts it
 * (an IPv6 address: its /64). Every key is a keyed hash of the email, client or team, so the
 * table never holds them in clear.
 */
@Injectable()
export class RequestLimits {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly personalData: PersonalDataService,
    private readonly limiter: RateLimiter,
  ) {}

  /** Requests of one kind from one client (RATE_LIMIT_PER_CLIENT per window). */
  perClient(action: string, ip: string): Promise<void> {
    return this.limiter.hit(
      `${action}:ip:${this.hash(rateLimitClient(ip), 'ip')}`,
      this.config.RATE_LIMIT_PER_CLIENT,
      this.config.RATE_LIMIT_WINDOW_SECONDS,
    );
  }

  /** Mails of every kind to one address (MAIL_RATE_LIMIT_PER_RECIPIENT per window), counted whether or not a mail leaves. */
  perRecipient(email: string): Promise<void> {
    return this.limiter.hit(
      `mail:recipient:${this.hash(email, 'email')}`,
      this.config.MAIL_RATE_LIMIT_PER_RECIPIENT,
      this.config.RATE_LIMIT_WINDOW_SECONDS,
    );
  }

  /** Invitations sent by one team (INVITE_RATE_LIMIT_PER_TEAM per window). */
  perTeamInvites(teamId: string): Promise<void> {
    return this.limiter.hit(`invite:team:${teamId}`, this.config.INVITE_RATE_LIMIT_PER_TEAM, this.config.RATE_LIMIT_WINDOW_SECONDS);
  }

  /** A mail-sending request: its client's cap, then the recipient's. */
  async mail(action: string, email: string, ip: string): Promise<void> {
    await this.perClient(action, ip);
    await this.perRecipient(email);
  }

  /**
   * Sign-in of one email from one client: growing delays after SIGN_IN_FAILURES_BEFORE_DELAY
   * failures, so an attacker elsewhere can never lock the owner out. `attempt` counts the attempt
   * as a failure before the password is checked (so parallel attempts cannot all pass) and throws
   * RATE_LIMITED during a delay; `succeeded` clears the count.
   */
  signIn(email: string, ip: string) {
    const key = `sign-in:pair:${this.hash(`${email}\n${rateLimitClient(ip)}`, 'sign-in')}`;
    const policy: BackoffPolicy = {
      freeFailures: this.config.SIGN_IN_FAILURES_BEFORE_DELAY,
      baseSeconds: SIGN_IN_FIRST_DELAY_SECONDS,
      maxSeconds: this.config.RATE_LIMIT_WINDOW_SECONDS,
    };
    return {
      attempt: () => this.limiter.countAttempt(key, policy),
      succeeded: () => this.limiter.reset(key),
    };
  }

  /**
   * The bucket keys derived from a person alone (their recipient counter, their teams' invitation
   * counters), for erasing them. Sign-in backoff keys also hash the client address, so they cannot
   * be found from the person: they hold a keyed hash only and end with their window.
   */
  subjectKeys(email: string, teamIds: readonly string[]): string[] {
    return [`mail:recipient:${this.hash(email, 'email')}`, ...teamIds.map((id) => `invite:team:${id}`)];
  }

  private hash(value: string, kind: string): string {
    return this.personalData.pseudonym(value, `rate-limit-${kind}`);
  }
}
