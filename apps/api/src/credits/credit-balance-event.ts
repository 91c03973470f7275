/** pg_notify channel of balance changes (payload: CreditBalanceEvent as JSON). */
export const CREDIT_BALANCE_CHANNEL = 'cutout_credit_balance';

/** A team's balance right after a change, in quarter-credits. */
export interface CreditBalanceEvent {
  teamId: string;
  availableQuarters: number;
  debtQuarters: number;
  /** Changes applied to the team so far: a later event has a higher version. */
  version: number;
}
