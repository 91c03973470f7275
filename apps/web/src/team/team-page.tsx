import { useId, useState, type FormEvent } from 'react';
import { execute } from '../graphql/client';
import type { TeamRole } from '../graphql/generated/graphql';
import { useQuery } from '../graphql/hooks';
import { Link } from '../router';
import { useSession, type TeamSummary } from '../session/session';
import { Alert, ErrorAlert } from '../ui/alert';
import { TextField } from '../ui/form';
import { TableWrap } from '../ui/table-wrap';
import { grantableRoles, isLastOwner, may, mayActOn, ROLE_LABEL, whyNot } from './permissions';
import {
  ChangeMemberRoleDocument,
  CreateApiKeyDocument,
  CreateTeamDocument,
  InviteMemberDocument,
  LeaveTeamDocument,
  RemoveMemberDocument,
  RevokeApiKeyDocument,
  RevokeInvitationDocument,
  TeamApiKeysDocument,
  TeamDetailsDocument,
  TeamInvitationsDocument,
  TransferOwnershipDocument,
} from './team-documents';
import { useAction } from './use-action';

const date = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric' });

interface Member {
  userId: string;
  email: string;
  role: TeamRole;
  joinedAt: string;
}

function MemberRow({
  member,
  teamId,
  viewerRole,
  isMe,
  lastOwner,
  personal,
  onChanged,
}: {
  member: Member;
  teamId: string;
  viewerRole: TeamRole | null | undefined;
  isMe: boolean;
  lastOwner: boolean;
  personal: boolean;
  onChanged: () => Promise<void>;
}) {
  const action = useAction();
  const selectId = useId();
  const roles = isMe ? [] : grantableRoles(viewerRole, member.role, personal);
  const canRemove = !isMe && may(viewerRole, 'MANAGE_MEMBERS') && mayActOn(viewerRole, member.role);
  const reason = isMe
    ? undefined
    : !may(viewerRole, 'MANAGE_MEMBERS')
      ? whyNot('MANAGE_MEMBERS')
      : !mayActOn(viewerRole, member.role)
        ? 'Admins cannot change or remove owners.'
        : undefined;
  // The role chosen in the list, sent only by Apply: a closed <select> fires `change` on a single
  // arrow key (Windows, Linux), which must not demote an owner or hand out ownership.
  const [chosen, setChosen] = useState<TeamRole>();
  const role = chosen ?? member.role;
  const apply = () => {
    if (role === member.role) return;
    const ownership =
      role === 'OWNER'
        ? `Make ${member.email} an owner? Owners can do everything in the team, including changing your role or removing you.`
        : member.role === 'OWNER'
          ? `Take ownership away from ${member.email}? They become ${ROLE_LABEL[role].toLowerCase()}.`
          : undefined;
    if (ownership && !window.confirm(ownership)) {
      setChosen(undefined);
      return;
    }
    void action.run(async () => {
      await execute(ChangeMemberRoleDocument, { input: { teamId, userId: member.userId, role } });
      await onChanged();
      setChosen(undefined);
      return `${member.email} is now ${ROLE_LABEL[role].toLowerCase()}.`;
    });
  };
  const remove = () => {
    if (!window.confirm(`Remove ${member.email} from the team? API keys they made for it stop working at once.`)) return;
    void action.run(async () => {
      await execute(RemoveMemberDocument, { input: { teamId, userId: member.userId } });
      await onChanged();
    });
  };
  return (
    <tr>
      <th scope="row">
        {member.email}
        {isMe && <span className="muted"> (you)</span>}
      </th>
      <td>
        {roles.length ? (
          <>
            <label htmlFor={selectId} className="visually-hidden">
              Role of {member.email}
            </label>
            <select
              id={selectId}
              value={role}
              disabled={action.busy || (member.role === 'OWNER' && lastOwner)}
              onChange={(e) => setChosen(e.target.value as TeamRole)}
              style={{ width: 'auto' }}
            >
              {!roles.includes(member.role) && <option value={member.role}>{ROLE_LABEL[member.role]}</option>}
              {roles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>{' '}
            {role !== member.role && (
              <button type="button" className="button" disabled={action.busy} onClick={apply}>
                Apply<span className="visually-hidden"> role of {member.email}</span>
              </button>
            )}
          </>
        ) : (
          ROLE_LABEL[member.role]
        )}
      </td>
      <td>{date(member.joinedAt)}</td>
      <td>
        {canRemove ? (
          <button type="button" className="button danger" disabled={action.busy} onClick={remove}>
            Remove<span className="visually-hidden"> {member.email}</span>
          </button>
        ) : (
          reason && <span className="small muted">{reason}</span>
        )}
        <ErrorAlert error={action.error} />
        {action.done && <Alert kind="success">{action.done}</Alert>}
      </td>
    </tr>
  );
}

function InviteForm({ teamId, onInvited }: { teamId: string; onInvited: () => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TeamRole>('MEMBER');
  const action = useAction();
  const roleId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await execute(InviteMemberDocument, { input: { teamId, email, role } });
      setEmail('');
      await onInvited();
      return `We mailed an invitation to ${email}.`;
    });
  };
  return (
    <form className="stack" onSubmit={submit}>
      <h3>Invite someone</h3>
      <TextField
        label="Email to invite"
        type="email"
        required
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <div className="field">
        <label htmlFor={roleId}>Role</label>
        <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as TeamRole)}>
          <option value="MEMBER">Member</option>
          <option value="ADMIN">Admin</option>
        </select>
        <span className="hint">Ownership moves only by a transfer.</span>
      </div>
      <ErrorAlert error={action.error} />
      {action.done && <Alert kind="success">{action.done}</Alert>}
      <div>
        <button type="submit" className="button primary" disabled={action.busy}>
          Send invitation
        </button>
      </div>
    </form>
  );
}

