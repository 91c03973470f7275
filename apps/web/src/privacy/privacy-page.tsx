import { useEffect, useState, type FormEvent } from 'react';
import { OPTIONAL_CATEGORIES, recordConsent } from '../consent/consent-banner';
import { execute } from '../graphql/client';
import { ApiError } from '../graphql/errors';
import type { ConsentCategory, DataRequestStatus } from '../graphql/generated/graphql';
import { useQuery } from '../graphql/hooks';
import { Link, navigate } from '../router';
import { useSession } from '../session/session';
import { Alert, ErrorAlert, ProgressBar } from '../ui/alert';
import { CurrentPasswordField, TextField } from '../ui/form';
import { startDownload } from '../ui/download-link';
import { TableWrap } from '../ui/table-wrap';
import { useAction } from '../team/use-action';
import {
  CancelAccountDeletionDocument,
  ConsentSettingsDocument,
  MyDataRequestsDocument,
  RequestAccountDeletionDocument,
  RequestDataExportDocument,
  RetentionPolicyDocument,
  UpdateRetentionPolicyDocument,
} from './privacy-documents';
import { describeDuration, RETENTION_FIELDS, validateRetention, type RetentionDraft } from './retention';

const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

const CATEGORY_LABEL: Record<ConsentCategory, string> = {
  STRICTLY_NECESSARY: 'Strictly necessary',
  PERFORMANCE: 'Performance',
  FUNCTIONALITY: 'Functionality',
  MARKETING: 'Marketing',
};

const STATUS_LABEL: Record<DataRequestStatus, string> = {
  PENDING: 'Waiting for review',
  APPROVED: 'Queued',
  EXECUTING: 'In progress',
  COMPLETED: 'Ready',
  FAILED: 'Failed',
  REJECTED: 'Rejected',
  CANCELED: 'Canceled',
};

const OPEN: readonly DataRequestStatus[] = ['PENDING', 'APPROVED', 'EXECUTING'];

function Retention() {
  const { team } = useSession();
  const teamId = team?.id ?? '';
  const query = useQuery(RetentionPolicyDocument, { teamId }, { skip: !team });
  const policy = query.data?.retentionPolicy.teamId === teamId ? query.data.retentionPolicy : undefined;
  const [draft, setDraft] = useState<RetentionDraft>();
  const [showErrors, setShowErrors] = useState(false);
  const action = useAction();
  useEffect(() => {
    if (policy)
      setDraft({
        uploadsHours: String(policy.uploadsHours),
        resultsHours: String(policy.resultsHours),
        jobRecordsDays: String(policy.jobRecordsDays),
      });
  }, [policy]);
  const canEdit = team?.viewerRole === 'OWNER' || team?.viewerRole === 'ADMIN';
  const checked = policy && draft ? validateRetention(draft, policy.minimums, policy.maximums) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    const values = checked?.values;
    if (!values) return;
    void action.run(async () => {
      await execute(UpdateRetentionPolicyDocument, { input: { teamId, ...values } });
      await query.refetch();
      setShowErrors(false);
      return 'The retention policy is saved.';
    });
  };
  return (
    <section className="card stack" aria-labelledby="retention-title">
      <h2 id="retention-title">Retention for {team?.name}</h2>
      <p className="muted">
        How long this team’s images and job records are kept before they are deleted for good.
        {policy && (policy.isDefault ? ' The defaults apply.' : policy.updatedAt ? ` Last changed ${dateTime(policy.updatedAt)}.` : '')}
      </p>
      <ErrorAlert error={query.error} />
      {policy && draft && canEdit && (
        <form className="stack" onSubmit={submit} noValidate>
          {RETENTION_FIELDS.map(({ key, label, unit }) => (
            <TextField
              key={key}
              label={`${label}, in ${unit}`}
              type="text"
              inputMode="numeric"
              value={draft[key]}
              onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
              hint={`${policy.minimums[key]}–${policy.maximums[key]} ${unit}; default ${describeDuration(policy.defaults[key], unit)}.`}
              error={showErrors ? checked?.errors[key] : undefined}
            />
          ))}
          <ErrorAlert error={action.error} />
          {action.done && <Alert kind="success">{action.done}</Alert>}
          <div>
            <button type="submit" className="button primary" disabled={action.busy}>
              Save retention
            </button>
          </div>
        </form>
      )}
      {policy && !canEdit && (
        <>
          <dl className="stack">
            {RETENTION_FIELDS.map(({ key, label, unit }) => (
              <div key={key}>
                <dt>
                  <strong>{label}</strong>
                </dt>
                <dd>{describeDuration(policy[key], unit)}</dd>
              </div>
            ))}
          </dl>
          <p className="small muted">Only owners and admins can change the retention policy.</p>
        </>
      )}
    </section>
  );
}

