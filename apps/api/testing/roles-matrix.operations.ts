import { randomUUID } from 'node:crypto';
import { TeamRole } from '../src/teams/entities/team-role';
import { mayActOn, TeamPermission } from '../src/teams/team-permissions';
import { PURCHASE, PURCHASES } from './billing-client';
import { JOB_UPDATED, REMOVE } from './jobs-client';
import {
  aQueuedJob,
  anApiKeyId,
  anInvitation,
  aSpareWithRole,
  MEMBER_ROLE,
  type Caller,
  type Scene,
  type World,
} from './roles-matrix.world';

export interface Prepared {
  variables: Record<string, unknown>;
  /** The rows the operation would change; must change when it is allowed, must not when refused. */
  probe?: () => Promise<unknown>;
  /** What an allowed answer must hold. */
  check(data: Record<string, any>): void;
  /** For a stream with no first event: makes an event happen, returns the ids of the rows it created. */
  trigger?: () => Promise<string[]>;
}

export interface MatrixOperation {
  /** Case label; variants of one field say what differs. */
  name: string;
  /** Schema coordinate, e.g. `Mutation.renameTeam`, `Team.members`. */
  field: string;
  kind: 'query' | 'mutation' | 'subscription';
  /** PLATFORM_ADMIN: refused to every caller the matrix has (no team role or key may do it). */
  permission: TeamPermission | 'PLATFORM_ADMIN';
  /** Only a person may do it: an API key is FORBIDDEN whatever the team. */
  userOnly?: boolean;
  /** The rank rule on top of the permission (who may act on whom). */
  rank?: (role: TeamRole) => boolean;
  /** Outsiders get an answer (their own data) instead of NOT_FOUND. */
  outsidersGetData?: boolean;
  /** An allowed call uses the team up (leave, transfer): it runs on a fresh team. */
  consumesTeam?: boolean;
  document: string;
  prepare(w: World, scene: Scene, caller: Caller): Promise<Prepared>;
}

const { OWNER, MEMBER } = TeamRole;
const P = TeamPermission;
const ids = (connection: { edges: { node: { id?: string; userId?: string } }[] }) =>
  connection.edges.map((e) => e.node.id ?? e.node.userId);
const holds = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`the answer does not hold: ${what}`);
};

/** updateRetentionPolicy's calls so far (each sets a new uploadsHours). */
let retentionCalls = 0;

