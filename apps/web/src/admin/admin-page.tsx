import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { execute } from '../graphql/client';
import type {
  AdminAuditLogQuery,
  AdminDataRequestsQuery,
  AdminLegalHoldsQuery,
  AuditAction,
  AuditLogFilter,
  DataRequestKind,
  DataRequestStatus,
  LegalHoldSubjectKind,
} from '../graphql/generated/graphql';
import { useQuery } from '../graphql/hooks';
import { useSession } from '../session/session';
import { useAction } from '../team/use-action';
import { Alert, ErrorAlert, ProgressBar } from '../ui/alert';
import { SelectField, TextField } from '../ui/form';
import { LoadMore } from '../ui/load-more';
import { usePaged } from '../ui/paged';
import { TableWrap } from '../ui/table-wrap';
import {
  ApproveDataRequestDocument,
  CreateDataRequestDocument,
  DataRequestDocument,
  DataRequestsDocument,
  LegalHoldsDocument,
  PlaceLegalHoldDocument,
  PlatformAuditLogDocument,
  RejectDataRequestDocument,
  ReleaseLegalHoldDocument,
} from './admin-documents';
import { AUDIT_ACTION_OPTIONS, auditFilter, NO_AUDIT_FILTER, shownHolds, type AuditDraft } from './admin-state';
import { CreditsAdmin } from './credits-admin';

const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export const DATA_REQUEST_STATUSES: readonly DataRequestStatus[] = [
  'PENDING',
  'APPROVED',
  'EXECUTING',
  'COMPLETED',
  'FAILED',
  'REJECTED',
  'CANCELED',
];
/** Statuses in which the request still moves on its own (the detail view refreshes itself). */
const MOVING: readonly DataRequestStatus[] = ['APPROVED', 'EXECUTING'];
const PAGE = 20;

type RequestNode = AdminDataRequestsQuery['dataRequests']['edges'][number]['node'];
type HoldNode = AdminLegalHoldsQuery['legalHolds']['edges'][number]['node'];
type AuditNode = AdminAuditLogQuery['platformAuditLog']['edges'][number]['node'];

function StatusBadge({ status }: { status: string }) {
  return <span className={`status-badge status-${status.toLowerCase()}`}>{status}</span>;
}

function CreateDataRequest({ onCreated }: { onCreated: (id: string) => void }) {
  const [email, setEmail] = useState('');
  const [kind, setKind] = useState<DataRequestKind>('EXPORT');
  const [note, setNote] = useState('');
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const { createDataRequest } = await execute(CreateDataRequestDocument, {
        input: { email: email.trim(), kind, note: note.trim() || undefined },
      });
      setEmail('');
      setNote('');
      onCreated(createDataRequest.id);
      return 'The request is open and waits for review.';
    });
  };
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="create-request-title">
      <h3 id="create-request-title">Open a request for someone who wrote in</h3>
      <TextField label="Their email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <SelectField<DataRequestKind>
        label="Kind"
        value={kind}
        options={[
          { value: 'EXPORT', label: 'Export (an archive of their data)' },
          { value: 'DELETION', label: 'Deletion (erase their data)' },
        ]}
        onChange={(v) => v && setKind(v)}
      />
      <TextField type="text" label="How they asked (optional)" maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      <ErrorAlert error={action.error} />
      {action.done && <Alert kind="success">{action.done}</Alert>}
      <div>
        <button type="submit" className="button primary" disabled={action.busy || !email.trim()}>
          Open request
        </button>
      </div>
    </form>
  );
}

