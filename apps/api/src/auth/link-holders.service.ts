import { Injectable } from '@nestjs/common';
import { AppError, invalidToken } from '../common/errors/app-error';
import type { Principal } from '../common/request-context/principal';
import { TeamAccessService } from '../teams/team-access.service';
import { TeamPermission } from '../teams/team-permissions';
import { AuthService } from './auth.service';

const ENDED = 'The sign-in or API key this link was made for no longer has access to it. Ask the API for a new link.';

/**
 * The access check of a signed link's GET, after its signature verified: the credential it was
 * made for (its `by`) must still be live, and still allowed to read what the link opens.
 * Anything else is INVALID_TOKEN (403), like a forged or expired link.
 */
@Injectable()
export class LinkHolders {
  constructor(
    private readonly auth: AuthService,
    private readonly teamAccess: TeamAccessService,
  ) {}

  /** The live principal the link was made for. */
  async live(by: string | undefined): Promise<Principal> {
    const principal = await this.auth.resolveLinkHolder(by);
    if (!principal) throw invalidToken(ENDED);
    return principal;
  }

  /** A job file's link: its holder must still read the team's jobs (key of the team, or a member). */
  async assertMayReadJobs(holder: Principal, teamId: string): Promise<void> {
    try {
      await this.teamAccess.authorize(holder, teamId, TeamPermission.RUN_JOBS);
    } catch (error) {
      if (error instanceof AppError) throw invalidToken(ENDED);
      throw error;
    }
  }

  /** A person's own file (their data export): its holder must be that person's session. */
  assertIsPerson(holder: Principal, userId: string): void {
    if (holder.kind !== 'user' || holder.userId !== userId) throw invalidToken(ENDED);
  }
}