/** The invite form and the pending invitations (owners and admins). */
function Invitations({ teamId }: { teamId: string }) {
  const query = useQuery(TeamInvitationsDocument, { teamId });
  const action = useAction();
  const pending = query.data?.invitations.edges.map((e) => e.node).filter((i) => i.status === 'PENDING') ?? [];
  return (
    <div className="stack">
      <InviteForm teamId={teamId} onInvited={query.refetch} />
      <h3>Pending invitations</h3>
      <ErrorAlert error={query.error ?? action.error} />
      {pending.length === 0 ? (
        <p className="muted">No pending invitations.</p>
      ) : (
        <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
          {pending.map((invitation) => (
            <li key={invitation.id} className="row">
              <span>
                {invitation.email} as {ROLE_LABEL[invitation.role].toLowerCase()}, until {date(invitation.expiresAt)}
              </span>
              <button
                type="button"
                className="button"
                disabled={action.busy}
                onClick={() =>
                  void action.run(async () => {
                    await execute(RevokeInvitationDocument, { input: { invitationId: invitation.id } });
                    await query.refetch();
                  })
                }
              >
                Withdraw<span className="visually-hidden"> the invitation of {invitation.email}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState<boolean>();
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() =>
          void navigator.clipboard?.writeText(text).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        Copy
      </button>
      <span role="status" className="small muted">
        {copied === true ? 'Copied.' : copied === false ? 'Copying failed: select the text and copy it.' : ''}
      </span>
    </>
  );
}

function ApiKeys({ teamId }: { teamId: string }) {
  const query = useQuery(TeamApiKeysDocument, { teamId });
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<{ prefix: string; secret: string }>();
  const action = useAction();
  const keys = query.data?.apiKeys.edges.map((e) => e.node) ?? [];
  const create = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const { createApiKey } = await execute(CreateApiKeyDocument, { input: { teamId, name } });
      setSecret({ prefix: createApiKey.apiKey.prefix, secret: createApiKey.secret });
      setName('');
      await query.refetch();
    });
  };
  return (
    <section className="card stack" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p className="muted">Scripts use a key to run jobs and read credits for this team (send it as the Authorization bearer token).</p>
      <form className="stack" onSubmit={create}>
        <TextField
          label="Key name"
          type="text"
          required
          maxLength={100}
          hint='e.g. "CI pipeline"'
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <div>
          <button type="submit" className="button primary" disabled={action.busy}>
            Create key
          </button>
        </div>
      </form>
      <ErrorAlert error={query.error ?? action.error} />
      {secret && (
        <div className="alert warning stack" role="status">
          <p>
            <strong>Copy this secret now: it will not be shown again.</strong>
          </p>
          <div className="row">
            <code aria-label="New API key secret" style={{ overflowWrap: 'anywhere' }}>
              {secret.secret}
            </code>
            <CopyButton text={secret.secret} />
          </div>
          <div>
            <button type="button" className="button" onClick={() => setSecret(undefined)}>
              I stored it
            </button>
          </div>
        </div>
      )}
      {keys.length === 0 ? (
        <p className="muted">No active keys.</p>
      ) : (
        <TableWrap>
          <table>
            <caption className="visually-hidden">Active API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.name}</th>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{date(key.createdAt)}</td>
                  <td>{key.lastUsedAt ? date(key.lastUsedAt) : 'Never'}</td>
                  <td>
                    <button
                      type="button"
                      className="button danger"
                      disabled={action.busy}
                      onClick={() => {
                        if (!window.confirm(`Revoke the key ${key.name}? Scripts using it stop working at once.`)) return;
                        void action.run(async () => {
                          await execute(RevokeApiKeyDocument, { input: { id: key.id } });
                          await query.refetch();
                        });
                      }}
                    >
                      Revoke<span className="visually-hidden"> {key.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function TransferOwnership({
  teamId,
  members,
  meId,
  onTransferred,
}: {
  teamId: string;
  members: Member[];
  meId: string;
  /** Given the success sentence: the section shows it, as this form goes once its owner became an admin. */
  onTransferred: (sentence: string) => Promise<void>;
}) {
  const others = members.filter((m) => m.userId !== meId);
  const [userId, setUserId] = useState('');
  const action = useAction();
  const selectId = useId();
  if (!others.length) return <p className="muted">Invite someone first to transfer ownership to them.</p>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const target = others.find((m) => m.userId === userId);
    if (!target || !window.confirm(`Make ${target.email} an owner? You become an admin.`)) return;
    void action.run(async () => {
      await execute(TransferOwnershipDocument, { input: { teamId, userId } });
      await onTransferred(`${target.email} is now an owner; you are an admin.`);
    });
  };
  return (
    <form className="stack" onSubmit={submit}>
      <div className="field">
        <label htmlFor={selectId}>New owner</label>
        <select id={selectId} required value={userId} onChange={(e) => setUserId(e.target.value)}>
          <option value="">Choose a member</option>
          {others.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.email}
            </option>
          ))}
        </select>
        <span className="hint">They become an owner and you become an admin.</span>
      </div>
      <ErrorAlert error={action.error} />
      <div>
        <button type="submit" className="button" disabled={action.busy || !userId}>
          Transfer ownership
        </button>
      </div>
    </form>
  );
}

function CreateTeam() {
  const session = useSession();
  const [name, setName] = useState('');
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const { createTeam } = await execute(CreateTeamDocument, { input: { name } });
      await session.refresh();
      session.selectTeam(createTeam.id);
      setName('');
      return `Team ${createTeam.name} created; it is now the selected team.`;
    });
  };
  return (
    <section className="card stack" aria-labelledby="create-team-title">
      <h2 id="create-team-title">Create a team</h2>
      <form className="stack" onSubmit={submit}>
        <TextField label="Team name" type="text" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <ErrorAlert error={action.error} />
        {action.done && <Alert kind="success">{action.done}</Alert>}
        <div>
          <button type="submit" className="button primary" disabled={action.busy}>
            Create team
          </button>
        </div>
      </form>
    </section>
  );
}

