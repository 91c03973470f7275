import { Module } from '@nestjs/common';
import { CreditsModule } from '../credits/credits.module';
import { TeamsModule } from '../teams/teams.module';
import { BillingPersonalData } from './billing.personal-data';
import { BillingResolver } from './billing.resolver';
import { PurchasesService } from './purchases.service';
import { StripeAdapter } from './stripe.adapter';
import { PurchaseSettlementService } from './webhook/purchase-settlement.service';
import { StripeWebhookController } from './webhook/stripe-webhook.controller';
import { StripeWebhookService } from './webhook/stripe-webhook.service';

/** Credit packs, Stripe Checkout and Stripe's webhook; credits change only through CreditsService. */
@Module({
  imports: [TeamsModule, CreditsModule],
  controllers: [StripeWebhookController],
  providers: [StripeAdapter, PurchasesService, BillingResolver, PurchaseSettlementService, StripeWebhookService, BillingPersonalData],
})
export class BillingModule {}
