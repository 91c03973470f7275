import { Injectable } from '@nestjs/common';
import type { LiveAccess } from '../common/request-context/principal';
import { TeamPermission } from '../teams/team-permissions';
import { toCreditBalanceOutput } from './credit.mapper';
import { CreditEventsService } from './credit-events.service';
import { CreditsService } from './credits.service';
import type { CreditBalanceOutput } from './dto/credit.outputs';

/**
 * The stream behind creditBalanceChanged. Access goes through LiveAccess, so the WebSocket
 * layer re-checks it (credential and membership) before every event it delivers.
 */
@Injectable()
export class CreditSubscriptionsService {
  constructor(
    private readonly events: CreditEventsService,
    private readonly credits: CreditsService,
  ) {
    // After a lost LISTEN connection: each followed team's balance as it is now (a newer version reaches its subscribers).
    events.onReconnect(async (teamIds) => {
      for (const teamId of teamIds) events.deliver({ teamId, ...(await credits.versionedBalance(teamId)) });
    });
  }

  /** The team's current balance first, then the balance after each change. */
  async *balanceChanged(access: LiveAccess, teamId: string): AsyncGenerator<CreditBalanceOutput> {
    await access.authorizeTeam(teamId, TeamPermission.VIEW_CREDITS);
    // Listening before the balance is read, so no change between the two is missed (the pub-sub
    // registers its listener on the first next(), not when the iterator is created).
    const stream = this.events.subscribeTeam(teamId)[Symbol.asyncIterator]();
    let pending = stream.next();
    try {
      const current = await this.credits.versionedBalance(teamId);
      let version = current.version;
      yield toCreditBalanceOutput(current);
      for (let next = await pending; !next.done; next = await (pending = stream.next())) {
        // A change committed before the read arrives after it: not news (events may also pass each other).
        if (next.value.version <= version) continue;
        version = next.value.version;
        yield toCreditBalanceOutput(next.value);
      }
    } finally {
      await stream.return?.();
    }
  }
}
