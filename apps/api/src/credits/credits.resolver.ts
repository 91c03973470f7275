import { Injectable } from '@nestjs/common';
import { Arg, Args, Ctx, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { ID } from '../graphql/canonical-id.scalar';
import type { RequestContext } from '../common/request-context/principal';
import { requireLiveAccess } from '../common/request-context/require-principal';
import { TeamAccessService } from '../teams/team-access.service';
import { TeamPermission } from '../teams/team-permissions';
import { CreditAdminService } from './credit-admin.service';
import { CreditReportsService } from './credit-reports.service';
import { CreditSubscriptionsService } from './credit-subscriptions.service';
import { toCreditBalanceOutput } from './credit.mapper';
import { CreditsService } from './credits.service';
import { AdjustCreditsInput, CreditLedgerArgs, UsageArgs } from './dto/credit.inputs';
import {
  CreditAdjustmentOutput,
  CreditBalanceOutput,
  CreditLedgerConnection,
  LedgerMismatchOutput,
  UsageDayOutput,
} from './dto/credit.outputs';

function subscriptions(context: RequestContext): CreditSubscriptionsService {
  if (!context.container) throw new Error('subscriptions need the container in the context');
  return context.container.get(CreditSubscriptionsService);
}

@Injectable()
@Resolver()
export class CreditsResolver {
  constructor(
    private readonly credits: CreditsService,
    private readonly reports: CreditReportsService,
    private readonly admin: CreditAdminService,
    private readonly access: TeamAccessService,
  ) {}

  @Query(() => CreditBalanceOutput, { description: 'The team’s credits (members and the team’s API keys).' })
  async creditBalance(@Arg('teamId', () => ID) teamId: string, @Ctx() ctx: RequestContext): Promise<CreditBalanceOutput> {
    const access = await this.access.authorize(ctx.principal, teamId, TeamPermission.VIEW_CREDITS);
    return toCreditBalanceOutput(await this.credits.balance(access.teamId));
  }

  @Query(() => CreditLedgerConnection, { description: 'Every change of the team’s credits, newest first (members).' })
  async creditLedger(@Args() args: CreditLedgerArgs, @Ctx() ctx: RequestContext) {
    return this.reports.ledger(await this.access.authorize(ctx.principal, args.teamId, TeamPermission.VIEW_CREDIT_HISTORY), args);
  }

  @Query(() => [UsageDayOutput], {
    description:
      'Jobs and credits spent per UTC day in [from, to), from the ledger (members): the jobs charged that day, net of their refunds, whenever they came.',
  })
  async usage(@Args() args: UsageArgs, @Ctx() ctx: RequestContext): Promise<UsageDayOutput[]> {
    return this.reports.usage(
      await this.access.authorize(ctx.principal, args.teamId, TeamPermission.VIEW_CREDIT_HISTORY),
      args.from,
      args.to,
    );
  }

  @Query(() => [LedgerMismatchOutput], {
    description: 'Teams whose balance differs from their ledger sum; empty when healthy (platform admins).',
  })
  async ledgerHealth(@Ctx() ctx: RequestContext): Promise<LedgerMismatchOutput[]> {
    await this.admin.assertPlatformAdmin(ctx.principal);
    return this.reports.mismatches();
  }

  @Mutation(() => CreditAdjustmentOutput, {
    description: 'Adds or takes back credits, with a reason kept in the ledger (platform admins).',
  })
  async adjustCredits(@Arg('input') input: AdjustCreditsInput, @Ctx() ctx: RequestContext): Promise<CreditAdjustmentOutput> {
    const actorUserId = await this.admin.assertPlatformAdmin(ctx.principal);
    const { entry, balance } = await this.admin.adjust({ ...input, actorUserId });
    return { entry, balance };
  }

  @Subscription(() => CreditBalanceOutput, {
    description: 'The team’s current balance, then the balance after every change (members and the team’s API keys).',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>) =>
      subscriptions(context).balanceChanged(requireLiveAccess(context), args.teamId as string),
  })
  creditBalanceChanged(@Root() balance: CreditBalanceOutput, @Arg('teamId', () => ID) _teamId: string): CreditBalanceOutput {
    return balance;
  }
}
