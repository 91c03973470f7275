import { Injectable } from '@nestjs/common';
import { TransactionHooks, type TransactionHook } from '../common/transaction-hooks';

/** A password reset that just completed: the mailbox owner of `userId` chose a new password. */
export interface CompletedPasswordReset {
  userId: string;
}

/** What another domain does, in the reset's transaction, when a password reset completes. */
export type PasswordResetHook = TransactionHook<CompletedPasswordReset>;

/**
 * Hooks run inside `resetPassword`, so every way into the account the old password could have opened ends
 * with it (sessions end in accounts itself; api-keys revokes the keys the user made). Domains that depend
 * on accounts register here at module init; accounts never imports them.
 */
@Injectable()
export class PasswordResetHooks extends TransactionHooks<CompletedPasswordReset> {}
