import { useState, type FormEvent } from 'react';
import { execute } from '../graphql/client';
import { useQuery } from '../graphql/hooks';
import { RequestKeys } from '../graphql/idempotency-key';
import { formatCredits } from '../format';
import { useAction } from '../team/use-action';
import { Alert, ErrorAlert } from '../ui/alert';
import { TextField } from '../ui/form';
import { TableWrap } from '../ui/table-wrap';
import { AdjustCreditsDocument, LedgerHealthDocument } from './admin-documents';
import { checkAdjustment } from './admin-state';

/** The console's Credits section: ledger health (teams whose balance is not their ledger sum) and manual adjustments. */
export function CreditsAdmin() {
  const health = useQuery(LedgerHealthDocument, {});
  const [teamId, setTeamId] = useState('');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [showErrors, setShowErrors] = useState(false);
  const action = useAction();
  // One key per intended adjustment: a double submit or a retry of the same values (after an error, or an answer
  // lost on the way) is the same request, applied once by the API; other values, or the next one after a success, a new key.
  const [keys] = useState(() => new RequestKeys());
  const checked = checkAdjustment(amount, reason);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    const { amount: credits, reason: why } = checked;
    if (credits === undefined || why === undefined || !teamId.trim()) return;
    const input = { teamId: teamId.trim(), amount: credits, reason: why };
    const idempotencyKey = keys.keyFor(input);
    void action.run(async () => {
      const { adjustCredits } = await execute(AdjustCreditsDocument, { input: { ...input, idempotencyKey } });
      keys.succeeded(idempotencyKey);
      setAmount('');
      setReason('');
      setShowErrors(false);
      await health.refetch();
      const { available, debt } = adjustCredits.balance;
      return `Adjusted by ${formatCredits(credits)}: the team now has ${formatCredits(available)}${debt > 0 ? ` and owes ${formatCredits(debt)}` : ''}.`;
    });
  };
  const mismatches = health.data?.ledgerHealth;
  return (
    <section className="card stack" aria-labelledby="credits-admin-title">
      <h2 id="credits-admin-title">Credits</h2>
      <h3>Ledger health</h3>
      <ErrorAlert error={health.error} />
      {mismatches &&
        (mismatches.length === 0 ? (
          <Alert kind="success">Healthy: every team’s balance equals its ledger sum.</Alert>
        ) : (
          <TableWrap>
            <table>
              <caption>Teams whose balance differs from their ledger</caption>
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col">Balance</th>
                  <th scope="col">Ledger sum</th>
                </tr>
              </thead>
              <tbody>
                {mismatches.map((m) => (
                  <tr key={m.teamId}>
                    <td>
                      <code>{m.teamId}</code>
                    </td>
                    <td>{formatCredits(m.balance)}</td>
                    <td>{formatCredits(m.ledgerSum)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ))}
      <form className="stack" onSubmit={submit} noValidate aria-labelledby="adjust-title">
        <h3 id="adjust-title">Adjust a team’s credits</h3>
        <TextField
          type="text"
          label="Team id"
          required
          value={teamId}
          onChange={(e) => setTeamId(e.target.value)}
          error={showErrors && !teamId.trim() ? 'The team’s id.' : undefined}
        />
        <TextField
          type="text"
          inputMode="decimal"
          label="Credits to add (negative to take back)"
          hint="A multiple of 0.25, at most 1,000,000 either way."
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={showErrors ? checked.errors.amount : undefined}
        />
        <TextField
          type="text"
          label="Reason for the adjustment"
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={showErrors ? checked.errors.reason : undefined}
        />
        <ErrorAlert error={action.error} />
        {action.done && <Alert kind="success">{action.done}</Alert>}
        <div>
          <button type="submit" className="button primary" disabled={action.busy}>
            Adjust credits
          </button>
        </div>
      </form>
    </section>
  );
}
