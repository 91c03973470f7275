import { Injectable } from '@nestjs/common';
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ID } from '../graphql/canonical-id.scalar';
import { PageArgs } from '../common/pagination/connection.types';
import type { RequestContext } from '../common/request-context/principal';
import { asMember, TeamAccessService } from '../teams/team-access.service';
import { TeamPermission } from '../teams/team-permissions';
import { CheckoutSessionOutput, CreditPackOutput, PurchaseConnection } from './dto/billing.output';
import { PurchaseCreditsInput } from './dto/purchase-credits.input';
import { toCreditPackOutput } from './purchase.mapper';
import { PurchasesService } from './purchases.service';

@Injectable()
@Resolver()
export class BillingResolver {
  constructor(
    private readonly purchasesService: PurchasesService,
    private readonly access: TeamAccessService,
  ) {}

  @Query(() => [CreditPackOutput], { description: 'The credit packs on sale (the same for every team; no sign-in needed).' })
  creditPacks(): CreditPackOutput[] {
    return this.purchasesService.packs().map(toCreditPackOutput);
  }

  @Query(() => Boolean, {
    description:
      'Whether buying credits is set up on this server (Stripe configured); false: purchaseCredits answers BILLING_NOT_CONFIGURED. No sign-in needed.',
  })
  billingConfigured(): boolean {
    return this.purchasesService.configured;
  }

  @Mutation(() => CheckoutSessionOutput, {
    description:
      "Starts buying a pack (owners and admins): a Stripe Checkout Session to send the payer to. Credits arrive with Stripe's confirmation.",
  })
  async purchaseCredits(@Arg('input') input: PurchaseCreditsInput, @Ctx() ctx: RequestContext): Promise<CheckoutSessionOutput> {
    const access = asMember(await this.access.authorize(ctx.principal, input.teamId, TeamPermission.BUY_CREDITS));
    return this.purchasesService.purchase(access, input.packId);
  }

  @Query(() => PurchaseConnection, { description: "The team's orders of credits, newest first (every member; not API keys)." })
  async purchases(@Arg('teamId', () => ID) teamId: string, @Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return this.purchasesService.list(await this.access.authorize(ctx.principal, teamId, TeamPermission.VIEW_PURCHASES), page);
  }
}
