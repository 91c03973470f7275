import type { EntityManager } from 'typeorm';

/** What another domain does, in the caller's transaction, when `E` happens. */
export type TransactionHook<E> = (event: E, manager: EntityManager) => Promise<void>;

/**
 * Hooks a domain runs inside one of its transactions, registered by the domains that depend on it at
 * module init (so it never imports them), run in registration order. Each event gets its own
 * injectable subclass (MembershipEndedHooks, PasswordResetHooks).
 */
export class TransactionHooks<E> {
  private readonly hooks: TransactionHook<E>[] = [];

  register(hook: TransactionHook<E>): void {
    this.hooks.push(hook);
  }

  async run(event: E, manager: EntityManager): Promise<void> {
    for (const hook of this.hooks) await hook(event, manager);
  }
}
