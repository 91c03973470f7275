import { Client } from 'pg';
import { FakeClock } from '../../common/clock.fake';
import { BlobStore } from '../../storage/blob-store';
import { A_PASSWORD, aPlatformAdmin, aSignedInUser, aTeamWithMembers, anEmail, type SignedInUser } from '../../../testing/builders';
import { archiveKeyOf, REQUEST_EXPORT, untilRequest } from '../../../testing/data-requests-client';
import { uploadImage } from '../../../testing/jobs-client';
import { aNoisyImage } from '../../../testing/test-images';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { RetentionSweeperService } from './retention-sweeper.service';
import { SweepRegistry } from './sweep.registry';

const PLACE = `mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id } }`;
const MID_RUN_TASK = 'aaa-test-mid-run'; // sorts before every real task: it runs first in each sweep

/** What a sweep would remove of one subject once the clock moved 8 days: an upload (row and blob), a revoked session, an export archive, a settled invitation. */
interface Expiring {
  uploadId: string;
  uploadBlob: string;
  sessionId?: string;
  archive?: { requestId: string; key: string };
  invitationId?: string;
}

/**
 * A legal hold placed while a retention sweep is running: the sweep read the active holds when it
 * began, and each batch deletes later. A hold committed after that read — by the time a batch
 * runs, or while the batch waits for it — must keep its subject's rows and blobs. The hold is
 * placed through the real placeLegalHold, either by a task that runs first in the sweep (after the
 * sweep's own read) or paused inside its transaction by a trigger waiting on a lock this test
 * holds; the sweep is observed WAITING on it (pg_blocking_pids) before it is let go, so the
 * interleaving is fixed, not timed.
 */