/** Every team-scoped operation of the API (README "Teams and permissions"), with how to call it and what it changes. */
export const OPERATIONS: MatrixOperation[] = [
  {
    name: 'team',
    field: 'Query.team',
    kind: 'query',
    permission: P.VIEW_TEAM,
    document: `query($id: ID!) { team(id: $id) { id name } }`,
    prepare: async (_w, s) => ({ variables: { id: s.teamId }, check: (d) => holds(d.team.id === s.teamId, 'the team') }),
  },
  {
    name: 'teams',
    field: 'Query.teams',
    kind: 'query',
    permission: P.VIEW_TEAM,
    outsidersGetData: true,
    document: `{ teams(first: 100) { edges { node { id } } } }`,
    prepare: async (_w, s, caller) => ({
      variables: {},
      check: (d) =>
        holds(ids(d.teams).includes(s.teamId) === !caller.startsWith('OTHER_TEAM'), 'the team is listed to its members and key only'),
    }),
  },
  {
    name: 'Team.members',
    field: 'Team.members',
    kind: 'query',
    permission: P.VIEW_MEMBERS,
    document: `query($id: ID!) { team(id: $id) { id members(first: 100) { edges { node { userId role } } } } }`,
    prepare: async (w, s) => ({
      variables: { id: s.teamId },
      check: (d) => holds(ids(d.team.members).includes(w.owner.id), 'the owner is listed'),
    }),
  },
  {
    name: 'invitations',
    field: 'Query.invitations',
    kind: 'query',
    permission: P.INVITE_MEMBERS,
    document: `query($id: ID!) { invitations(teamId: $id, first: 100) { edges { node { id } } } }`,
    prepare: async (w, s) => {
      const invitationId = await anInvitation(w, s.teamId);
      return { variables: { id: s.teamId }, check: (d) => holds(ids(d.invitations).includes(invitationId), 'the pending invitation') };
    },
  },
  {
    name: 'apiKeys',
    field: 'Query.apiKeys',
    kind: 'query',
    permission: P.MANAGE_API_KEYS,
    document: `query($id: ID!) { apiKeys(teamId: $id, first: 100) { edges { node { id prefix } } } }`,
    prepare: async (w, s) => {
      const keyId = await anApiKeyId(w, s.teamId);
      return { variables: { id: s.teamId }, check: (d) => holds(ids(d.apiKeys).includes(keyId), 'the key') };
    },
  },
  {
    name: 'job',
    field: 'Query.job',
    kind: 'query',
    permission: P.RUN_JOBS,
    document: `query($id: ID!) { job(id: $id) { id teamId status } }`,
    prepare: async (_w, s) => ({
      variables: { id: s.jobId },
      check: (d) => holds(d.job.id === s.jobId && d.job.teamId === s.teamId, 'the job'),
    }),
  },
  {
    name: 'jobs',
    field: 'Query.jobs',
    kind: 'query',
    permission: P.RUN_JOBS,
    document: `query($id: ID!) { jobs(teamId: $id, first: 100) { edges { node { id } } } }`,
    prepare: async (_w, s) => ({ variables: { id: s.teamId }, check: (d) => holds(ids(d.jobs).includes(s.jobId), 'the job is listed') }),
  },
  {
    name: 'renameTeam',
    field: 'Mutation.renameTeam',
    kind: 'mutation',
    permission: P.RENAME_TEAM,
    document: `mutation($i: RenameTeamInput!) { renameTeam(input: $i) { id name } }`,
    prepare: async (w, s) => {
      const name = `Renamed ${randomUUID().slice(0, 8)}`;
      return {
        variables: { i: { teamId: s.teamId, name } },
        probe: () => w.t.sql('SELECT name FROM teams WHERE id = $1', [s.teamId]),
        check: (d) => holds(d.renameTeam.name === name, 'the new name'),
      };
    },
  },
  {
    name: 'inviteMember',
    field: 'Mutation.inviteMember',
    kind: 'mutation',
    permission: P.INVITE_MEMBERS,
    document: `mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id teamId } }`,
    prepare: async (w, s) => ({
      variables: { i: { teamId: s.teamId, email: `invited.${randomUUID()}@example.com`, role: 'MEMBER' } },
      probe: () => w.t.sql('SELECT id FROM invitations WHERE team_id = $1 ORDER BY id', [s.teamId]),
      check: (d) => holds(d.inviteMember.teamId === s.teamId, 'an invitation of the team'),
    }),
  },
  {
    name: 'revokeInvitation',
    field: 'Mutation.revokeInvitation',
    kind: 'mutation',
    permission: P.INVITE_MEMBERS,
    document: `mutation($i: RevokeInvitationInput!) { revokeInvitation(input: $i) { id status } }`,
    prepare: async (w, s) => {
      const invitationId = await anInvitation(w, s.teamId);
      return {
        variables: { i: { invitationId } },
        probe: () => w.t.sql('SELECT revoked_at FROM invitations WHERE id = $1', [invitationId]),
        check: (d) => holds(d.revokeInvitation.status === 'REVOKED', 'revoked'),
      };
    },
  },
  ...(['ADMIN', 'OWNER'] as const).map((granted): MatrixOperation => ({
    name: `changeMemberRole (MEMBER → ${granted})`,
    field: 'Mutation.changeMemberRole',
    kind: 'mutation',
    permission: P.MANAGE_MEMBERS,
    rank: (role) => mayActOn(role, MEMBER, granted),
    document: `mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { userId role } }`,
    prepare: async (w, s) => {
      const spare = await aSpareWithRole(w, s.teamId, MEMBER);
      return {
        variables: { i: { teamId: s.teamId, userId: spare.id, role: granted } },
        probe: () => w.t.sql('SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2', [s.teamId, spare.id]),
        check: (d) => holds(d.changeMemberRole.role === granted, 'the new role'),
      };
    },
  })),
  ...([MEMBER, OWNER] as const).map((targetRole): MatrixOperation => ({
    name: `removeMember (a ${targetRole})`,
    field: 'Mutation.removeMember',
    kind: 'mutation',
    permission: P.MANAGE_MEMBERS,
    rank: (role) => mayActOn(role, targetRole),
    document: `mutation($i: RemoveMemberInput!) { removeMember(input: $i) { id } }`,
    prepare: async (w, s) => {
      const spare = await aSpareWithRole(w, s.teamId, targetRole);
      return {
        variables: { i: { teamId: s.teamId, userId: spare.id } },
        probe: () => w.t.sql('SELECT role FROM memberships WHERE team_id = $1 AND user_id = $2', [s.teamId, spare.id]),
        check: (d) => holds(d.removeMember.id === s.teamId, 'the team'),
      };
    },
  })),
  {
    name: 'transferOwnership',
    field: 'Mutation.transferOwnership',
    kind: 'mutation',
    permission: P.TRANSFER_OWNERSHIP,
    consumesTeam: true,
    document: `mutation($i: TransferOwnershipInput!) { transferOwnership(input: $i) { id } }`,
    prepare: async (w, s) => {
      const spare = await aSpareWithRole(w, s.teamId, MEMBER);
      return {
        variables: { i: { teamId: s.teamId, userId: spare.id } },
        probe: () => w.t.sql('SELECT user_id, role FROM memberships WHERE team_id = $1 ORDER BY user_id', [s.teamId]),
        check: (d) => holds(d.transferOwnership.id === s.teamId, 'the team'),
      };
    },
  },
  {
    name: 'leaveTeam',
    field: 'Mutation.leaveTeam',
    kind: 'mutation',
    permission: P.VIEW_TEAM,
    userOnly: true,
    consumesTeam: true,
    document: `mutation($i: LeaveTeamInput!) { leaveTeam(input: $i) }`,
    prepare: async (w, s, caller) => {
      // An owner may leave only while another owner remains.
      if (MEMBER_ROLE[caller] === OWNER) await aSpareWithRole(w, s.teamId, OWNER);
      return {
        variables: { i: { teamId: s.teamId } },
        probe: () => w.t.sql('SELECT user_id, role FROM memberships WHERE team_id = $1 ORDER BY user_id', [s.teamId]),
        check: (d) => holds(d.leaveTeam === true, 'left'),
      };
    },
  },
  {
    name: 'createApiKey',
    field: 'Mutation.createApiKey',
    kind: 'mutation',
    permission: P.MANAGE_API_KEYS,
    document: `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { teamId } } }`,
    prepare: async (w, s) => ({
      variables: { i: { teamId: s.teamId, name: 'matrix key' } },
      probe: () => w.t.sql('SELECT id FROM api_keys WHERE team_id = $1 ORDER BY id', [s.teamId]),
      check: (d) => holds(d.createApiKey.apiKey.teamId === s.teamId && d.createApiKey.secret.startsWith('ck_'), 'a key of the team'),
    }),
  },
  {
    name: 'revokeApiKey',
    field: 'Mutation.revokeApiKey',
    kind: 'mutation',
    permission: P.MANAGE_API_KEYS,
    document: `mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { id revokedAt } }`,
    prepare: async (w, s) => {
      const id = await anApiKeyId(w, s.teamId);
      return {
        variables: { i: { id } },
        probe: () => w.t.sql('SELECT revoked_at FROM api_keys WHERE id = $1', [id]),
        check: (d) => holds(d.revokeApiKey.id === id && d.revokeApiKey.revokedAt !== null, 'revoked'),
      };
    },
  },
  {
    name: 'createUpload',
    field: 'Mutation.createUpload',
    kind: 'mutation',
    permission: P.RUN_JOBS,
    document: `mutation($i: CreateUploadInput!) { createUpload(input: $i) { id uploadUrl } }`,
    prepare: async (w, s) => ({
      variables: { i: { teamId: s.teamId, filename: 'matrix.png', contentType: 'image/png', byteSize: 1000 } },
      probe: () => w.t.sql('SELECT id FROM uploads WHERE team_id = $1 ORDER BY id', [s.teamId]),
      check: (d) => holds(typeof d.createUpload.uploadUrl === 'string', 'a signed URL'),
    }),
  },
  {
    name: 'removeBackground',
    field: 'Mutation.removeBackground',
    kind: 'mutation',
    permission: P.RUN_JOBS,
    document: REMOVE,
    prepare: async (w, s) => ({
      variables: { i: { teamId: s.teamId, imageBase64: w.imageBase64, idempotencyKey: randomUUID() } },
      probe: () => w.t.sql('SELECT id FROM jobs WHERE team_id = $1 ORDER BY id', [s.teamId]),
      check: (d) => holds(d.removeBackground.teamId === s.teamId && d.removeBackground.status === 'QUEUED', 'a queued job'),
    }),
  },
  {
    name: 'cancelJob',
    field: 'Mutation.cancelJob',
    kind: 'mutation',
    permission: P.RUN_JOBS,
    document: `mutation($i: CancelJobInput!) { cancelJob(input: $i) { id status } }`,
    prepare: async (w, s) => {
      const jobId = await aQueuedJob(w, s.teamId);
      return {
        variables: { i: { id: jobId } },
        probe: () => w.t.sql('SELECT status FROM jobs WHERE id = $1', [jobId]),
        check: (d) => holds(d.cancelJob.status === 'CANCELED', 'canceled'),
      };
    },
  },
  {
    name: 'jobUpdated',
    field: 'Subscription.jobUpdated',
    kind: 'subscription',
    permission: P.RUN_JOBS,
    document: JOB_UPDATED,
    prepare: async (_w, s) => ({ variables: { id: s.jobId }, check: (d) => holds(d.jobUpdated.jobId === s.jobId, 'the job’s state') }),
  },
  {
    name: 'teamJobs',
    field: 'Subscription.teamJobs',
    kind: 'subscription',
    permission: P.RUN_JOBS,
    document: `subscription($id: ID!) { teamJobs(teamId: $id) { jobId teamId status } }`,
    prepare: async (w, s) => ({
      variables: { id: s.teamId },
      check: (d) => holds(d.teamJobs.teamId === s.teamId, 'an event of the team'),
      trigger: async () => {
        const jobId = await aQueuedJob(w, s.teamId);
        const [{ upload_id }] = await w.t.sql<{ upload_id: string }>('SELECT upload_id FROM jobs WHERE id = $1', [jobId]);
        return [jobId, upload_id];
      },
    }),
  },
  {
    name: 'creditBalance',
    field: 'Query.creditBalance',
    kind: 'query',
    permission: P.VIEW_CREDITS,
    document: `query($id: ID!) { creditBalance(teamId: $id) { available debt } }`,
    prepare: async (_w, s) => ({
      variables: { id: s.teamId },
      check: (d) => holds(typeof d.creditBalance.available === 'number' && d.creditBalance.debt === 0, 'the balance'),
    }),
  },
  {
    name: 'creditLedger',
    field: 'Query.creditLedger',
    kind: 'query',
    permission: P.VIEW_CREDIT_HISTORY,
    document: `query($id: ID!) { creditLedger(teamId: $id, first: 100) { edges { node { id kind amount } } } }`,
    prepare: async (_w, s) => ({ variables: { id: s.teamId }, check: (d) => holds(Array.isArray(d.creditLedger.edges), 'the ledger') }),
  },
  {
    name: 'usage',
    field: 'Query.usage',
    kind: 'query',
    permission: P.VIEW_CREDIT_HISTORY,
    document: `query($id: ID!, $from: DateTime!, $to: DateTime!) { usage(teamId: $id, from: $from, to: $to) { day jobs credits } }`,
    prepare: async (_w, s) => ({
      variables: {
        id: s.teamId,
        from: new Date(Date.now() - 86_400_000).toISOString(),
        to: new Date(Date.now() + 86_400_000).toISOString(),
      },
      check: (d) => holds(d.usage.length === 2 || d.usage.length === 3, 'a row per UTC day'),
    }),
  },
  {
    name: 'creditBalanceChanged',
    field: 'Subscription.creditBalanceChanged',
    kind: 'subscription',
    permission: P.VIEW_CREDITS,
    document: `subscription($id: ID!) { creditBalanceChanged(teamId: $id) { available debt } }`,
    prepare: async (_w, s) => ({
      variables: { id: s.teamId },
      check: (d) => holds(typeof d.creditBalanceChanged.available === 'number', 'the current balance'),
    }),
  },
  {
    name: 'adjustCredits',
    field: 'Mutation.adjustCredits',
    kind: 'mutation',
    permission: 'PLATFORM_ADMIN',
    document: `mutation($i: AdjustCreditsInput!) { adjustCredits(input: $i) { balance { available } } }`,
    prepare: async (w, s) => ({
      variables: { i: { teamId: s.teamId, amount: 5, reason: 'matrix' } },
      probe: () => w.t.sql('SELECT id FROM credit_ledger WHERE team_id = $1 ORDER BY id', [s.teamId]),
      check: () => holds(false, 'never allowed to a team role or key'),
    }),
  },
  {
    name: 'ledgerHealth',
    field: 'Query.ledgerHealth',
    kind: 'query',
    permission: 'PLATFORM_ADMIN',
    document: `{ ledgerHealth { teamId balance ledgerSum } }`,
    prepare: async () => ({ variables: {}, check: () => holds(false, 'never allowed to a team role or key') }),
  },
  {
    name: 'auditLog',
    field: 'Query.auditLog',
    kind: 'query',
    permission: P.VIEW_AUDIT_LOG,
    document: `query($id: ID!) { auditLog(teamId: $id, first: 100) { edges { node { id action teamId } } } }`,
    prepare: async (_w, s) => ({
      variables: { id: s.teamId },
      check: (d) =>
        holds(
          d.auditLog.edges.every((e: { node: { teamId: string } }) => e.node.teamId === s.teamId),
          'the team’s entries only',
        ),
    }),
  },
  {
    name: 'platformAuditLog',
    field: 'Query.platformAuditLog',
    kind: 'query',
    permission: 'PLATFORM_ADMIN',
    document: `query($f: AuditLogFilter) { platformAuditLog(filter: $f) { edges { node { id } } } }`,
    prepare: async (_w, s) => ({
      variables: { f: { teamId: s.teamId } },
      check: () => holds(false, 'never allowed to a team role or key'),
    }),
  },
  {
    name: 'placeLegalHold',
    field: 'Mutation.placeLegalHold',
    kind: 'mutation',
    permission: 'PLATFORM_ADMIN',
    document: `mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id } }`,
    prepare: async (w, s) => ({
      variables: { i: { subject: { kind: 'TEAM', id: s.teamId }, reference: 'matrix' } },
      probe: () => w.t.sql('SELECT * FROM legal_holds WHERE subject_id = $1 ORDER BY id', [s.teamId]),
      check: () => holds(false, 'never allowed to a team role or key'),
    }),
  },
  {
    name: 'releaseLegalHold',
    field: 'Mutation.releaseLegalHold',
    kind: 'mutation',
    permission: 'PLATFORM_ADMIN',
    document: `mutation($i: ReleaseLegalHoldInput!) { releaseLegalHold(input: $i) { id } }`,
    prepare: async (w) => {
      const [hold] = await w.t.sql<{ id: string }>(
        `INSERT INTO legal_holds (subject_kind, subject_id, reference) VALUES ('TEAM', gen_random_uuid(), 'matrix') RETURNING id`,
      );
      return {
        variables: { i: { id: hold.id, reason: 'matrix' } },
        probe: () => w.t.sql('SELECT * FROM legal_holds WHERE id = $1', [hold.id]),
        check: () => holds(false, 'never allowed to a team role or key'),
      };
    },
  },
  {
    name: 'legalHolds',
    field: 'Query.legalHolds',
    kind: 'query',
    permission: 'PLATFORM_ADMIN',
    document: `{ legalHolds { edges { node { id } } } }`,
    prepare: async () => ({ variables: {}, check: () => holds(false, 'never allowed to a team role or key') }),
  },
  {
    name: 'dataRequests',
    field: 'Query.dataRequests',
    kind: 'query',
    permission: 'PLATFORM_ADMIN',
    document: `{ dataRequests { edges { node { id } } } }`,
    prepare: async () => ({ variables: {}, check: () => holds(false, 'never allowed to a team role or key') }),
  },
  {
    name: 'dataRequest',
    field: 'Query.dataRequest',
    kind: 'query',
    permission: 'PLATFORM_ADMIN',
    document: `query($id: ID!) { dataRequest(id: $id) { id } }`,
    prepare: async (w) => ({ variables: { id: await aDataRequest(w, 'PENDING') }, check: () => holds(false, 'never allowed') }),
  },
  {
    name: 'createDataRequest',
    field: 'Mutation.createDataRequest',
    kind: 'mutation',
    permission: 'PLATFORM_ADMIN',
    document: `mutation($i: CreateDataRequestInput!) { createDataRequest(input: $i) { id } }`,
    prepare: async (w) => ({
      variables: { i: { email: w.member.email, kind: 'EXPORT', note: 'matrix' } },
      probe: () => w.t.sql('SELECT id FROM data_requests WHERE subject_user_id = $1 ORDER BY id', [w.member.id]),
      check: () => holds(false, 'never allowed to a team role or key'),
    }),
  },
  ...(['approveDataRequest', 'rejectDataRequest'] as const).map((name): MatrixOperation => ({
    name,
    field: `Mutation.${name}`,
    kind: 'mutation',
    permission: 'PLATFORM_ADMIN',
    document: `mutation($i: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $i) { id } }`,
    prepare: async (w) => {
      const id = await aDataRequest(w, 'PENDING');
      return {
        variables: { i: name === 'approveDataRequest' ? { id } : { id, reason: 'matrix' } },
        probe: () => w.t.sql('SELECT status FROM data_requests WHERE id = $1', [id]),
        check: () => holds(false, 'never allowed to a team role or key'),
      };
    },
  })),
  {
    // Not a team's object: every person may cancel their own deletion, whatever their role; keys never.
    name: 'cancelAccountDeletion',
    field: 'Mutation.cancelAccountDeletion',
    kind: 'mutation',
    permission: P.VIEW_TEAM,
    userOnly: true,
    outsidersGetData: true,
    document: `mutation($i: CancelAccountDeletionInput!) { cancelAccountDeletion(input: $i) { id status } }`,
    prepare: async (w, _s, caller) => {
      const user = { ADMIN: w.admin, MEMBER: w.member, OTHER_TEAM_USER: w.outsider }[caller as string] ?? w.owner;
      const id = await aDataRequest(w, 'APPROVED', user.id);
      return {
        variables: { i: { id } },
        probe: () => w.t.sql('SELECT status FROM data_requests WHERE id = $1', [id]),
        check: (d) => holds(d.cancelAccountDeletion.id === id && d.cancelAccountDeletion.status === 'CANCELED', 'their own, canceled'),
      };
    },
  },
  {
    name: 'purchaseCredits',
    field: 'Mutation.purchaseCredits',
    kind: 'mutation',
    permission: P.BUY_CREDITS,
    document: PURCHASE,
    prepare: async (w, s) => ({
      variables: { i: { teamId: s.teamId, packId: 'one' } },
      probe: () => w.t.sql('SELECT id FROM purchases WHERE team_id = $1 ORDER BY id', [s.teamId]),
      check: (d) => holds(d.purchaseCredits.id.startsWith('cs_') && typeof d.purchaseCredits.url === 'string', 'a Checkout Session'),
    }),
  },
  {
    name: 'purchases',
    field: 'Query.purchases',
    kind: 'query',
    permission: P.VIEW_PURCHASES,
    document: PURCHASES,
    prepare: async (w, s) => {
      const { purchaseCredits } = await w.owner.client.ok(PURCHASE, { i: { teamId: s.teamId, packId: 'one' } });
      const [{ id }] = await w.t.sql<{ id: string }>('SELECT id FROM purchases WHERE checkout_session_id = $1', [purchaseCredits.id]);
      return { variables: { id: s.teamId }, check: (d) => holds(ids(d.purchases).includes(id), 'the pending purchase') };
    },
  },
  {
    name: 'retentionPolicy',
    field: 'Query.retentionPolicy',
    kind: 'query',
    permission: P.VIEW_TEAM,
    document: `query($id: ID!) { retentionPolicy(teamId: $id) { teamId uploadsHours resultsHours jobRecordsDays isDefault } }`,
    prepare: async (_w, s) => ({
      variables: { id: s.teamId },
      check: (d) => holds(d.retentionPolicy.teamId === s.teamId && d.retentionPolicy.uploadsHours > 0, 'the team’s policy'),
    }),
  },
  {
    name: 'updateRetentionPolicy',
    field: 'Mutation.updateRetentionPolicy',
    kind: 'mutation',
    permission: P.MANAGE_RETENTION,
    document: `mutation($i: UpdateRetentionPolicyInput!) { updateRetentionPolicy(input: $i) { teamId uploadsHours isDefault } }`,
    prepare: async (w, s) => {
      // A new value each call, so an allowed call always changes the row.
      const uploadsHours = (retentionCalls = (retentionCalls % 700) + 1);
      return {
        variables: { i: { teamId: s.teamId, uploadsHours, resultsHours: 24, jobRecordsDays: 30 } },
        probe: () =>
          w.t.sql('SELECT uploads_hours, results_hours, job_records_days FROM team_retention_policies WHERE team_id = $1', [s.teamId]),
        check: (d) => holds(d.updateRetentionPolicy.uploadsHours === uploadsHours && !d.updateRetentionPolicy.isDefault, 'the new policy'),
      };
    },
  },
];

