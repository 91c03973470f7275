import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { PageArgs } from '../common/pagination/connection.types';
import { keysetPage } from '../common/pagination/keyset-page';
import { DATA_SOURCE } from '../common/tokens';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { creditsToQuarters } from '../credits/credit-amounts';
import { TeamRole } from '../teams/entities/team-role';
import type { MemberAccess, TeamAccess } from '../teams/team-access.service';
import { billingNotConfigured, unknownPack } from './billing.errors';
import type { CreditPack } from './credit-packs';
import type { CheckoutSessionOutput } from './dto/billing.output';
import { PurchaseEntity } from './entities/purchase.entity';
import { PurchaseStatus } from './entities/purchase-status';
import { toPurchaseOutput } from './purchase.mapper';
import { StripeAdapter } from './stripe.adapter';

/** Credit packs, orders through Stripe Checkout, and the team's list of orders. */
@Injectable()
export class PurchasesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly stripe: StripeAdapter,
  ) {}

  packs(): readonly CreditPack[] {
    return this.config.CREDIT_PACKS;
  }

  /** Whether packs can be bought here (Stripe's secret key is set): the one rule behind BILLING_NOT_CONFIGURED. */
  get configured(): boolean {
    return this.stripe.configured;
  }

  /**
   * A Checkout Session for one pack, recorded as a PENDING purchase. Credits arrive only with
   * Stripe's webhook (never from the success URL, which anyone can open).
   */
  async purchase(access: MemberAccess, packId: string): Promise<CheckoutSessionOutput> {
    if (!this.configured) throw billingNotConfigured();
    const pack = this.packs().find((p) => p.id === packId);
    if (!pack) throw unknownPack();
    const purchaseId = randomUUID();
    // The team goes with the return (?team=): the dashboard's selected team is only a preference, often not remembered.
    const returnTo = (outcome: 'success' | 'cancel') =>
      `${this.config.PUBLIC_URL}/billing?checkout=${outcome}&team=${encodeURIComponent(access.teamId)}`;
    const session = await this.stripe.createCheckoutSession({
      teamId: access.teamId,
      packId: pack.id,
      packName: pack.name,
      credits: pack.credits,
      amount: pack.amount,
      currency: pack.currency,
      successUrl: returnTo('success'),
      cancelUrl: returnTo('cancel'),
      idempotencyKey: `cutout-purchase-${purchaseId}`,
    });
    await this.dataSource.getRepository(PurchaseEntity).insert({
      id: purchaseId,
      teamId: access.teamId,
      createdByUserId: access.userId,
      packId: pack.id,
      creditsQuarters: creditsToQuarters(pack.credits),
      amount: pack.amount,
      currency: pack.currency,
      status: PurchaseStatus.PENDING,
      checkoutSessionId: session.id,
      paymentIntentId: null,
      receiptUrl: null,
    });
    return session;
  }

  /**
   * The team's purchases, newest first (created_at DESC, id DESC; idx_purchases_team_created). A receipt shows the
   * payer (name, email, card): only its buyer, owners and admins see its link; other members get null.
   */
  async list(access: TeamAccess, page: PageArgs) {
    const query = this.dataSource
      .getRepository(PurchaseEntity)
      .createQueryBuilder('p')
      .where('p.team_id = :teamId', { teamId: access.teamId });
    const seesReceipts = access.role === TeamRole.OWNER || access.role === TeamRole.ADMIN;
    const output = (p: PurchaseEntity) => {
      const shown = toPurchaseOutput(p);
      return seesReceipts || (access.userId !== null && p.createdByUserId === access.userId) ? shown : { ...shown, receiptUrl: null };
    };
    return keysetPage(query, page, { createdAt: 'p.created_at', id: 'p.id' }, (p) => p, output, 'DESC');
  }
}
