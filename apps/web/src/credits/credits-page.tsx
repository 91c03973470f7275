import { useCallback, useEffect, useState } from 'react';
import { formatCredits } from '../format';
import { execute } from '../graphql/client';
import { ApiError } from '../graphql/errors';
import type { CreditKind, PurchaseStatus } from '../graphql/generated/graphql';
import { usePollWhile, useQuery, useSubscription } from '../graphql/hooks';
import { formatDateTime } from '../history/history-state';
import { PricesDocument } from '../remove/remove-documents';
import { useLocation } from '../router';
import { useSession } from '../session/session';
import { BALANCE_POLL_MS, CreditBalanceChangedDocument, CreditBalanceDocument } from '../shell/shell';
import { Alert, ErrorAlert } from '../ui/alert';
import { LoadMore } from '../ui/load-more';
import { usePaged } from '../ui/paged';
import { TableWrap } from '../ui/table-wrap';
import { CreditLedgerDocument, CreditPacksDocument, PurchaseCreditsDocument, PurchasesDocument, UsageDocument } from './credits-documents';
import { formatMoney, formatSignedCredits, lastDays } from './money';
import { UsageChart } from './usage-chart';

const PAGE_SIZE = 20;
const USAGE_DAYS = 30;

const KIND_LABELS: Record<CreditKind, string> = {
  TRIAL_GRANT: 'Free trial credits',
  PURCHASE: 'Purchase',
  JOB_CHARGE: 'Job charged',
  JOB_REFUND: 'Job refunded',
  PAYMENT_REVERSAL: 'Payment reversed',
  PAYMENT_REINSTATEMENT: 'Dispute won: credits returned',
  ADMIN_ADJUSTMENT: 'Adjustment by Cutout',
};

const PURCHASE_LABELS: Record<PurchaseStatus, string> = {
  PENDING: 'Waiting for payment',
  PAID: 'Paid',
  FAILED: 'Failed',
  EXPIRED: 'Not completed: nothing charged',
  REFUNDED: 'Refunded',
  DISPUTED: 'Disputed',
  DISPUTE_WON: 'Dispute won',
};

