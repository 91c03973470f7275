import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { FakeClock } from '../../common/clock.fake';
import { RetentionSweeperService } from '../retention/retention-sweeper.service';
import { aSignedInUser, aTeamWithMembers, anApiKey } from '../../../testing/builders';
import {
  archiveKeyOf,
  auditTrail,
  CANCEL_DELETION,
  MY_REQUESTS,
  REQUEST_DELETION,
  REQUEST_EXPORT,
  untilRequest,
} from '../../../testing/data-requests-client';
import { startInferenceProcess, type InferenceProcess } from '../../../testing/inference-process';
import { aPersonWithDataEverywhere, type SeededPerson } from '../../../testing/personal-data.seed';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import type { TestClient } from '../../../testing/graphql-client';

const myRequests = async (client: TestClient) =>
  (await client.ok(MY_REQUESTS)).myDataRequests.edges.map((e: { node: Record<string, any> }) => e.node) as Record<string, any>[];
const get = (url: string) => fetch(url.replace('localhost', '127.0.0.1'));

/** A person asks for their data and for their account's deletion, in the app; the worker carries both out. */
describe('data requests: self service', () => {
  const clock = new FakeClock();
  let inference: InferenceProcess;
  let t: TestApi;
  let person: SeededPerson;

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    t = await startTestApi(
      { INFERENCE_URLS: inference.address, PRIVACY_SWEEP_CRON: '', EXPORT_TTL_HOURS: '1', DOWNLOAD_URL_TTL_SECONDS: '600' },
      { clock },
    );
    person = await aPersonWithDataEverywhere(t, { jobs: 1 });
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });

  it('exports everything held about them as an encrypted ZIP: export.json with every category, and their images', async () => {
    const { requestDataExport } = await person.user.client.ok(REQUEST_EXPORT);
    expect(requestDataExport).toMatchObject({ kind: 'EXPORT', origin: 'SELF_SERVICE', downloadUrl: null });
    expect(await person.user.client.errorCode(REQUEST_EXPORT)).toBe('CONFLICT'); // one open export at a time
    await untilRequest(t, requestDataExport.id, ['COMPLETED', 'FAILED']);

    const [mine] = await myRequests(person.user.client);
    expect(mine).toMatchObject({ id: requestDataExport.id, status: 'COMPLETED', progress: 1, subjectUserId: null, note: null });
    const mail = (await t.mailbox()).find((m) => m.to === person.user.email && /export is ready/.test(m.subject));
    // The dashboard's privacy page is /privacy (a path it has no route for showed "Page not found").
    expect(mail?.text).toMatch(new RegExp(`http://localhost:${t.api.port}/privacy(\\s|$)`));
    expect(mail?.text).not.toContain('/privacy/exports/');

    const res = await get(mine.downloadUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const zip = new AdmZip(Buffer.from(await res.arrayBuffer()));
    const exported = JSON.parse(zip.readAsText('export.json'));
    expect(exported.manifest.sections).toEqual(expect.arrayContaining(['account', 'teams', 'jobs', 'credits', 'audit', 'data-requests']));
    expect(exported.account).toMatchObject({ id: person.user.id, email: person.user.email });
    expect(exported.teams).toEqual(expect.arrayContaining([expect.objectContaining({ id: person.sharedTeamId, role: 'ADMIN' })]));
    expect(exported.jobs.map((j: { id: string }) => j.id)).toEqual(person.jobs.map((j) => j.id));
    expect(exported.credits.ledger.map((r: { kind: string }) => r.kind)).toEqual(expect.arrayContaining(['TRIAL_GRANT', 'JOB_CHARGE']));
    for (const job of person.jobs) {
      const input = zip.getEntries().find((e) => e.entryName.startsWith(`images/${job.id}/input.`));
      const result = zip.getEntries().find((e) => e.entryName.startsWith(`images/${job.id}/result.`));
      expect(input?.getData().equals(job.input)).toBe(true);
      expect(result?.getData().equals(job.result)).toBe(true);
    }
    expect(exported.manifest.files.map((f: { path: string }) => f.path).sort()).toEqual(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .filter((n) => n !== 'export.json')
        .sort(),
    );
    expect(JSON.stringify(exported)).not.toContain(person.owner.email);

    // At rest it is sealed under the person's own data key: no ZIP signature, no image bytes.
    const blob = readFileSync(path.join(t.dataDir, 'blobs', await archiveKeyOf(t, mine.id)));
    expect(blob.subarray(0, 2).toString('latin1')).not.toBe('PK');
    expect(blob.includes(person.jobs[0].result.subarray(0, 64))).toBe(false);
    expect(await auditTrail(t, mine.id)).toEqual([
      'DATA_REQUEST_APPROVED',
      'DATA_REQUEST_COMPLETED',
      'DATA_REQUEST_CREATED',
      'DATA_REQUEST_EXECUTING',
    ]);
  });

  it('refuses forged, expired and other people’s download links; after EXPORT_TTL_HOURS the archive is gone (410) and swept', async () => {
    const [mine] = await myRequests(person.user.client);
    const url = new URL(mine.downloadUrl);
    const forged = new URL(url);
    forged.searchParams.set(
      'signature',
      url.searchParams.get('signature')!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
    );
    expect((await get(forged.toString())).status).toBe(403);
    const moved = new URL(url);
    moved.pathname = moved.pathname.replace(mine.id, '00000000-0000-4000-8000-000000000000');
    expect((await get(moved.toString())).status).toBe(403);

    // Nobody else is given a link or can touch the request.
    const other = await aSignedInUser(t, 'other');
    expect((await myRequests(other.client)).map((r) => r.id)).not.toContain(mine.id);
    expect(await other.client.errorCode(CANCEL_DELETION, { i: { id: mine.id } })).toBe('NOT_FOUND');
    expect(await t.client().withApiKey(person.personalKey).errorCode(REQUEST_EXPORT)).toBe('FORBIDDEN');

    // A link is made for the session that asked: another session of theirs gets its own, and signing out ends it.
    const phone = t.client();
    await phone.ok(`mutation($i: SignInInput!) { signIn(input: $i) { id } }`, {
      i: { email: person.user.email, password: person.user.password },
    });
    const [onPhone] = await myRequests(phone);
    expect(new URL(onPhone.downloadUrl).searchParams.get('by')).not.toBe(url.searchParams.get('by'));
    expect((await get(onPhone.downloadUrl)).status).toBe(200);
    await phone.ok(`mutation { signOut }`);
    const signedOut = await get(onPhone.downloadUrl);
    expect([signedOut.status, ((await signedOut.json()) as { error: { code: string } }).error.code]).toEqual([403, 'INVALID_TOKEN']);
    expect((await get(url.toString())).status).toBe(200);

    clock.advance(11 * 60_000); // past DOWNLOAD_URL_TTL_SECONDS
    const expired = await get(url.toString());
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('INVALID_TOKEN');

    clock.advance(44 * 60_000); // 55 minutes in: the archive still exists
    const [fresh] = await myRequests(person.user.client);
    expect((await get(fresh.downloadUrl)).status).toBe(200);
    clock.advance(6 * 60_000); // 61 minutes in: past EXPORT_TTL_HOURS, the link itself still valid
    const gone = await get(fresh.downloadUrl);
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('EXPORT_EXPIRED');
    expect((await myRequests(person.user.client))[0].downloadUrl).toBeNull();

    const report = await t.api.app.get(RetentionSweeperService).sweepOnce();
    expect(report.counts.exportArchives).toBe(1);
    expect(existsSync(path.join(t.dataDir, 'blobs', 'users', person.user.id, 'exports', `${mine.id}.zip`))).toBe(false);
    expect(await t.sql('SELECT export_blob_key FROM data_requests WHERE id = $1', [mine.id])).toEqual([{ export_blob_key: null }]);
  });

  it('deletion needs the right password (BAD_USER_INPUT field password) and no team left without an owner (LAST_OWNER); nothing is stored', async () => {
    const owner = await aSignedInUser(t, 'owner-leaving');
    const member = await aSignedInUser(t, 'member-staying');
    const teamId = await aTeamWithMembers(t, owner, [{ user: member, role: 'MEMBER' }]);
    const count = async () =>
      (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM data_requests WHERE subject_user_id = $1', [owner.id]))[0].n;

    const wrong = await owner.client.gql(REQUEST_DELETION, { i: { password: 'not-my-password-at-all' } });
    expect(wrong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const res = await owner.client.gql(REQUEST_DELETION, { i: { password: owner.password } });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'LAST_OWNER', teamIds: [teamId] });
    expect(await count()).toBe(0);
    expect(await t.client().errorCode(REQUEST_DELETION, { i: { password: owner.password } })).toBe('UNAUTHENTICATED');
    expect(
      await t
        .client()
        .withApiKey(await anApiKey(owner, teamId))
        .errorCode(REQUEST_DELETION, { i: { password: owner.password } }),
    ).toBe('FORBIDDEN');
    expect(await count()).toBe(0);
  });

  it('with no grace period the worker deletes the account at once, with its export archives and data key; only counts remain', async () => {
    const { requestAccountDeletion } = await person.user.client.ok(REQUEST_DELETION, { i: { password: person.user.password } });
    const done = await untilRequest(t, requestAccountDeletion.id, ['COMPLETED', 'FAILED']);
    expect(done).toMatchObject({ status: 'COMPLETED', subject_user_id: null, subject_email_index: null, requested_by_user_id: null });
    expect(done.receipt.counts).toMatchObject({ 'data-requests.userDataKeys': 1, 'data-requests.requests': 1 });
    expect(JSON.stringify(done)).not.toContain(person.user.email);
    expect(await t.sql('SELECT id FROM users WHERE id = $1', [person.user.id])).toEqual([]);
    expect(await t.sql('SELECT user_id FROM user_data_keys WHERE user_id = $1', [person.user.id])).toEqual([]);
    expect(
      await t.sql('SELECT id FROM data_requests WHERE kind = $1 AND completed_at IS NOT NULL AND id <> $2 AND subject_user_id IS NULL', [
        'EXPORT',
        done.id,
      ]),
    ).toEqual([]);
    expect(existsSync(path.join(t.dataDir, 'blobs', 'users', person.user.id))).toBe(false); // the folder, not only its files
    expect(await person.user.client.errorCode(MY_REQUESTS)).toBe('UNAUTHENTICATED');
  });
});