describe('retention sweeper: a legal hold placed while a sweep runs', () => {
  const clock = new FakeClock();
  let t: TestApi;
  let admin: SignedInUser;
  let sweeper: RetentionSweeperService;
  let store: BlobStore;
  let duringRun: (() => Promise<void>) | null = null;
  const others: Client[] = [];

  beforeAll(async () => {
    t = await startTestApi({ PRIVACY_SWEEP_CRON: '' }, { clock });
    admin = await aPlatformAdmin(t, 'holds-admin');
    sweeper = t.api.app.get(RetentionSweeperService);
    store = t.api.app.get(BlobStore, { strict: false });
    const registry = t.api.app.get(SweepRegistry);
    registry.register({
      name: MID_RUN_TASK,
      run: async () => {
        const work = duringRun;
        duringRun = null;
        await work?.();
        return {};
      },
    });
    expect(registry.tasks()[0].name).toBe(MID_RUN_TASK);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(others.map((c) => c.end()));
    await t?.close();
  });

  const placeHold = (kind: 'USER' | 'TEAM', id: string) =>
    admin.client.ok(PLACE, { i: { subject: { kind, id }, reference: 'Case mid-sweep' } });

  /** A person's expiring things: an upload in their personal team, a revoked session, a finished export. */
  async function aPersonWithExpiringData(name: string): Promise<SignedInUser & { expiring: Expiring }> {
    const person = await aSignedInUser(t, name);
    const upload = await uploadImage(person.client, person.personalTeamId, await aNoisyImage(24, 24));
    expect(upload.put.status).toBe(200);
    const second = t.client();
    const { signIn } = await second.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, {
      i: { email: person.email, password: A_PASSWORD },
    });
    expect(signIn.id).toBe(person.id);
    await second.ok(`mutation { signOut }`);
    const [session] = await t.sql<{ id: string }>('SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NOT NULL', [person.id]);
    const requestId = (await person.client.ok(REQUEST_EXPORT)).requestDataExport.id as string;
    await untilRequest(t, requestId, ['COMPLETED']);
    return {
      ...person,
      expiring: {
        uploadId: upload.id,
        uploadBlob: await blobOf(upload.id),
        sessionId: session.id,
        archive: { requestId, key: await archiveKeyOf(t, requestId) },
      },
    };
  }

  /** A team of one owner with an uploaded image and a revoked invitation. */
  async function aTeamWithExpiringData(owner: SignedInUser): Promise<{ teamId: string; expiring: Expiring }> {
    const teamId = await aTeamWithMembers(t, owner, [], 'Held team');
    const upload = await uploadImage(owner.client, teamId, await aNoisyImage(24, 24));
    expect(upload.put.status).toBe(200);
    const { inviteMember } = await owner.client.ok(`mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`, {
      i: { teamId, email: anEmail('invited'), role: 'MEMBER' },
    });
    await owner.client.ok(`mutation($i: RevokeInvitationInput!) { revokeInvitation(input: $i) { id } }`, {
      i: { invitationId: inviteMember.id },
    });
    return { teamId, expiring: { uploadId: upload.id, uploadBlob: await blobOf(upload.id), invitationId: inviteMember.id } };
  }

  const blobOf = async (uploadId: string) =>
    (await t.sql<{ blob_key: string }>('SELECT blob_key FROM uploads WHERE id = $1', [uploadId]))[0].blob_key;

  /** Which of the expiring things are still there (rows and blobs). */
  async function stillThere(e: Expiring) {
    const has = async (sql: string, id: string) => (await t.sql(sql, [id])).length === 1;
    return {
      upload: await has('SELECT id FROM uploads WHERE id = $1', e.uploadId),
      uploadBlob: await store.exists(e.uploadBlob),
      ...(e.sessionId ? { session: await has('SELECT id FROM sessions WHERE id = $1', e.sessionId) } : {}),
      ...(e.archive
        ? {
            archive: await has('SELECT id FROM data_requests WHERE id = $1 AND export_blob_key IS NOT NULL', e.archive.requestId),
            archiveBlob: await store.exists(e.archive.key),
          }
        : {}),
      ...(e.invitationId ? { invitation: await has('SELECT id FROM invitations WHERE id = $1', e.invitationId) } : {}),
    };
  }
  /** `state` with every entry `present`: all of it kept, or all of it swept. */
  const all = (state: Record<string, boolean>, present: boolean) => Object.fromEntries(Object.keys(state).map((k) => [k, present]));
  const expectAll = async (e: Expiring, present: boolean) => {
    const state = await stillThere(e);
    expect(state).toEqual(all(state, present));
  };

  it('keeps what a hold committed after the sweep began (before its batches ran) protects; the rest is swept', async () => {
    const heldPerson = await aPersonWithExpiringData('held-person');
    const heldTeam = await aTeamWithExpiringData(await aSignedInUser(t, 'team-owner'));
    const free = await aPersonWithExpiringData('free-person');
    clock.advanceDays(8); // past every retention period above

    // The sweep has read the holds (none of these) when its first task places them.
    duringRun = async () => {
      await placeHold('USER', heldPerson.id);
      await placeHold('TEAM', heldTeam.teamId);
    };
    const report = await sweeper.sweepOnce();
    expect(duringRun).toBeNull(); // it ran
    expect(report.failed).toEqual([]);

    await expectAll(heldPerson.expiring, true);
    await expectAll(heldTeam.expiring, true);
    await expectAll(free.expiring, false);
  });

  it('keeps what a hold still being placed when a batch starts protects: the batch waits for it, then reads it', async () => {
    const heldPerson = await aPersonWithExpiringData('held-later');
    clock.advanceDays(8);

    // placeLegalHold's transaction, paused at its INSERT by a trigger waiting on a lock held here.
    const lockHolder = new Client({ connectionString: t.env.DATABASE_URL });
    await lockHolder.connect();
    others.push(lockHolder);
    await lockHolder.query('BEGIN');
    await lockHolder.query('SELECT pg_advisory_xact_lock(4242)');
    const holderPid = (await lockHolder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await t.sql(`CREATE FUNCTION test_pause_hold() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NEW; END $$`);
    await t.sql('CREATE TRIGGER test_pause_hold BEFORE INSERT ON legal_holds FOR EACH ROW EXECUTE FUNCTION test_pause_hold()');
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await lockHolder.query('COMMIT');
    };
    try {
      const placing = placeHold('USER', heldPerson.id);
      const placerPid = await blockedBy(holderPid, placing);
      expect(placerPid).not.toBeNull();

      const sweeping = sweeper.sweepOnce();
      expect(await blockedBy(placerPid!, sweeping)).not.toBeNull(); // a batch waits for the hold being placed
      await release();
      await placing;
      expect((await sweeping).failed).toEqual([]);
    } finally {
      await release();
      await t.sql('DROP TRIGGER test_pause_hold ON legal_holds');
      await t.sql('DROP FUNCTION test_pause_hold()');
    }
    await expectAll(heldPerson.expiring, true);
  });

  /** The pid of a session waiting for a lock `pid` holds, or null once `work` settled without one waiting. */
  async function blockedBy(pid: number, work: Promise<unknown>): Promise<number | null> {
    let settled = false;
    void work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      const rows = await t.sql<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid]);
      if (rows.length) return rows[0].pid;
      if (settled) return null;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
});
