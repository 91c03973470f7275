import { FakeClock } from '../../common/clock.fake';
import { BlobStore } from '../../storage/blob-store';
import { LegalHoldsService } from '../legal-holds/legal-holds.service';
import { aPlatformAdmin, aSignedInUser, type SignedInUser } from '../../../testing/builders';
import {
  APPROVE_REQUEST,
  archiveKeyOf,
  CREATE_REQUEST,
  REQUEST_DELETION,
  REQUEST_EXPORT,
  untilQueueDone,
  untilRequest,
} from '../../../testing/data-requests-client';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { DataRequestsSweep, type DataRequestsSweepBatch } from './data-requests.sweep';

const PLACE_HOLD = `mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id } }`;
const RELEASE_HOLD = `mutation($i: ReleaseLegalHoldInput!) { releaseLegalHold(input: $i) { id } }`;
/** Smaller than the number of held rows below: a sweep that reads the first N due rows sees only held ones. */
const SMALL_BATCH: DataRequestsSweepBatch = { dueRequests: 2, exportArchives: 2 };

/**
 * The data-requests sweep task: what is held back must not stop it from reaching what is not.
 * Three people under a legal hold, each with a finished export and an approved deletion that waits
 * for the hold, come first in every order the sweep reads; the sweep runs with batches of 2.
 */
