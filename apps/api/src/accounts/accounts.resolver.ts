import { Injectable } from '@nestjs/common';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../common/request-context/principal';
import { requirePrincipal, requireUser } from '../common/request-context/require-principal';
import { forbidden } from '../common/errors/app-error';
import { AcceptPolicyInput } from '../privacy/policies/dto/accept-policy.input';
import { PolicyAcceptancesService } from '../privacy/policies/policy-acceptances.service';
import { AccountsService } from './accounts.service';
import {
  RequestPasswordResetInput,
  ResendVerificationInput,
  ResetPasswordInput,
  SignInInput,
  SignOutInput,
  SignUpInput,
  VerifyEmailInput,
} from './dto/account.inputs';
import { UserOutput } from './dto/user.output';
import { SessionsService } from './sessions.service';

@Injectable()
@Resolver(() => UserOutput)
export class AccountsResolver {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
    private readonly policyAcceptances: PolicyAcceptancesService,
  ) {}

  @Query(() => UserOutput, { description: 'The signed-in user, or the user who created the calling API key.' })
  async me(@Ctx() ctx: RequestContext): Promise<UserOutput> {
    const principal = requirePrincipal(ctx);
    if (!principal.userId) throw forbidden('This API key has no owner any more.');
    return this.accounts.findUserOrThrow(principal.userId);
  }

  @Mutation(() => UserOutput, {
    description:
      'Creates an account and mails a verification link. The answer is the same whether or not the email already has an account.',
  })
  signUp(@Arg('input') input: SignUpInput, @Ctx() ctx: RequestContext): Promise<UserOutput> {
    return this.accounts.signUp(input.email, input.password, ctx.ip, input.acceptedPolicyVersion, input.next);
  }

  @FieldResolver(() => Boolean, { description: 'True while the user has not accepted the current privacy policy (acceptPolicy).' })
  async mustAcceptPolicy(@Root() user: UserOutput): Promise<boolean> {
    return user.mustAcceptPolicy ?? this.policyAcceptances.mustAccept(user.id);
  }

  @Mutation(() => UserOutput, {
    description: 'Accepts the current privacy policy (any other version is BAD_USER_INPUT); accepting again changes nothing.',
  })
  async acceptPolicy(@Arg('input') input: AcceptPolicyInput, @Ctx() ctx: RequestContext): Promise<UserOutput> {
    const { userId } = requireUser(ctx);
    await this.policyAcceptances.accept(userId, input.version, 'ACCEPT_POLICY');
    return this.accounts.findUserOrThrow(userId);
  }

  @Mutation(() => UserOutput, {
    description:
      'Confirms the email address with the mailed token and the password the account was created with (UNAUTHENTICATED when wrong: the link stays usable), and over HTTP signs in (sets the session cookie).',
  })
  async verifyEmail(@Arg('input') input: VerifyEmailInput, @Ctx() ctx: RequestContext): Promise<UserOutput> {
    const { user, session } = await this.accounts.verifyEmail(input.token, input.password, ctx.ip, {
      startSession: !!ctx.cookies,
      visitorId: ctx.visitorId,
    });
    if (session) ctx.cookies?.setSession(session.token, session.expiresAt);
    return user;
  }

  @Mutation(() => Boolean, {
    description:
      'Mails a new verification link if the address has an unverified account (a set-password link if that account has no password: a second sign-up withdrew it). Always true.',
  })
  resendVerification(@Arg('input') input: ResendVerificationInput, @Ctx() ctx: RequestContext): Promise<boolean> {
    return this.accounts.resendVerification(input.email, ctx.ip, input.next);
  }

  @Mutation(() => UserOutput, { description: 'Signs in and sets the HttpOnly session cookie.' })
  async signIn(@Arg('input') input: SignInInput, @Ctx() ctx: RequestContext): Promise<UserOutput> {
    if (!ctx.cookies) throw forbidden('Sign in over HTTP, not over a WebSocket.');
    const { user, session } = await this.accounts.signIn(input.email, input.password, ctx.ip, ctx.visitorId);
    ctx.cookies.setSession(session.token, session.expiresAt);
    return user;
  }

  @Mutation(() => Boolean, {
    description: 'Ends the current session (revoked on the server) and clears the cookie; `everywhere` ends all of the user’s sessions.',
  })
  async signOut(@Arg('input', () => SignOutInput, { defaultValue: {} }) input: SignOutInput, @Ctx() ctx: RequestContext): Promise<boolean> {
    if (ctx.principal?.kind === 'user') {
      if (input.everywhere) await this.sessions.revokeAllForUser(ctx.principal.userId);
      else await this.sessions.revoke(ctx.principal.sessionId);
    }
    ctx.cookies?.clearSession();
    return true;
  }

  @Mutation(() => Boolean, { description: 'Mails a reset link if the address has an account. Always true.' })
  requestPasswordReset(@Arg('input') input: RequestPasswordResetInput, @Ctx() ctx: RequestContext): Promise<boolean> {
    return this.accounts.requestPasswordReset(input.email, ctx.ip);
  }

  @Mutation(() => UserOutput, {
    description:
      'Sets a new password with a mailed token (this verifies the email), signs out every session and revokes every API key the user made.',
  })
  resetPassword(@Arg('input') input: ResetPasswordInput): Promise<UserOutput> {
    return this.accounts.resetPassword(input.token, input.password);
  }
}