/** A grace period: the person is told when, may cancel, and the sweep hands it to the worker once due. */
describe('data requests: account deletion with a grace period', () => {
  const clock = new FakeClock();
  let t: TestApi;

  beforeAll(async () => {
    t = await startTestApi({ PRIVACY_SWEEP_CRON: '', DELETION_GRACE_DAYS: '7' }, { clock });
  }, 60_000);
  afterAll(() => t?.close());

  it('schedules, mails, can be canceled, and runs only after the grace period', async () => {
    const user = await aSignedInUser(t, 'leaving');
    const { requestAccountDeletion: first } = await user.client.ok(REQUEST_DELETION, { i: { password: user.password } });
    expect(first.status).toBe('APPROVED');
    expect(new Date(first.executeAfter).getTime() - new Date(first.approvedAt).getTime()).toBe(7 * 86_400_000);
    const mail = (await t.mailbox()).find((m) => m.to === user.email && /will be deleted/.test(m.subject));
    // The dashboard's privacy page is /privacy (a path it has no route for showed "Page not found").
    expect(mail?.text).toMatch(new RegExp(`http://localhost:${t.api.port}/privacy(\\s|$)`));
    expect(await user.client.errorCode(REQUEST_DELETION, { i: { password: user.password } })).toBe('CONFLICT');

    const { cancelAccountDeletion } = await user.client.ok(CANCEL_DELETION, { i: { id: first.id } });
    expect(cancelAccountDeletion.status).toBe('CANCELED');
    expect(await user.client.errorCode(CANCEL_DELETION, { i: { id: first.id } })).toBe('CONFLICT');
    clock.advanceDays(8);
    await t.api.app.get(RetentionSweeperService).sweepOnce();
    expect(await user.client.ok(`{ me { id } }`)).toEqual({ me: { id: user.id } });
    expect(await auditTrail(t, first.id)).toEqual(['DATA_REQUEST_APPROVED', 'DATA_REQUEST_CANCELED', 'DATA_REQUEST_CREATED']);

    const { requestAccountDeletion: second } = await user.client.ok(REQUEST_DELETION, { i: { password: user.password } });
    clock.advanceDays(6);
    await t.api.app.get(RetentionSweeperService).sweepOnce();
    expect((await t.sql('SELECT status FROM data_requests WHERE id = $1', [second.id]))[0].status).toBe('APPROVED');
    clock.advanceDays(1.01);
    await t.api.app.get(RetentionSweeperService).sweepOnce();
    expect((await untilRequest(t, second.id, ['COMPLETED', 'FAILED'])).status).toBe('COMPLETED');
    expect(await t.sql('SELECT id FROM users WHERE id = $1', [user.id])).toEqual([]);
  });

  it('cannot be canceled once its execution started (CONFLICT), nor by anyone else (NOT_FOUND)', async () => {
    const user = await aSignedInUser(t, 'started');
    const other = await aSignedInUser(t, 'someone-else');
    const { requestAccountDeletion } = await user.client.ok(REQUEST_DELETION, { i: { password: user.password } });
    expect(await other.client.errorCode(CANCEL_DELETION, { i: { id: requestAccountDeletion.id } })).toBe('NOT_FOUND');
    // As the worker's claim leaves it (the erasure itself would end the session).
    await t.sql(`UPDATE data_requests SET status = 'EXECUTING', started_at = now() WHERE id = $1`, [requestAccountDeletion.id]);
    expect(await user.client.errorCode(CANCEL_DELETION, { i: { id: requestAccountDeletion.id } })).toBe('CONFLICT');
    expect((await t.sql('SELECT status FROM data_requests WHERE id = $1', [requestAccountDeletion.id]))[0].status).toBe('EXECUTING');
  });
});