describe('data requests: the sweep reaches every actionable row past held ones', () => {
  const clock = new FakeClock();
  let t: TestApi;
  let admin: SignedInUser;
  let sweep: DataRequestsSweep;
  let holds: LegalHoldsService;
  const held: { user: SignedInUser; exportId: string; deletionId: string; holdId: string }[] = [];

  beforeAll(async () => {
    t = await startTestApi({ PRIVACY_SWEEP_CRON: '', DELETION_GRACE_DAYS: '1' }, { clock });
    admin = await aPlatformAdmin(t, 'sweep-admin');
    sweep = t.api.app.get(DataRequestsSweep, { strict: false });
    holds = t.api.app.get(LegalHoldsService, { strict: false });
    for (let i = 0; i < 3; i++) {
      const user = await aSignedInUser(t, `held-${i}`);
      const exportId = (await user.client.ok(REQUEST_EXPORT)).requestDataExport.id as string;
      await untilRequest(t, exportId, ['COMPLETED']);
      const hold = await admin.client.ok(PLACE_HOLD, { i: { subject: { kind: 'USER', id: user.id }, reference: `Case ${i}` } });
      const { createDataRequest } = await admin.client.ok(CREATE_REQUEST, {
        i: { email: user.email, kind: 'DELETION', note: 'by letter' },
      });
      await admin.client.ok(APPROVE_REQUEST, { i: { id: createDataRequest.id } });
      await untilQueueDone(t, createDataRequest.id);
      held.push({ user, exportId, deletionId: createDataRequest.id, holdId: hold.placeLegalHold.id });
    }
    // The worker recorded why each deletion waits; they stay APPROVED and due.
    const rows = await t.sql('SELECT status, waiting_reason FROM data_requests WHERE id = ANY($1)', [held.map((h) => h.deletionId)]);
    expect(rows).toEqual(held.map(() => ({ status: 'APPROVED', waiting_reason: 'LEGAL_HOLD' })));
  }, 120_000);
  afterAll(() => t?.close());

  const runSweep = async () =>
    sweep.run(
      {
        now: clock.now(),
        held: await holds.heldSubjects(),
        heldNow: (manager) => holds.heldSubjectsNow(manager),
        committed: () => undefined,
      },
      SMALL_BATCH,
    );

  it('deletes an expired export archive of someone not held, though more held archives expired before it', async () => {
    const free = await aSignedInUser(t, 'free-export');
    const exportId = (await free.client.ok(REQUEST_EXPORT)).requestDataExport.id as string;
    await untilRequest(t, exportId, ['COMPLETED']);
    const store = t.api.app.get(BlobStore, { strict: false });
    const freeKey = await archiveKeyOf(t, exportId);
    expect(await store.exists(freeKey)).toBe(true);

    clock.advanceHours(25); // past EXPORT_TTL_HOURS (24) for all four archives
    expect(await runSweep()).toEqual({ exportArchives: 1 });

    expect(await t.sql('SELECT export_blob_key FROM data_requests WHERE id = $1', [exportId])).toEqual([{ export_blob_key: null }]);
    expect(await store.exists(freeKey)).toBe(false);
    // The held people's archives stay, row and blob.
    for (const h of held) expect(await store.exists(await archiveKeyOf(t, h.exportId))).toBe(true);
    const heldRows = await t.sql('SELECT export_blob_key FROM data_requests WHERE id = ANY($1)', [held.map((h) => h.exportId)]);
    expect(heldRows.every((r) => r.export_blob_key !== null)).toBe(true);
  });

  it('queues a deletion whose grace period ended, though more deletions waiting for a hold are older and due', async () => {
    const leaving = await aSignedInUser(t, 'free-deletion');
    const { requestAccountDeletion } = await leaving.client.ok(REQUEST_DELETION, { i: { password: leaving.password } });
    expect(requestAccountDeletion).toMatchObject({ status: 'APPROVED' });
    expect(await t.sql('SELECT queued_at FROM data_requests WHERE id = $1', [requestAccountDeletion.id])).toEqual([{ queued_at: null }]);

    clock.advanceDays(1.01); // past DELETION_GRACE_DAYS: due now, and only the sweep hands it to the worker
    await runSweep();

    const [queued] = await t.sql('SELECT queued_at FROM data_requests WHERE id = $1', [requestAccountDeletion.id]);
    expect(queued.queued_at).not.toBeNull();
    expect(await untilRequest(t, requestAccountDeletion.id, ['COMPLETED', 'FAILED'])).toMatchObject({ status: 'COMPLETED' });
    expect(await t.sql('SELECT id FROM users WHERE id = $1', [leaving.id])).toEqual([]);
    // The held ones still wait, their people still here.
    for (const h of held) {
      expect(await t.sql('SELECT status, waiting_reason FROM data_requests WHERE id = $1', [h.deletionId])).toEqual([
        { status: 'APPROVED', waiting_reason: 'LEGAL_HOLD' },
      ]);
      expect(await t.sql('SELECT id FROM users WHERE id = $1', [h.user.id])).toEqual([{ id: h.user.id }]);
    }
  });

  it('a deletion whose hold is released and replaced by another before the next sweep names the hold it now waits for', async () => {
    // Regression: the sweep left out every waiting deletion whose person was under any hold, so the admin
    // view kept naming the released hold (and its case reference) for as long as the new one lasted.
    const [first] = held;
    await admin.client.ok(RELEASE_HOLD, { i: { id: first.holdId, reason: 'Case closed' } });
    const { placeLegalHold } = await admin.client.ok(PLACE_HOLD, {
      i: { subject: { kind: 'USER', id: first.user.id }, reference: 'Case 0, appeal' },
    });
    await runSweep();
    await untilQueueDone(t, first.deletionId);

    expect(
      await t.sql('SELECT status, waiting_reason, waiting_hold_id, waiting_reference FROM data_requests WHERE id = $1', [first.deletionId]),
    ).toEqual([
      { status: 'APPROVED', waiting_reason: 'LEGAL_HOLD', waiting_hold_id: placeLegalHold.id, waiting_reference: 'Case 0, appeal' },
    ]);
    expect(await t.sql('SELECT id FROM users WHERE id = $1', [first.user.id])).toEqual([{ id: first.user.id }]);
    // A deletion whose recorded hold still holds stays out of the sweep's reach: not queued again.
    const [{ queued_at: queuedAt }] = await t.sql('SELECT queued_at FROM data_requests WHERE id = $1', [first.deletionId]);
    clock.advanceHours(1);
    await runSweep();
    expect(await t.sql('SELECT queued_at FROM data_requests WHERE id = $1', [first.deletionId])).toEqual([{ queued_at: queuedAt }]);
  });
});
