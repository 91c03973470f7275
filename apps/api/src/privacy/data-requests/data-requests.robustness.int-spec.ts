import { randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import AdmZip from 'adm-zip';
import { FakeClock } from '../../common/clock.fake';
import { TeamKeysService } from '../../crypto/team-keys.service';
import { UserKeysService } from '../../crypto/user-keys.service';
import { BlobStore } from '../../storage/blob-store';
import { FakeBlobStore } from '../../storage/blob-store.fake';
import { EncryptedBlobsService } from '../../storage/encrypted-blobs.service';
import { PersonalDataRegistry, type ExportFile, type PersonalDataSource } from '../personal-data/personal-data.registry';
import { SubjectDataService } from '../personal-data/subject-data.service';
import { PolicyKind } from '../policies/dto/policy-kind.enum';
import { BUNDLED_POLICY_DOCUMENTS, PolicyDocuments } from '../policies/policy-documents';
import { aSignedInUser, type SignedInUser } from '../../../testing/builders';
import { archiveKeyOf, auditTrail, CREATE_REQUEST, DATA_REQUEST, makePlatformAdmin } from '../../../testing/data-requests-client';
import { startTestApi, type TestApi } from '../../../testing/test-api';
import { DataRequestExecutor, STALE_EXECUTION_MS } from './data-request-executor.service';
import { ExportArchiveService } from './export-archive.service';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { id } }`;
const RECORD_CONSENT = `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`;
const COOKIES_VERSION = PolicyDocuments.load(BUNDLED_POLICY_DOCUMENTS).current(PolicyKind.COOKIES).version;

/** Polls `probe` (a few ms apart) until it returns a value, or throws after `timeoutMs`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A blob store that does not read what it is given until `open()` (a slow or stalled S3). */
class StalledBlobStore extends FakeBlobStore {
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));
  open(): void {
    this.opened();
  }
  override async put(key: string, body: Readable): Promise<number> {
    await this.gate;
    return super.put(key, body);
  }
}

/**
 * What can go wrong around executing a data request: a worker dying after an erasure committed,
 * progress while an erasure's transaction is open, a sign-in racing an erasure, a big export,
 * and an export whose last attempt fails after its archive was written.
 */
describe('data requests: execution robustness', () => {
  const clock = new FakeClock();
  let t: TestApi;
  let admin: SignedInUser;
  let executor: DataRequestExecutor;

  beforeAll(async () => {
    t = await startTestApi({ PRIVACY_SWEEP_CRON: '' }, { clock });
    admin = await makePlatformAdmin(t, await aSignedInUser(t, 'robustness-admin'));
    executor = t.api.app.get(DataRequestExecutor, { strict: false });
  }, 60_000);
  afterAll(() => t?.close());

  /** A request opened by the admin, made APPROVED and due by SQL (no queue message: the test runs the worker itself). */
  async function anApprovedRequest(kind: 'EXPORT' | 'DELETION', person: SignedInUser): Promise<string> {
    const { createDataRequest } = await admin.client.ok(CREATE_REQUEST, { i: { email: person.email, kind, note: 'by letter' } });
    await t.sql(`UPDATE data_requests SET status = 'APPROVED', approved_at = $2, execute_after = $2 WHERE id = $1`, [
      createDataRequest.id,
      clock.now(),
    ]);
    return createDataRequest.id as string;
  }

  it('a deletion whose erasure committed before its worker died ends COMPLETED (not FAILED) when taken over, audited', async () => {
    const person = await aSignedInUser(t, 'erased-then-crashed');
    const id = await anApprovedRequest('DELETION', person);
    // The first attempt: claimed, the erasure commits … and the process dies before complete().
    const startedAt = clock.now();
    await t.sql(`UPDATE data_requests SET status = 'EXECUTING', started_at = $2, heartbeat_at = $2, attempts = 1 WHERE id = $1`, [
      id,
      startedAt,
    ]);
    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    await subjects.erase((await subjects.resolveSubject(person.id))!);
    expect(await t.sql('SELECT status, subject_user_id FROM data_requests WHERE id = $1', [id])).toEqual([
      { status: 'EXECUTING', subject_user_id: null },
    ]);

    // No sign of life for longer than the takeover delay: another worker claims it.
    clock.advance(STALE_EXECUTION_MS + 60_000);
    expect(await executor.handle(id)).toMatchObject({ kind: 'succeeded' });

    const [row] = await t.sql('SELECT * FROM data_requests WHERE id = $1', [id]);
    expect(row).toMatchObject({ status: 'COMPLETED', error_code: null, subject_email_index: null, note: null, progress: 1, step: 'done' });
    expect(row.receipt).toMatchObject({ counts: { 'account.alreadyErased': 1 } });
    expect(await auditTrail(t, id)).toEqual(['DATA_REQUEST_COMPLETED', 'DATA_REQUEST_CREATED', 'DATA_REQUEST_EXECUTING']);
    const { dataRequest } = await admin.client.ok(DATA_REQUEST, { id });
    expect(dataRequest).toMatchObject({
      status: 'COMPLETED',
      errorCode: null,
      receipt: { items: [{ name: 'account.alreadyErased', count: 1 }] },
    });
  });

  it('an export whose subject is gone still FAILS with SUBJECT_GONE (only a deletion is done by then)', async () => {
    const person = await aSignedInUser(t, 'export-of-gone');
    const id = await anApprovedRequest('EXPORT', person);
    await t.sql(`UPDATE data_requests SET status = 'EXECUTING', started_at = $2, heartbeat_at = $2, attempts = 1 WHERE id = $1`, [
      id,
      clock.now(),
    ]);
    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    await subjects.erase((await subjects.resolveSubject(person.id))!);
    clock.advance(STALE_EXECUTION_MS + 60_000);
    expect(await executor.handle(id)).toMatchObject({ kind: 'failed', reason: 'SUBJECT_GONE' });
  });

  it('shows an erasure’s progress (step, progress, heartbeat) while its transaction is still open: the request row is not locked by it', async () => {
    const person = await aSignedInUser(t, 'slow-erasure');
    let reached!: () => void;
    const atSlowSource = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: PersonalDataSource = {
      name: 'test-slow-source',
      eraseOrder: 50,
      erase: async (subject) => {
        if (subject.userId === person.id) {
          reached();
          await gate;
        }
        return { counts: {} };
      },
    };
    const registry = t.api.app.get(PersonalDataRegistry);
    registry.register(slow);
    const erasing = registry.sources().filter((s) => s.erase);
    const before = erasing[erasing.indexOf(slow) - 1];

    const id = await anApprovedRequest('DELETION', person);
    const running = executor.handle(id);
    try {
      await atSlowSource;
      const seen = await until('the progress of the sources before the slow one', async () => {
        const [row] = await t.sql('SELECT status, step, progress, heartbeat_at FROM data_requests WHERE id = $1', [id]);
        return row.step === `erase:${before.name}` ? row : undefined;
      });
      expect(seen).toMatchObject({ status: 'EXECUTING' });
      expect(seen.progress).toBeCloseTo(0.95 * (erasing.indexOf(slow) / erasing.length), 5);
      expect(await t.sql('SELECT id FROM users WHERE id = $1', [person.id])).toHaveLength(1); // not committed yet
    } finally {
      release();
    }
    expect(await running).toMatchObject({ kind: 'succeeded' });
    expect(await t.sql('SELECT status, step FROM data_requests WHERE id = $1', [id])).toEqual([{ status: 'COMPLETED', step: 'done' }]);
  });

  /**
   * A personal-data source whose first `workers` exports of `person` each stop until released (a worker frozen
   * mid-export); `files(call)` gives each call's files.
   */
  function stalledExports(person: SignedInUser, workers: number, files: (call: number) => ExportFile[] = () => []) {
    const gates: (() => void)[] = [];
    const arrivals: (() => void)[] = [];
    const reached = Array.from({ length: workers }, (_, i) => new Promise<void>((resolve) => (arrivals[i] = resolve)));
    let calls = 0;
    t.api.app.get(PersonalDataRegistry).register({
      name: `test-stalling-export-${person.id}`,
      exportFor: async (subject) => {
        if (subject.userId !== person.id) return { data: {} };
        const call = calls++;
        if (call < workers)
          await new Promise<void>((resolve) => {
            gates[call] = resolve;
            arrivals[call]();
          });
        return { data: {}, files: files(call) };
      },
    });
    return { reached: (call: number) => reached[call], release: (call: number) => gates[call]() };
  }

  /** Lets the request's worker look dead: its progress writes (made before the clock moves on) land, then the clock passes the takeover delay. */
  async function goStale(id: string): Promise<void> {
    const snapshot = () =>
      t.sql('SELECT step, progress, heartbeat_at FROM data_requests WHERE id = $1', [id]).then((rows) => JSON.stringify(rows));
    await until('the first worker’s progress to settle', async () => {
      const before = await snapshot();
      await new Promise((r) => setTimeout(r, 150));
      return (await snapshot()) === before ? true : undefined;
    });
    clock.advance(STALE_EXECUTION_MS + 60_000);
  }

  /**
   * An export of a new person taken over: its first worker stops mid-export and is taken for dead, and the second,
   * which claims it (after `meanwhile`), stops mid-export too; both wait for exports.release(0 or 1).
   */
  async function anExportTakenOver(name: string, files?: (call: number) => ExportFile[], meanwhile?: (id: string) => Promise<void>) {
    const person = await aSignedInUser(t, name);
    const exports = stalledExports(person, 2, files);
    const id = await anApprovedRequest('EXPORT', person);
    const first = executor.handle(id);
    await exports.reached(0);
    await goStale(id);
    await meanwhile?.(id);
    const second = executor.handle(id);
    await exports.reached(1);
    return { person, exports, id, first, second };
  }

  const completions = async (id: string) => (await auditTrail(t, id)).filter((a) => a === 'DATA_REQUEST_COMPLETED').length;

  it('a worker taken for dead and taken over changes nothing after: the one that took over completes the export, once', async () => {
    // Regression (review): a live worker that wrote no progress for 15 minutes (a long archive upload) was taken over,
    // and it still completed (and mailed) the request the other worker held; each worker's changes now need its own claim.
    const { person, exports, id, first, second } = await anExportTakenOver('taken-over');
    // The first worker goes on and finishes first, while the second holds the request.
    exports.release(0);
    expect((await first).kind).not.toBe('succeeded');
    expect(await t.sql('SELECT status, attempts FROM data_requests WHERE id = $1', [id])).toEqual([{ status: 'EXECUTING', attempts: 2 }]);
    exports.release(1);
    expect(await second).toMatchObject({ kind: 'succeeded' });
    expect(await completions(id)).toBe(1);
    const readyMails = async () => (await t.mailbox()).filter((m) => m.to === person.email && /export is ready/.test(m.subject)).length;
    await until('the export-ready mail', async () => ((await readyMails()) > 0 ? true : undefined));
    expect(await readyMails()).toBe(1);
    expect(await t.api.app.get(BlobStore, { strict: false }).exists(await archiveKeyOf(t, id))).toBe(true);
  });

  it('a worker taken for dead that wakes after the export completed leaves the completed archive alone, and none of its own', async () => {
    // Regression (review): every attempt wrote the same archive key, and writing starts by deleting it: a worker
    // taken for dead that woke after the completion deleted the completed export's archive, and failing, wrote none.
    const unreadable: ExportFile = {
      path: 'images/a.bin',
      read: () => Promise.reject(new Error('the image store went away')),
    };
    const readable: ExportFile = { path: 'images/a.bin', read: async () => Buffer.from('a result') };
    const { person, exports, id, first, second } = await anExportTakenOver('wakes-late', (call) => [call === 0 ? unreadable : readable]);
    exports.release(1);
    expect(await second).toMatchObject({ kind: 'succeeded' });
    exports.release(0);
    expect((await first).kind).not.toBe('succeeded');

    const key = await archiveKeyOf(t, id);
    const store = t.api.app.get(BlobStore, { strict: false });
    expect((await store.list(`users/${person.id}/exports/`, { limit: 10 })).blobs.map((b) => b.key)).toEqual([key]);
    const zip = new AdmZip(await t.api.app.get(EncryptedBlobsService, { strict: false }).read({ userId: person.id }, key));
    expect(zip.readAsText('images/a.bin')).toBe('a result');
  });

  it('a worker taken for dead changes nothing after its request failed and was approved again, though attempts start over', async () => {
    // Regression (review): a worker's claim was its attempt number, which approving a FAILED request again resets:
    // the frozen worker's number came round again and it completed the request the new worker held.
    // Meanwhile the request fails, and an admin approves it again (as approve() does: attempts back to 0).
    const { exports, id, first, second } = await anExportTakenOver('claim-comes-round', undefined, async (request) => {
      await t.sql(`UPDATE data_requests SET status = 'FAILED', error_code = 'INTERNAL' WHERE id = $1`, [request]);
      await t.sql(`UPDATE data_requests SET status = 'APPROVED', attempts = 0, error_code = NULL, execute_after = $2 WHERE id = $1`, [
        request,
        clock.now(),
      ]);
    });
    exports.release(0);
    expect((await first).kind).not.toBe('succeeded');
    expect(await t.sql('SELECT status, attempts FROM data_requests WHERE id = $1', [id])).toEqual([{ status: 'EXECUTING', attempts: 1 }]);
    exports.release(1);
    expect(await second).toMatchObject({ kind: 'succeeded' });
    expect(await completions(id)).toBe(1);
  });

  it('deletes the archive when the last attempt of an export fails after the archive was written', async () => {
    const person = await aSignedInUser(t, 'export-fails-late');
    const id = await anApprovedRequest('EXPORT', person);
    // Completing this request fails (after write() succeeded), on every attempt.
    await t.sql(`CREATE FUNCTION test_refuse_completion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'completion refused by the test'; END $$`);
    await t.sql(`CREATE TRIGGER test_refuse_completion BEFORE UPDATE ON data_requests FOR EACH ROW
      WHEN (NEW.id = '${id}' AND NEW.status = 'COMPLETED') EXECUTE FUNCTION test_refuse_completion()`);
    const store = t.api.app.get(BlobStore, { strict: false });
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 10 && outcomes.at(-1) !== 'failed'; i++) outcomes.push((await executor.handle(id)).kind);
      expect(outcomes).toEqual(['retry', 'retry', 'failed']);
    } finally {
      await t.sql('DROP TRIGGER test_refuse_completion ON data_requests');
      await t.sql('DROP FUNCTION test_refuse_completion()');
    }
    expect(await t.sql('SELECT status, error_code, export_blob_key FROM data_requests WHERE id = $1', [id])).toEqual([
      { status: 'FAILED', error_code: 'INTERNAL', export_blob_key: null },
    ]);
    expect((await store.list(`users/${person.id}/exports/`, { limit: 10 })).blobs).toEqual([]);
  });

  it('writes an export archive image by image: while the store does not read, the next image is not even read', async () => {
    const person = await aSignedInUser(t, 'big-export');
    const store = new StalledBlobStore();
    const blobs = new EncryptedBlobsService(
      store,
      t.api.app.get(TeamKeysService, { strict: false }),
      t.api.app.get(UserKeysService, { strict: false }),
    );
    const archives = new ExportArchiveService(blobs);
    const images = Array.from({ length: 4 }, () => randomBytes(2 << 20));
    let reads = 0;
    const files = images.map((bytes, i) => ({
      path: `images/${i}.bin`,
      read: async () => {
        reads += 1;
        return bytes;
      },
    }));
    const owner = { userId: person.id, requestId: randomUUID(), claimId: randomUUID() };
    const writing = archives.write(owner, { sections: { profile: { ok: true } }, files }, clock.now());
    await until('the first image to be read', async () => (reads >= 1 ? true : undefined));
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(reads).toBe(1);

    store.open();
    const written = await writing;
    expect(written.counts).toMatchObject({ files: 4, filesGone: 0 });
    const zip = new AdmZip(await blobs.read({ userId: person.id }, ExportArchiveService.key(owner)));
    images.forEach((bytes, i) => expect(zip.readFile(`images/${i}.bin`)?.equals(bytes)).toBe(true));
    expect(JSON.parse(zip.readAsText('export.json'))).toMatchObject({ manifest: { requestId: owner.requestId }, profile: { ok: true } });
  });

  describe('a sign-in racing an erasure', () => {
    /** Installs a trigger that deletes the person's user row right before `table`'s INSERT (the erasure commits in between). */
    async function erasedRightBeforeInsertInto(table: 'sessions' | 'consent_record_users', run: () => Promise<void>): Promise<void> {
      await t.sql(`CREATE FUNCTION test_erase_first() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN DELETE FROM users WHERE id = NEW.user_id; RETURN NEW; END $$`);
      await t.sql(`CREATE TRIGGER test_erase_first BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION test_erase_first()`);
      try {
        await run();
      } finally {
        await t.sql(`DROP TRIGGER test_erase_first ON ${table}`);
        await t.sql('DROP FUNCTION test_erase_first()');
      }
    }

    it('answers UNAUTHENTICATED like a wrong password (not a 500) when the account goes before the session is stored', async () => {
      const person = await aSignedInUser(t, 'signs-in-while-erased');
      const client = t.client();
      const sessions = await t.sql('SELECT id FROM sessions WHERE user_id = $1', [person.id]);
      await erasedRightBeforeInsertInto('sessions', async () => {
        const res = await client.gql(SIGN_IN, { i: { email: person.email, password: person.password } });
        expect(res.errors?.[0]).toMatchObject({ message: 'Invalid email or password.', extensions: { code: 'UNAUTHENTICATED' } });
        expect(res.setCookie).toEqual([]);
      });
      expect(await t.sql('SELECT id FROM sessions WHERE user_id = $1', [person.id])).toEqual(sessions); // no new one
    });

    it('answers UNAUTHENTICATED, and leaves no session, when the account goes before the visitor’s consent is linked', async () => {
      const person = await aSignedInUser(t, 'visitor-while-erased');
      const visitor = t.client();
      await visitor.ok(RECORD_CONSENT, { i: { categories: ['PERFORMANCE'], policyVersion: COOKIES_VERSION, source: 'BANNER' } });
      const sessions = await t.sql('SELECT id FROM sessions WHERE user_id = $1', [person.id]);
      await erasedRightBeforeInsertInto('consent_record_users', async () => {
        const res = await visitor.gql(SIGN_IN, { i: { email: person.email, password: person.password } });
        expect(res.errors?.[0]).toMatchObject({ message: 'Invalid email or password.', extensions: { code: 'UNAUTHENTICATED' } });
        expect(res.setCookie.filter((c) => c.startsWith('cutout_session='))).toEqual([]);
      });
      expect(await t.sql('SELECT id FROM sessions WHERE user_id = $1', [person.id])).toEqual(sessions); // no new one
    });
  });
});