/** Team: members and roles, invitations, ownership, leaving, API keys, and new teams. */
export function TeamPage() {
  const session = useSession();
  const team = session.team;
  if (!team || !session.me) return <p role="status">Loading…</p>;
  return (
    <div className="stack">
      <h1>Team</h1>
      {/* Keyed by team: everything typed, shown or done for one team (a new key's secret, a half-typed invitation,
          a success or error) is dropped when another team is selected. */}
      <TeamSections key={team.id} team={team} meId={session.me.id} />
      <CreateTeam />
    </div>
  );
}

/** The selected team's sections: members, invitations, API keys, ownership and leaving. */
function TeamSections({ team, meId }: { team: TeamSummary; meId: string }) {
  const session = useSession();
  const teamId = team.id;
  const details = useQuery(TeamDetailsDocument, { teamId });
  const leave = useAction();
  const [transferred, setTransferred] = useState<string>();
  const data = details.data?.team.id === teamId ? details.data.team : undefined;
  const role = data?.viewerRole ?? team.viewerRole;
  const members: Member[] = data?.members.edges.map((e) => e.node) ?? [];
  const lastOwner = isLastOwner(members, role);
  // The person a personal team was made for is its only owner for good: it goes with their account.
  const personalOwner = team.personal && role === 'OWNER';
  const reload = async () => {
    await details.refetch();
    await session.refresh();
  };
  const leaveTeam = () => {
    if (!window.confirm(`Leave ${team.name}? You lose access to its jobs and credits, and API keys you made for it stop working.`)) return;
    void leave.run(async () => {
      await execute(LeaveTeamDocument, { input: { teamId } });
      session.selectTeam('');
      await session.refresh();
    });
  };
  return (
    <>
      <section className="card stack" aria-labelledby="members-title">
        <h2 id="members-title">
          {team.name}
          {team.personal && <span className="muted small"> (your personal team)</span>}
        </h2>
        <p className="muted">Your role: {role ? ROLE_LABEL[role] : '—'}.</p>
        {team.personal && (
          <p className="small muted">
            A personal team is deleted with its owner’s account, members included: to work with others for good, create a team below.
          </p>
        )}
        <ErrorAlert error={details.error} />
        {data && (
          <TableWrap>
            <table>
              <caption className="visually-hidden">Members</caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((member) => (
                  <MemberRow
                    key={member.userId}
                    member={member}
                    teamId={teamId}
                    viewerRole={role}
                    isMe={member.userId === meId}
                    lastOwner={members.filter((m) => m.role === 'OWNER').length === 1}
                    personal={team.personal}
                    onChanged={reload}
                  />
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {may(role, 'INVITE_MEMBERS') ? (
          <Invitations teamId={teamId} />
        ) : (
          <p className="small muted">Inviting people: {whyNot('INVITE_MEMBERS')}</p>
        )}
      </section>

      {may(role, 'MANAGE_API_KEYS') ? (
        <ApiKeys teamId={teamId} />
      ) : (
        <section className="card stack" aria-labelledby="api-keys-title">
          <h2 id="api-keys-title">API keys</h2>
          <p className="muted">{whyNot('MANAGE_API_KEYS')} Ask an owner or admin of this team for a key.</p>
        </section>
      )}

      <section className="card stack" aria-labelledby="ownership-title">
        <h2 id="ownership-title">Ownership and leaving</h2>
        {team.personal ? (
          <p className="small muted">A personal team keeps its owner, the person it was made for: create a team to share ownership.</p>
        ) : may(role, 'TRANSFER_OWNERSHIP') ? (
          <TransferOwnership
            teamId={teamId}
            members={members}
            meId={meId}
            onTransferred={async (sentence) => {
              setTransferred(sentence);
              await reload();
            }}
          />
        ) : (
          <p className="small muted">Transferring ownership: {whyNot('TRANSFER_OWNERSHIP')}</p>
        )}
        {transferred && <Alert kind="success">{transferred}</Alert>}
        {personalOwner ? (
          <p className="small muted">
            This is your personal team: it cannot be left. It is deleted with your account (see <Link href="/privacy">Privacy</Link>).
          </p>
        ) : lastOwner ? (
          <p className="small muted">
            You are this team’s only owner: transfer ownership or make another member an owner before you can leave.
          </p>
        ) : (
          <div>
            <button type="button" className="button danger" disabled={leave.busy} onClick={leaveTeam}>
              Leave {team.name}
            </button>
          </div>
        )}
        <ErrorAlert error={leave.error} />
      </section>
    </>
  );
}