function DataRequestDetail({ id, onChanged, onClose }: { id: string; onChanged: () => void; onClose: () => void }) {
  const query = useQuery(DataRequestDocument, { id });
  const request = query.data?.dataRequest.id === id ? query.data.dataRequest : undefined;
  const [reason, setReason] = useState('');
  const [showReasonError, setShowReasonError] = useState(false);
  const action = useAction();
  // The statuses in which the last action's message still holds ("queued for execution" is stale once it ran).
  const [doneWhile, setDoneWhile] = useState<readonly DataRequestStatus[]>([]);
  const { refetch } = query;
  const moving = request ? MOVING.includes(request.status) : false;
  useEffect(() => {
    if (!moving) return undefined;
    const timer = setInterval(() => void refetch(), 1000);
    return () => clearInterval(timer);
  }, [moving, refetch]);
  // The list follows the detail's status when it changes, not on the first read: reloading it then took a list
  // read past its first page back to that page, and the row just opened went out of sight.
  const changed = useRef(onChanged);
  changed.current = onChanged;
  const status = request?.status;
  const shownStatus = useRef<DataRequestStatus | undefined>(undefined);
  useEffect(() => {
    if (status && shownStatus.current && status !== shownStatus.current) changed.current();
    if (status) shownStatus.current = status;
  }, [status]);
  // Opened from the table below it: focus moves to it, so a keyboard or screen-reader user is taken there.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const approve = () =>
    void action.run(async () => {
      await execute(ApproveDataRequestDocument, { input: { id } });
      setDoneWhile(['APPROVED']);
      await refetch();
      return 'Approved: the request is queued for execution.';
    });
  const reject = (event: FormEvent) => {
    event.preventDefault();
    setShowReasonError(true);
    if (!reason.trim()) return;
    const closing = request?.status === 'FAILED';
    void action.run(async () => {
      await execute(RejectDataRequestDocument, { input: { id, reason: reason.trim() } });
      setReason('');
      setShowReasonError(false);
      setDoneWhile(['REJECTED']);
      await refetch();
      return closing ? 'Closed.' : 'Rejected.';
    });
  };
  return (
    <section className="card stack" aria-labelledby="request-detail-title">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h3 id="request-detail-title" ref={heading} tabIndex={-1}>
          Request {id}
        </h3>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorAlert error={query.error} />
      {!request && !query.error && <p role="status">Loading…</p>}
      {request && (
        <>
          <dl className="stack">
            <div>
              <dt>
                <strong>Kind</strong>
              </dt>
              <dd>{request.kind}</dd>
            </div>
            <div>
              <dt>
                <strong>Status</strong>
              </dt>
              <dd aria-live="polite">
                <StatusBadge status={request.status} />
                {request.overdue && <strong className="overdue"> Overdue</strong>}
              </dd>
            </div>
            <div>
              <dt>
                <strong>Opened</strong>
              </dt>
              <dd>
                {dateTime(request.createdAt)} ({request.origin === 'ADMIN' ? 'by an admin' : 'by the person'}); due{' '}
                {dateTime(request.dueAt)}
              </dd>
            </div>
            {request.subjectUserId && (
              <div>
                <dt>
                  <strong>Subject user id</strong>
                </dt>
                <dd>
                  <code>{request.subjectUserId}</code>
                </dd>
              </div>
            )}
            {request.note && (
              <div>
                <dt>
                  <strong>How they asked</strong>
                </dt>
                <dd>{request.note}</dd>
              </div>
            )}
            {request.executeAfter && (
              <div>
                <dt>
                  <strong>Not before</strong>
                </dt>
                <dd>{dateTime(request.executeAfter)}</dd>
              </div>
            )}
          </dl>
          {request.waitingReason && (
            <Alert kind="warning">
              Waiting: {request.waitingReason.reason === 'LEGAL_HOLD' ? 'a legal hold' : request.waitingReason.reason}
              {request.waitingReason.reference && ` (reference ${request.waitingReason.reference})`}
              {request.waitingReason.holdId && `, hold ${request.waitingReason.holdId}`}.
            </Alert>
          )}
          {request.status === 'EXECUTING' && (
            <div className="stack">
              <ProgressBar value={request.progress} label="Execution progress" />
              {request.step && <p className="small muted">Step: {request.step}</p>}
            </div>
          )}
          {request.status === 'REJECTED' && <p>Rejected{request.rejectionReason && `: ${request.rejectionReason}`}</p>}
          {request.status === 'FAILED' && <ErrorAlert sentence={{ text: `Failed (${request.errorCode ?? 'unknown'}).` }} />}
          {request.receipt && (
            <TableWrap>
              <table>
                <caption>
                  Receipt: executed {dateTime(request.receipt.startedAt)} to {dateTime(request.receipt.completedAt)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Count</th>
                  </tr>
                </thead>
                <tbody>
                  {request.receipt.items.map((item) => (
                    <tr key={item.name}>
                      <td>
                        <code>{item.name}</code>
                      </td>
                      <td>{item.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          <ErrorAlert error={action.error} />
          {action.done && doneWhile.includes(request.status) && <Alert kind="success">{action.done}</Alert>}
          {(request.status === 'PENDING' || request.status === 'FAILED') && (
            <div className="stack">
              {request.status === 'FAILED' && (
                <p className="small muted">
                  Once the cause is dealt with, run it again: it keeps its due date. A request that will not run again (its subject is gone,
                  say) is closed with a reason instead.
                </p>
              )}
              <div>
                <button type="button" className="button primary" disabled={action.busy} onClick={approve}>
                  {request.status === 'FAILED' ? 'Approve again' : 'Approve'}
                </button>
              </div>
              <form className="stack" onSubmit={reject} noValidate>
                <TextField
                  type="text"
                  label={request.status === 'FAILED' ? 'Reason for closing' : 'Reason for rejecting'}
                  maxLength={500}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  error={showReasonError && !reason.trim() ? 'Give the reason: it is kept in the audit log.' : undefined}
                />
                <div>
                  <button type="submit" className="button danger" disabled={action.busy}>
                    {request.status === 'FAILED' ? 'Close the request' : 'Reject'}
                  </button>
                </div>
              </form>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function DataRequests() {
  const [status, setStatus] = useState<DataRequestStatus | ''>('');
  const [selected, setSelected] = useState<string>();
  // Read a page at a time: the pages read stay while the next one loads, and a failed one can be asked for again.
  const load = useCallback(
    async (after: string | null) => {
      const { dataRequests } = await execute(DataRequestsDocument, { status: status || undefined, first: PAGE, after });
      return { items: dataRequests.edges.map((e) => e.node), ...dataRequests.pageInfo };
    },
    [status],
  );
  const paged = usePaged<RequestNode>(status || 'all', load);
  const pages = paged.items;
  const reload = () => paged.refresh();
  return (
    <section className="card stack" aria-labelledby="requests-title">
      <h2 id="requests-title">Data requests</h2>
      <CreateDataRequest
        onCreated={(id) => {
          setSelected(id);
          reload();
        }}
      />
      <SelectField<DataRequestStatus | ''>
        label="Show status"
        value={status}
        options={[{ value: '', label: 'All statuses' }, ...DATA_REQUEST_STATUSES.map((s) => ({ value: s, label: s }))]}
        onChange={setStatus}
      />
      {selected && <DataRequestDetail key={selected} id={selected} onChanged={reload} onClose={() => setSelected(undefined)} />}
      {paged.loading && pages.length === 0 && <p role="status">Loading…</p>}
      {!paged.loading && !paged.error && pages.length === 0 ? (
        <p className="muted">No request{status ? ` in status ${status}` : ''}.</p>
      ) : (
        <TableWrap>
          <table>
            <caption className="visually-hidden">Data requests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Opened</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Due</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pages.map((r) => (
                <tr key={r.id} className={r.overdue ? 'overdue-row' : undefined}>
                  <td>{dateTime(r.createdAt)}</td>
                  <td>{r.kind}</td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>
                    {dateTime(r.dueAt)}
                    {r.overdue && <strong className="overdue"> Overdue</strong>}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button"
                      onClick={() => setSelected(r.id)}
                      aria-label={`Open ${r.kind} request of ${dateTime(r.createdAt)}`}
                    >
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <LoadMore
        hasNextPage={paged.hasNextPage}
        loading={paged.loading}
        loadMore={paged.loadMore}
        error={paged.error}
        whileLoading="disable"
      >
        Load more requests
      </LoadMore>
    </section>
  );
}

function ReleaseHold({ hold, onReleased }: { hold: HoldNode; onReleased: (released: HoldNode) => void }) {
  const [reason, setReason] = useState('');
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    void action.run(async () => {
      const { releaseLegalHold } = await execute(ReleaseLegalHoldDocument, { input: { id: hold.id, reason: reason.trim() } });
      onReleased(releaseLegalHold);
    });
  };
  return (
    <form className="row" onSubmit={submit}>
      <TextField
        type="text"
        label={`Reason to release hold ${hold.reference}`}
        required
        maxLength={500}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <button type="submit" className="button" disabled={action.busy || !reason.trim()}>
        Release
      </button>
      <ErrorAlert error={action.error} />
    </form>
  );
}

function LegalHolds() {
  const [activeOnly, setActiveOnly] = useState(true);
  const load = useCallback(
    async (after: string | null) => {
      const { legalHolds } = await execute(LegalHoldsDocument, { activeOnly, first: PAGE, after });
      return { items: legalHolds.edges.map((e) => e.node), ...legalHolds.pageInfo };
    },
    [activeOnly],
  );
  const paged = usePaged(activeOnly ? 'active' : 'all', load);
  // The list is oldest first: a hold placed here would only appear on its last page, so it is shown at once after the pages read.
  const [placed, setPlaced] = useState<HoldNode[]>([]);
  const [latest, setLatest] = useState<ReadonlyMap<string, HoldNode>>(new Map());
  const changed = (hold: HoldNode) => setLatest((current) => new Map(current).set(hold.id, hold));
  const [kind, setKind] = useState<LegalHoldSubjectKind>('USER');
  const [subjectId, setSubjectId] = useState('');
  const [reference, setReference] = useState('');
  const action = useAction();
  const holds = shownHolds(paged.items, placed, latest, activeOnly);
  const place = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const { placeLegalHold } = await execute(PlaceLegalHoldDocument, {
        input: { subject: { kind, id: subjectId.trim() }, reference: reference.trim() },
      });
      setSubjectId('');
      setReference('');
      setPlaced((current) => [...current, placeLegalHold]);
      return 'The hold is placed: deletion and retention pause for its subject.';
    });
  };
  return (
    <section className="card stack" aria-labelledby="holds-title">
      <h2 id="holds-title">Legal holds</h2>
      <form className="stack" onSubmit={place} aria-labelledby="place-hold-title">
        <h3 id="place-hold-title">Place a hold</h3>
        <SelectField<LegalHoldSubjectKind>
          label="On"
          value={kind}
          options={[
            { value: 'USER', label: 'A user (and their personal team)' },
            { value: 'TEAM', label: 'A team' },
          ]}
          onChange={(v) => v && setKind(v)}
        />
        <TextField
          type="text"
          label={kind === 'USER' ? 'User id' : 'Team id'}
          required
          value={subjectId}
          onChange={(e) => setSubjectId(e.target.value)}
        />
        <TextField
          type="text"
          label="Legal reference"
          hint="The case number or authority’s reference, up to 200 characters."
          required
          maxLength={200}
          value={reference}
          onChange={(e) => setReference(e.target.value)}
        />
        <ErrorAlert error={action.error} />
        {action.done && <Alert kind="success">{action.done}</Alert>}
        <div>
          <button type="submit" className="button primary" disabled={action.busy || !subjectId.trim() || !reference.trim()}>
            Place hold
          </button>
        </div>
      </form>
      <label className="check">
        <input type="checkbox" checked={!activeOnly} onChange={(e) => setActiveOnly(!e.target.checked)} />
        <span>Show released holds too</span>
      </label>
      {!paged.loading && !paged.error && holds.length === 0 ? (
        <p className="muted">No {activeOnly ? 'active ' : ''}legal hold.</p>
      ) : (
        <ul className="stack">
          {holds.map((hold) => (
            <li key={hold.id} className="stack">
              <p>
                <strong>{hold.reference}</strong>: {hold.subjectKind === 'USER' ? 'user' : 'team'} <code>{hold.subjectId}</code>, placed{' '}
                {dateTime(hold.placedAt)}
                {hold.releasedAt && `, released ${dateTime(hold.releasedAt)}${hold.releaseReason ? ` (${hold.releaseReason})` : ''}`}
              </p>
              {hold.active && <ReleaseHold hold={hold} onReleased={changed} />}
            </li>
          ))}
        </ul>
      )}
      <LoadMore hasNextPage={paged.hasNextPage} loading={paged.loading} loadMore={paged.loadMore} error={paged.error} label="legal holds" />
    </section>
  );
}

function AuditLog() {
  const [draft, setDraft] = useState<AuditDraft>(NO_AUDIT_FILTER);
  const [filter, setFilter] = useState<AuditLogFilter>({});
  const load = useCallback(
    async (after: string | null) => {
      const { platformAuditLog } = await execute(PlatformAuditLogDocument, { filter, first: PAGE, after });
      return { items: platformAuditLog.edges.map((e) => e.node), ...platformAuditLog.pageInfo };
    },
    [filter],
  );
  // One read per search: a new filter starts over; the same one searched again reads its first page again.
  const [search, setSearch] = useState(0);
  const paged = usePaged<AuditNode>(`${JSON.stringify(filter)}#${search}`, load);
  const entries = paged.items;
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(auditFilter(draft));
    setSearch((n) => n + 1);
  };
  const field = (key: Exclude<keyof AuditDraft, 'action'>) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value }),
  });
  return (
    <section className="card stack" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <form className="stack" onSubmit={apply} aria-label="Audit log filters">
        <div className="options-grid">
          <SelectField<AuditAction | ''>
            label="Action"
            value={draft.action}
            options={[{ value: '', label: 'Any action' }, ...AUDIT_ACTION_OPTIONS]}
            onChange={(v) => setDraft({ ...draft, action: v })}
          />
          <TextField type="text" label="Team id" {...field('teamId')} />
          <TextField type="text" label="Actor id" {...field('actorId')} />
          <TextField label="Email (actor or subject)" type="email" {...field('email')} />
          <TextField label="From" type="datetime-local" {...field('from')} />
          <TextField label="To" type="datetime-local" {...field('to')} />
        </div>
        <div className="row">
          <button type="submit" className="button primary">
            Apply filters
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(NO_AUDIT_FILTER);
              setFilter({});
              setSearch((n) => n + 1);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {paged.loading && entries.length === 0 && <p role="status">Loading…</p>}
      {!paged.loading && !paged.error && entries.length === 0 ? (
        <p className="muted">No entry matches.</p>
      ) : (
        <TableWrap>
          <table>
            <caption className="visually-hidden">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Subject</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{dateTime(entry.occurredAt)}</td>
                  <td>{entry.action}</td>
                  <td>
                    {entry.actorKind}
                    {entry.actorUserId && (
                      <>
                        {' '}
                        <code>{entry.actorUserId}</code>
                      </>
                    )}
                  </td>
                  <td>
                    {entry.subjectUserId && <code>{entry.subjectUserId}</code>}
                    {entry.teamId && <span className="small muted"> team {entry.teamId}</span>}
                  </td>
                  <td className="small">
                    {entry.reason && <span>{entry.reason} </span>}
                    {Object.keys(entry.details as object).length > 0 && <code>{JSON.stringify(entry.details)}</code>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <LoadMore
        hasNextPage={paged.hasNextPage}
        loading={paged.loading}
        loadMore={paged.loadMore}
        error={paged.error}
        whileLoading="disable"
      />
    </section>
  );
}

/** The platform admins' console: data-subject requests, legal holds, the audit log, credit adjustments and ledger health. */
export function AdminPage() {
  const { me } = useSession();
  if (!me?.isPlatformAdmin)
    return (
      <div className="card">
        <h1>Admin</h1>
        <p>This page is only for platform administrators.</p>
      </div>
    );
  return (
    <div className="stack">
      <h1>Admin</h1>
      <DataRequests />
      <LegalHolds />
      <AuditLog />
      <CreditsAdmin />
    </div>
  );
}