/** Root fields that are not team-scoped (accounts, sign-in, joining or creating a team). */
export const NOT_TEAM_SCOPED = [
  'Query.me',
  'Query.prices',
  'Query.models',
  'Query.creditPacks',
  'Query.billingConfigured',
  'Mutation.signUp',
  'Mutation.verifyEmail',
  'Mutation.resendVerification',
  'Mutation.signIn',
  'Mutation.signOut',
  'Mutation.requestPasswordReset',
  'Mutation.resetPassword',
  'Mutation.createTeam',
  'Mutation.acceptInvitation',
  'Query.policy',
  'Query.policies',
  'Query.consent',
  'Query.consentHistory',
  'Mutation.acceptPolicy',
  'Mutation.recordConsent',
  'Query.myDataRequests',
  'Mutation.requestDataExport',
  'Mutation.requestAccountDeletion',
];

/**
 * A data request straight in the table: PENDING without a subject (the admin operations only
 * need one to refuse), or an APPROVED deletion of `subjectUserId` in a grace period that never
 * ends (any open one of theirs is canceled first: one open deletion per person).
 */
async function aDataRequest(w: World, status: 'PENDING' | 'APPROVED', subjectUserId: string | null = null): Promise<string> {
  if (subjectUserId)
    await w.t.sql(`UPDATE data_requests SET status = 'CANCELED' WHERE subject_user_id = $1 AND status IN ('PENDING', 'APPROVED')`, [
      subjectUserId,
    ]);
  const [row] = await w.t.sql<{ id: string }>(
    `INSERT INTO data_requests (kind, status, origin, subject_user_id, created_at, due_at, execute_after)
     VALUES ($1, $2, 'SELF_SERVICE', $3, now(), now() + interval '30 days', now() + interval '3650 days') RETURNING id`,
    [subjectUserId ? 'DELETION' : 'EXPORT', status, subjectUserId],
  );
  return row.id;
}