function BuyCredits({ teamId, canBuy }: { teamId: string; canBuy: boolean }) {
  const packs = useQuery(CreditPacksDocument, {});
  // The server says whether billing is set up; BILLING_NOT_CONFIGURED after a click (a server restarted without Stripe) says it too.
  const [refused, setRefused] = useState(false);
  const notConfigured = refused || packs.data?.billingConfigured === false;
  const [buying, setBuying] = useState<string>();
  const [error, setError] = useState<unknown>();

  const buy = async (packId: string) => {
    setBuying(packId);
    setError(undefined);
    try {
      const { purchaseCredits } = await execute(PurchaseCreditsDocument, { input: { teamId, packId } });
      window.location.assign(purchaseCredits.url);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'BILLING_NOT_CONFIGURED') setRefused(true);
      else setError(e);
      setBuying(undefined);
    }
  };

  return (
    <section className="card stack" aria-labelledby="buy-heading">
      <h2 id="buy-heading">Buy credits</h2>
      {notConfigured && (
        <Alert kind="info">
          Buying credits is not set up on this server: no payment provider is configured. Ask the operator of this Cutout server to set up
          Stripe payments; meanwhile a Cutout administrator can still grant credits.
        </Alert>
      )}
      {!canBuy && !notConfigured && (
        <p className="muted">Only owners and admins of this team can buy credits. Ask one of them to top up.</p>
      )}
      <ErrorAlert error={packs.error ?? error} />
      {packs.data && (
        <ul className="pack-list">
          {packs.data.creditPacks.map((pack) => (
            <li key={pack.id} className="pack">
              <strong>{pack.name}</strong>
              <span>{formatCredits(pack.credits)}</span>
              <span className="muted">{formatMoney(pack.amount, pack.currency)}</span>
              {canBuy && packs.data?.billingConfigured && !refused && (
                <button
                  type="button"
                  className="button primary"
                  aria-disabled={buying !== undefined}
                  onClick={() => buying === undefined && void buy(pack.id)}
                >
                  {buying === pack.id ? 'Opening checkout…' : `Buy ${pack.name}`}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!notConfigured && (
        <p className="small muted">Payment happens on Stripe’s checkout page; the credits arrive as soon as Stripe confirms it.</p>
      )}
    </section>
  );
}

function Prices() {
  const { data, error } = useQuery(PricesDocument, {});
  return (
    <section className="card stack" aria-labelledby="prices-heading">
      <h2 id="prices-heading">Prices</h2>
      <ErrorAlert error={error} />
      {data && (
        <TableWrap label="Prices">
          <table>
            <thead>
              <tr>
                <th scope="col">Result size</th>
                <th scope="col">Cost per image</th>
                <th scope="col">High quality ({data.prices.highMultiplier}×)</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>Up to {data.prices.previewMaxMegapixels} megapixels (preview)</td>
                <td>{formatCredits(data.prices.preview)}</td>
                <td>{formatCredits(data.prices.preview * data.prices.highMultiplier)}</td>
              </tr>
              <tr>
                <td>Larger</td>
                <td>{formatCredits(data.prices.full)}</td>
                <td>{formatCredits(data.prices.full * data.prices.highMultiplier)}</td>
              </tr>
            </tbody>
          </table>
        </TableWrap>
      )}
      <p className="small muted">Failed and canceled jobs are refunded in full.</p>
    </section>
  );
}

/** Credits & billing: live balance and debt, prices, packs, purchases, the ledger and usage per day. */
export function CreditsPage() {
  const { team, teams, selectTeam } = useSession();
  const { search } = useLocation();
  const checkout = search.get('checkout');
  // Back from Stripe Checkout, ?team= names the team the order was for; the selected one may be another (it is
  // remembered across the trip only with Functionality consent). That team is selected once, if still the person's.
  const returnedTo = teams.find((t) => t.id === search.get('team'));
  const [arrivedAt, setArrivedAt] = useState<string>();
  useEffect(() => {
    if (!returnedTo || arrivedAt === returnedTo.id) return;
    setArrivedAt(returnedTo.id);
    selectTeam(returnedTo.id);
  }, [returnedTo, arrivedAt, selectTeam]);
  // Until then nothing is read, so the other team's figures are not asked for, nor shown.
  const arriving = !!returnedTo && arrivedAt !== returnedTo.id && team?.id !== returnedTo.id;
  const teamId = arriving ? null : (team?.id ?? null);
  const canBuy = team?.viewerRole === 'OWNER' || team?.viewerRole === 'ADMIN';

  const balanceQuery = useQuery(CreditBalanceDocument, { teamId: teamId ?? '' }, { skip: !teamId });
  const [live, setLive] = useState<{ teamId: string; available: number; debt: number }>();

  const [range] = useState(() => lastDays(USAGE_DAYS));
  const usage = useQuery(UsageDocument, { teamId: teamId ?? '', ...range }, { skip: !teamId });

  const loadPurchases = useCallback(
    async (after: string | null) => {
      const { purchases } = await execute(PurchasesDocument, { teamId: teamId ?? '', first: PAGE_SIZE, after });
      return { items: purchases.edges.map((e) => e.node), ...purchases.pageInfo };
    },
    [teamId],
  );
  const purchases = usePaged(teamId, loadPurchases);
  const loadLedger = useCallback(
    async (after: string | null) => {
      const { creditLedger } = await execute(CreditLedgerDocument, { teamId: teamId ?? '', first: PAGE_SIZE, after });
      return { items: creditLedger.edges.map((e) => e.node), ...creditLedger.pageInfo };
    },
    [teamId],
  );
  const ledger = usePaged(teamId, loadLedger);

  // A new ledger entry (newest first: on top); a purchase may have been paid or refunded.
  const refreshLists = () => {
    ledger.refresh();
    purchases.refresh();
    void usage.refetch();
  };
  const down = useSubscription(CreditBalanceChangedDocument, teamId ? { teamId } : null, ({ creditBalanceChanged }) => {
    if (!teamId) return;
    setLive({ teamId, ...creditBalanceChanged });
    refreshLists();
  });
  // The stream refused or failed: the balance and the lists are read every BALANCE_POLL_MS instead.
  usePollWhile(
    down && !!teamId,
    () => {
      void balanceQuery.refetch();
      refreshLists();
    },
    BALANCE_POLL_MS,
  );
  const balance = !down && live && live.teamId === teamId ? live : balanceQuery.data?.creditBalance;

  if (!team || arriving) return <p role="status">Loading…</p>;
  return (
    <div className="stack">
      <h1>Credits &amp; billing</h1>
      {checkout === 'success' && (
        <Alert kind="success">
          {returnedTo
            ? `Thank you: your payment for ${returnedTo.name} went through. Its credits arrive as soon as Stripe confirms it.`
            : 'Thank you: your payment went through. The credits arrive here as soon as Stripe confirms it.'}
        </Alert>
      )}
      {checkout === 'cancel' && (
        <Alert kind="info">
          {returnedTo
            ? `Checkout for ${returnedTo.name} was canceled; nothing was charged.`
            : 'Checkout was canceled; nothing was charged.'}
        </Alert>
      )}

      <section className="card stack" aria-labelledby="balance-heading">
        <h2 id="balance-heading">Balance of {team.name}</h2>
        <ErrorAlert error={balanceQuery.error} />
        {balance && (
          <dl className="balance-figures" aria-live="polite">
            <div>
              <dt>Available</dt>
              <dd>{formatCredits(balance.available)}</dd>
            </div>
            <div>
              <dt>Owed</dt>
              <dd className={balance.debt > 0 ? 'debt' : undefined}>{formatCredits(balance.debt)}</dd>
            </div>
          </dl>
        )}
        {balance && balance.debt > 0 && (
          <Alert kind="warning">
            This team owes credits (a payment was refunded or disputed after they were spent). New jobs are blocked until the debt is paid
            by buying credits.
          </Alert>
        )}
      </section>

      <BuyCredits teamId={team.id} canBuy={canBuy} />
      <Prices />

      <section className="card stack" aria-labelledby="usage-heading">
        <h2 id="usage-heading">Usage, last {USAGE_DAYS} days</h2>
        <ErrorAlert error={usage.error} />
        {usage.data && (
          <div className="usage-charts">
            <UsageChart title="Jobs per day" unit="jobs" points={usage.data.usage.map((d) => ({ day: d.day, value: d.jobs }))} />
            <UsageChart
              title="Credits spent per day"
              unit="credits"
              points={usage.data.usage.map((d) => ({ day: d.day, value: d.credits }))}
            />
          </div>
        )}
      </section>

      <section className="card stack" aria-labelledby="purchases-heading">
        <h2 id="purchases-heading">Purchases</h2>
        {purchases.items.length > 0 ? (
          <TableWrap label="Purchases">
            <table>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Pack</th>
                  <th scope="col">Credits</th>
                  <th scope="col">Price</th>
                  <th scope="col">Status</th>
                  <th scope="col">Receipt</th>
                </tr>
              </thead>
              <tbody>
                {purchases.items.map((p) => (
                  <tr key={p.id}>
                    <td>{formatDateTime(p.createdAt)}</td>
                    <td>{p.pack}</td>
                    <td>{formatCredits(p.credits)}</td>
                    <td>{formatMoney(p.amount, p.currency)}</td>
                    <td>{PURCHASE_LABELS[p.status]}</td>
                    <td>
                      {p.receiptUrl ? (
                        <a href={p.receiptUrl} target="_blank" rel="noreferrer">
                          Receipt<span className="visually-hidden"> of {formatDateTime(p.createdAt)}</span>
                        </a>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          !purchases.loading && !purchases.error && <p className="muted">No purchases yet.</p>
        )}
        <LoadMore
          hasNextPage={purchases.hasNextPage}
          loading={purchases.loading}
          error={purchases.error}
          loadMore={purchases.loadMore}
          label="purchases"
        />
      </section>

      <section className="card stack" aria-labelledby="ledger-heading">
        <h2 id="ledger-heading">Ledger</h2>
        <p className="small muted">Every change of the team’s credits, newest first.</p>
        {ledger.items.length > 0 ? (
          <TableWrap label="Ledger">
            <table aria-labelledby="ledger-heading">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">What</th>
                  <th scope="col">Credits</th>
                  <th scope="col">Reference</th>
                </tr>
              </thead>
              <tbody>
                {ledger.items.map((entry) => (
                  <tr key={entry.id}>
                    <td>{formatDateTime(entry.createdAt)}</td>
                    <td>
                      {KIND_LABELS[entry.kind]}
                      {entry.reason && <span className="small muted"> — {entry.reason}</span>}
                    </td>
                    <td className={entry.amount < 0 ? 'amount negative' : 'amount'}>{formatSignedCredits(entry.amount)}</td>
                    <td className="small muted reference">{entry.reference}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          !ledger.loading && !ledger.error && <p className="muted">No changes yet.</p>
        )}
        <LoadMore
          hasNextPage={ledger.hasNextPage}
          loading={ledger.loading}
          error={ledger.error}
          loadMore={ledger.loadMore}
          label="ledger entries"
        />
      </section>
    </div>
  );
}
