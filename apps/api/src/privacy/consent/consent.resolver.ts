import { Injectable } from '@nestjs/common';
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { forbidden } from '../../common/errors/app-error';
import { PageArgs } from '../../common/pagination/connection.types';
import type { RequestContext } from '../../common/request-context/principal';
import { ConsentConnection, ConsentOutput } from './dto/consent.output';
import { RecordConsentInput } from './dto/record-consent.input';
import { ConsentService, type ConsentHolder } from './consent.service';

/** Cookie consent is a browser's choice: a signed-in user's or an anonymous visitor's, never an API key's. */
function holderOf(ctx: RequestContext): ConsentHolder {
  if (ctx.principal?.kind === 'apiKey') throw forbidden('Cookie consent belongs to a person in a browser, not to an API key.');
  return ctx.principal ? { kind: 'user', userId: ctx.principal.userId } : { kind: 'visitor', visitorId: ctx.visitorId };
}

@Injectable()
@Resolver()
export class ConsentResolver {
  constructor(private readonly consents: ConsentService) {}

  @Mutation(() => ConsentOutput, {
    description:
      'Records a cookie choice of the signed-in user or of an anonymous visitor (who gets the strictly necessary `cutout_visitor` cookie when they have none). `policyVersion` must be the current cookie policy.',
  })
  async recordConsent(@Arg('input') input: RecordConsentInput, @Ctx() ctx: RequestContext): Promise<ConsentOutput> {
    const holder = holderOf(ctx);
    if (holder.kind === 'visitor' && !holder.visitorId && !ctx.cookies) throw forbidden('Record a visitor’s consent over HTTP.');
    const { consent, newVisitorId } = await this.consents.record(holder, { ...input, ip: ctx.ip });
    if (newVisitorId) ctx.cookies?.setVisitor(newVisitorId);
    return consent;
  }

  @Query(() => ConsentOutput, {
    nullable: true,
    description: 'The caller’s current cookie choice (user or visitor), or null when none was made.',
  })
  consent(@Ctx() ctx: RequestContext): Promise<ConsentOutput | null> {
    return this.consents.current(holderOf(ctx));
  }

  @Query(() => ConsentConnection, { description: 'The caller’s own cookie choices, oldest first (newest first with `newestFirst`).' })
  consentHistory(
    @Args() args: PageArgs,
    @Arg('newestFirst', () => Boolean, {
      defaultValue: false,
      description: 'Newest first: the first page then starts with the current choice, however long the history.',
    })
    newestFirst: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<InstanceType<typeof ConsentConnection>> {
    return this.consents.history(holderOf(ctx), args, newestFirst ? 'DESC' : 'ASC');
  }
}