export function ConsentSettings() {
  const query = useQuery(ConsentSettingsDocument, {});
  const [chosen, setChosen] = useState<Set<ConsentCategory>>();
  const action = useAction();
  const current = query.data?.consent;
  useEffect(() => {
    if (!query.data) return;
    // Ticked only when the newest choice was made against the cookie policy in force: saving records
    // the boxes against that version, and a choice made under an older text is no consent to this one.
    const { consent, policy } = query.data;
    setChosen(new Set(consent && consent.policyVersion === policy.version ? consent.categories : []));
  }, [query.data]);
  // Newest first from the API (newestFirst): the current choice is on the first page however long the history.
  const history = query.data?.consentHistory.edges.map((e) => e.node) ?? [];
  const save = (event: FormEvent) => {
    event.preventDefault();
    const data = query.data;
    if (!data || !chosen) return;
    void action.run(async () => {
      const categories = OPTIONAL_CATEGORIES.map((c) => c.id).filter((id) => chosen.has(id));
      await recordConsent({ categories, policyVersion: data.policy.version, source: 'SETTINGS' });
      await query.refetch();
      return 'Your cookie choice is saved.';
    });
  };
  return (
    <section className="card stack" aria-labelledby="consent-title">
      <h2 id="consent-title">Cookies</h2>
      <p className="muted">
        Strictly necessary cookies sign you in and remember this choice. <Link href="/policies/cookies">Read the cookie policy</Link>.
      </p>
      <ErrorAlert error={query.error} />
      {chosen && (
        <form className="stack" onSubmit={save}>
          <fieldset className="stack">
            <legend>Cookie categories</legend>
            <label className="check">
              <input type="checkbox" checked disabled />
              <span>
                <strong>Strictly necessary</strong> (always on)
              </span>
            </label>
            {OPTIONAL_CATEGORIES.map((category) => (
              <label className="check" key={category.id}>
                <input
                  type="checkbox"
                  checked={chosen.has(category.id)}
                  onChange={(event) => {
                    const next = new Set(chosen);
                    if (event.target.checked) next.add(category.id);
                    else next.delete(category.id);
                    setChosen(next);
                  }}
                />
                <span>
                  <strong>{category.label}</strong>: {category.hint}
                </span>
              </label>
            ))}
          </fieldset>
          <ErrorAlert error={action.error} />
          {action.done && <Alert kind="success">{action.done}</Alert>}
          <div>
            <button type="submit" className="button primary" disabled={action.busy}>
              Save cookie choice
            </button>
          </div>
        </form>
      )}
      {current && (
        <p className="small muted">
          Current choice recorded {dateTime(current.recordedAt)} against cookie policy version {current.policyVersion}.
        </p>
      )}
      <h3>Consent history</h3>
      {history.length === 0 ? (
        <p className="muted">No choice recorded yet.</p>
      ) : (
        <TableWrap>
          <table>
            <caption className="visually-hidden">Consent history, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Categories</th>
                <th scope="col">Where</th>
                <th scope="col">Policy</th>
              </tr>
            </thead>
            <tbody>
              {history.map((entry) => (
                <tr key={entry.id}>
                  <td>{dateTime(entry.recordedAt)}</td>
                  <td>{entry.categories.map((c) => CATEGORY_LABEL[c]).join(', ')}</td>
                  <td>{entry.source === 'SETTINGS' ? 'Settings' : 'Banner'}</td>
                  <td>{entry.policyVersion}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

export function DataRequests() {
  const query = useQuery(MyDataRequestsDocument, {});
  const action = useAction();
  const requests = query.data?.myDataRequests.edges.map((e) => e.node) ?? [];
  const exports = requests.filter((r) => r.kind === 'EXPORT');
  const openExport = exports.some((r) => OPEN.includes(r.status));
  const { refetch } = query;
  // While an export is being prepared, look again every few seconds.
  useEffect(() => {
    if (!openExport) return undefined;
    const timer = window.setInterval(() => void refetch(), 3000);
    return () => window.clearInterval(timer);
  }, [openExport, refetch]);
  return (
    <section className="card stack" aria-labelledby="export-title">
      <h2 id="export-title">Download my data</h2>
      <p className="muted">
        A ZIP archive of everything we hold about you: your account, teams, jobs and their images, consents and audit entries. The link
        works only for you and the archive is deleted after a while.
      </p>
      <ErrorAlert error={query.error ?? action.error} />
      <div>
        <button
          type="button"
          className="button primary"
          disabled={action.busy || openExport}
          onClick={() =>
            void action.run(async () => {
              await execute(RequestDataExportDocument);
              await refetch();
            })
          }
        >
          Request my data
        </button>
        {openExport && <span className="small muted"> An export is being prepared.</span>}
      </div>
      {exports.length > 0 && (
        <ul className="stack" aria-label="My data exports" style={{ listStyle: 'none', padding: 0 }}>
          {exports.map((r) => (
            <li key={r.id} className="stack">
              <div className="row">
                <span>
                  Requested {dateTime(r.createdAt)}: <strong>{STATUS_LABEL[r.status]}</strong>
                </span>
                {r.downloadUrl && (
                  <a
                    className="button"
                    href={r.downloadUrl}
                    download
                    onClick={(event) => {
                      // The shown link is signed for DOWNLOAD_URL_TTL_SECONDS (1 h): a fresh one is asked for at the click.
                      event.preventDefault();
                      void action.run(async () => {
                        const fresh = await execute(MyDataRequestsDocument, {});
                        const url = fresh.myDataRequests.edges.find((e) => e.node.id === r.id)?.node.downloadUrl;
                        if (url) startDownload(url);
                        await refetch();
                      });
                    }}
                  >
                    Download the archive<span className="visually-hidden"> of {dateTime(r.createdAt)}</span>
                  </a>
                )}
              </div>
              {r.status === 'EXECUTING' && <ProgressBar value={r.progress} label="Export progress" />}
              {r.status === 'COMPLETED' && !r.downloadUrl && (
                <span className="small muted">The archive has expired; request a new one.</span>
              )}
              {r.status === 'COMPLETED' && r.downloadUrl && r.exportExpiresAt && (
                <span className="small muted">Available until {dateTime(r.exportExpiresAt)}.</span>
              )}
              {r.status === 'FAILED' && <span className="small muted">It could not be prepared. Request a new one.</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Deleting my account: the form, a deletion waiting (cancelable) or running, and the last one that did not happen. */
export function DeleteAccount() {
  const session = useSession();
  const query = useQuery(MyDataRequestsDocument, {});
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const cancel = useAction();
  // The person's deletions, newest first: one waiting (cancelable), one running now, or the last one that did not happen.
  const deletions = query.data?.myDataRequests.edges.map((e) => e.node).filter((r) => r.kind === 'DELETION') ?? [];
  const pending = deletions.find((r) => r.status === 'PENDING' || r.status === 'APPROVED');
  const running = deletions.find((r) => r.status === 'EXECUTING');
  const ended = deletions[0]?.status === 'FAILED' || deletions[0]?.status === 'REJECTED' ? deletions[0] : undefined;
  const lastOwnerTeams =
    error instanceof ApiError && error.code === 'CONFLICT' && error.extensions.reason === 'LAST_OWNER'
      ? ((error.extensions.teamIds as string[] | undefined) ?? []).map((id) => session.teams.find((t) => t.id === id)?.name ?? id)
      : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!window.confirm('Delete your account and everything we hold about you? This cannot be undone once it runs.')) return;
    setBusy(true);
    setError(undefined);
    try {
      const { requestAccountDeletion } = await execute(RequestAccountDeletionDocument, { input: { password } });
      setPassword('');
      const after = requestAccountDeletion.executeAfter ? Date.parse(requestAccountDeletion.executeAfter) : 0;
      if (after > Date.now()) {
        await query.refetch();
      } else {
        session.clear();
        navigate('/sign-in', { replace: true });
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete my account</h2>
      <p className="muted">
        This erases your account, your personal team with its jobs and images (anyone you invited to it loses access), and your memberships.
        Teams you share keep their data. If you are the last owner of a team with other members, transfer ownership (in{' '}
        <Link href="/team">Team</Link>) or make another member an owner first.
      </p>
      <ErrorAlert error={query.error ?? cancel.error} />
      {!pending && !running && ended && (
        <Alert kind="warning">
          {ended.status === 'REJECTED'
            ? `Your deletion request of ${dateTime(ended.createdAt)} was declined${ended.rejectionReason ? `: ${ended.rejectionReason}` : '.'}`
            : ended.errorCode === 'LAST_OWNER'
              ? `Your account could not be deleted (asked ${dateTime(ended.createdAt)}): you are the last owner of a team with other members. Hand it over in Team, then ask again.`
              : `Your account could not be deleted (asked ${dateTime(ended.createdAt)}) because of an error on our side. Your account stays; you can ask again.`}
        </Alert>
      )}
      {running ? (
        <Alert kind="warning">Your account is being deleted now. This cannot be canceled any more.</Alert>
      ) : pending ? (
        <>
          <Alert kind="warning">
            Your account will be deleted
            {pending.executeAfter ? ` after ${dateTime(pending.executeAfter)}` : ' soon'}. You can cancel until then.
          </Alert>
          <div>
            <button
              type="button"
              className="button"
              disabled={cancel.busy}
              onClick={() =>
                void cancel.run(async () => {
                  await execute(CancelAccountDeletionDocument, { input: { id: pending.id } });
                  await query.refetch();
                  return 'The deletion is canceled: your account stays.';
                })
              }
            >
              Cancel the deletion
            </button>
          </div>
        </>
      ) : (
        <form className="stack" onSubmit={(e) => void submit(e)}>
          <CurrentPasswordField label="Your password, to confirm" value={password} onValue={setPassword} />
          {lastOwnerTeams ? (
            <div className="alert error" role="alert">
              You are the last owner of {lastOwnerTeams.length === 1 ? 'a team' : 'teams'} with other members:{' '}
              <strong>{lastOwnerTeams.join(', ')}</strong>. Transfer ownership in <Link href="/team">Team</Link> or make another member an
              owner, then try again.
            </div>
          ) : (
            <ErrorAlert error={error} />
          )}
          <div>
            <button type="submit" className="button danger" disabled={busy}>
              Delete my account
            </button>
          </div>
        </form>
      )}
      {cancel.done && <Alert kind="success">{cancel.done}</Alert>}
    </section>
  );
}

/** Privacy: the team's retention, cookie consent and its history, my data export, deleting my account. */
export function PrivacyPage() {
  return (
    <div className="stack">
      <h1>Privacy</h1>
      <Retention />
      <ConsentSettings />
      <DataRequests />
      <DeleteAccount />
    </div>
  );
}
