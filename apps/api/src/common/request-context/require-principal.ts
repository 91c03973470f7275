import { forbidden, unauthenticated } from '../errors/app-error';
import type { LiveAccess, Principal, RequestContext } from './principal';

export function requirePrincipal(ctx: RequestContext): Principal {
  if (!ctx.principal) throw unauthenticated();
  return ctx.principal;
}

/** Operations that only a person may do (not an API key). */
export function requireUser(ctx: RequestContext): Extract<Principal, { kind: 'user' }> {
  const principal = requirePrincipal(ctx);
  if (principal.kind !== 'user') throw forbidden('This operation needs a signed-in user, not an API key.');
  return principal;
}

/** Subscriptions: team access that is re-checked before every event (graphql-ws provides it). */
export function requireLiveAccess(ctx: RequestContext): LiveAccess {
  if (!ctx.live) throw new Error('subscriptions run over graphql-ws, which provides live access checks');
  return ctx.live;
}
