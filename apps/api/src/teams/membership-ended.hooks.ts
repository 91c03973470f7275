import { Injectable } from '@nestjs/common';
import { TransactionHooks, type TransactionHook } from '../common/transaction-hooks';

/** A membership that just ended (removed by `actorUserId`, or left: the actor is the member). */
export interface EndedMembership {
  teamId: string;
  userId: string;
  actorUserId: string;
}

/** What another domain does, in the same transaction, when someone stops being a member of a team. */
export type MembershipEndedHook = TransactionHook<EndedMembership>;

/**
 * Hooks run inside `removeMember` and `leaveTeam`, so everything a person held in a team ends with
 * their membership (e.g. api-keys revokes the keys they made there). Domains that depend on teams
 * register here at module init; teams never imports them.
 */
@Injectable()
export class MembershipEndedHooks extends TransactionHooks<EndedMembership> {}
