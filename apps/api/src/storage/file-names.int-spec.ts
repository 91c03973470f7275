import { randomBytes, randomUUID } from 'node:crypto';
import { aSignedInUser, type SignedInUser } from '../../testing/builders';
import { storedFileNames } from '../../testing/file-names';
import { JOB, REMOVE } from '../../testing/jobs-client';
import { tracesIn, textTraces } from '../../testing/personal-data.traces';
import { aSubjectImage } from '../../testing/test-images';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { TeamKeysService } from '../crypto/team-keys.service';
import { SubjectDataService } from '../privacy/personal-data/subject-data.service';
import { RetentionSweeperService } from '../privacy/retention/retention-sweeper.service';
import { FileNames, JOB_FILE_NAMES, UNREADABLE_FILE_NAME, UPLOAD_FILE_NAMES, type StoredFileName } from './file-names';

const CREATE_UPLOAD = `mutation($i: CreateUploadInput!) { createUpload(input: $i) { id } }`;
const JOBS = `query($t: ID!) { jobs(teamId: $t, first: 100) { edges { node { id filename } } } }`;
const INPUT_URL = `query($id: ID!) { job(id: $id) { inputUrl } }`;
const local = (url: string) => url.replace('localhost', '127.0.0.1');
const aName = (who: string) => `${who}-${randomBytes(4).toString('hex')}.png`;

/**
 * How file names are sealed (FileNames): under the team's data key, so an erasure's crypto-shredding
 * takes them with the images; rows written before names were sealed are read as they are and sealed
 * by the sweep; file names are still checked as before.
 */
describe('file names sealed under the team’s data key', () => {
  let t: TestApi;
  let owner: SignedInUser;
  let fileNames: FileNames;

  beforeAll(async () => {
    // No worker (ROLE=api): jobs stay QUEUED.
    t = await startTestApi({ ROLE: 'api' });
    fileNames = t.api.app.get(FileNames, { strict: false });
  }, 60_000);
  afterAll(() => t?.close());

  beforeEach(async () => {
    owner = await aSignedInUser(t, `sealed-${randomUUID().slice(0, 8)}`);
  });

  const image = () => aSubjectImage('png', 40, 40);
  const inlineJob = async (name: string): Promise<string> => {
    const imageBase64 = (await image()).toString('base64');
    const { removeBackground } = await owner.client.ok(REMOVE, {
      i: { teamId: owner.personalTeamId, imageBase64, filename: name, idempotencyKey: randomUUID() },
    });
    return removeBackground.id as string;
  };
  /** Both forms of every name a table holds for the team, as stored. */
  const stored = (table: 'uploads' | 'jobs') => {
    const { legacy, sealed } = table === 'uploads' ? UPLOAD_FILE_NAMES : JOB_FILE_NAMES;
    return t.sql<{ id: string; legacy: string | null; sealed: Buffer | null }>(
      `SELECT id, ${legacy} AS legacy, ${sealed} AS sealed FROM ${table} WHERE team_id = $1 ORDER BY id`,
      [owner.personalTeamId],
    );
  };
  /** Turns the team's rows back into rows written before names were sealed (what the migration leaves). */
  const makeLegacy = async (table: 'uploads' | 'jobs', names: Map<string, string>) => {
    const { legacy, sealed } = table === 'uploads' ? UPLOAD_FILE_NAMES : JOB_FILE_NAMES;
    for (const [id, name] of names) await t.sql(`UPDATE ${table} SET ${legacy} = $2, ${sealed} = NULL WHERE id = $1`, [id, name]);
  };
  const jobNames = async () => {
    const { jobs } = await owner.client.ok(JOBS, { t: owner.personalTeamId });
    return new Map((jobs.edges as { node: { id: string; filename: string } }[]).map((e) => [e.node.id, e.node.filename]));
  };

  it('an erasure destroys the key: a copy of the sealed names taken before cannot be opened; the rows and the key are gone', async () => {
    const names = [aName('maria-lopez'), aName('jose-garcia')];
    const ids = [await inlineJob(names[0]), await inlineJob(names[1])];
    const backup: StoredFileName[] = [...(await stored('jobs')), ...(await stored('uploads'))];
    expect(backup.every((s) => s.legacy === null && s.sealed !== null)).toBe(true);
    expect((await fileNames.openAll(owner.personalTeamId, backup)).sort()).toEqual([...names, ...names].sort());

    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    const receipt = await subjects.erase((await subjects.resolveSubject(owner.id))!);
    expect(receipt.counts).toMatchObject({ 'jobs.deleted': 2, 'storage.uploads': 2, 'storage.dataKeysDestroyed': 1 });
    expect(await t.sql('SELECT id FROM jobs WHERE id = ANY($1::uuid[])', [ids])).toEqual([]);

    // The copy names nobody, and nothing the platform still holds opens it; reading it made no key.
    for (const name of names) expect(tracesIn(Buffer.concat(backup.map((s) => s.sealed!)), textTraces(name))).toEqual([]);
    expect(await fileNames.openAll(owner.personalTeamId, backup)).toEqual(backup.map(() => null));
    expect(await t.sql('SELECT 1 FROM team_data_keys WHERE team_id = $1', [owner.personalTeamId])).toEqual([]);
  });

  it('a job whose team key is gone (before its rows go) lists with the placeholder name, and its original answers 500 like any unreadable blob: nothing crashes', async () => {
    const id = await inlineJob(aName('ana-silva'));
    const { job } = await owner.client.ok(INPUT_URL, { id });
    expect(await t.api.app.get(TeamKeysService).destroy(owner.personalTeamId)).toBe(1);
    expect(await jobNames()).toEqual(new Map([[id, UNREADABLE_FILE_NAME]]));
    expect((await owner.client.ok(JOB, { id })).job.filename).toBe(UNREADABLE_FILE_NAME);
    // The image itself is unreadable too: refused as any blob that fails authentication, and reading it made no key.
    expect((await fetch(local(job.inputUrl))).status).toBe(500);
    expect(await t.sql('SELECT 1 FROM team_data_keys WHERE team_id = $1', [owner.personalTeamId])).toEqual([]);
  });

  it('reads legacy plaintext rows as they are, and the sweep seals them (in batches), after which no plaintext is left', async () => {
    const teamId = owner.personalTeamId;
    const names = [aName('legacy-a'), aName('legacy-b'), aName('legacy-c')];
    const ids: string[] = [];
    for (const name of names) ids.push(await inlineJob(name));
    const jobsByName = new Map(ids.map((id, i) => [id, names[i]]));
    await makeLegacy('jobs', jobsByName);
    const uploadsByName = new Map((await stored('uploads')).map((u, i) => [u.id, `upload-${names[i]}`]));
    await makeLegacy('uploads', uploadsByName);
    expect((await stored('jobs')).every((r) => r.legacy !== null && r.sealed === null)).toBe(true);

    // A declared upload written before names were sealed, PUT and submitted since: its job stores the name sealed.
    const declaredName = aName('legacy-declared');
    const bytes = await image();
    const { createUpload } = await owner.client.ok(`mutation($i: CreateUploadInput!) { createUpload(input: $i) { id uploadUrl } }`, {
      i: { teamId, filename: 'renamed-below.png', contentType: 'image/png', byteSize: bytes.length },
    });
    await makeLegacy('uploads', new Map([[createUpload.id as string, declaredName]]));
    uploadsByName.set(createUpload.id, declaredName);
    const put = await fetch(local(createUpload.uploadUrl), {
      method: 'PUT',
      body: new Uint8Array(bytes),
      headers: { 'content-type': 'image/png' },
    });
    expect(put.status).toBe(200);
    const { removeBackground } = await owner.client.ok(REMOVE, { i: { teamId, uploadId: createUpload.id, idempotencyKey: randomUUID() } });
    expect(removeBackground.filename).toBe(declaredName);
    expect((await stored('jobs')).find((r) => r.id === removeBackground.id)).toMatchObject({ legacy: null, sealed: expect.any(Buffer) });
    const allJobs = new Map([...jobsByName, [removeBackground.id as string, declaredName]]);

    // Every reader takes the legacy form: GraphQL, the download name, the export.
    expect(await jobNames()).toEqual(allJobs);
    const res = await fetch(local((await owner.client.ok(INPUT_URL, { id: ids[0] })).job.inputUrl));
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="${names[0].replace(/\.png$/, '')}.png"`);
    await res.arrayBuffer();
    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    const { sections } = await subjects.collectExport((await subjects.resolveSubject(owner.id))!);
    const s = sections as { jobs: { id: string; inputFilename: string }[]; storage: { uploads: { id: string; filename: string }[] } };
    expect(new Map(s.jobs.map((j) => [j.id, j.inputFilename]))).toEqual(allJobs);
    expect(new Map(s.storage.uploads.map((u) => [u.id, u.filename]))).toEqual(uploadsByName);

    // The sweep: jobs in batches of 2 here (3 rows: two batches), then the retention sweeper's tasks do the rest.
    expect(await fileNames.sealAllLegacy(JOB_FILE_NAMES, 2)).toBe(3);
    const report = await t.api.app.get(RetentionSweeperService).sweepOnce();
    expect(report.failed).toEqual([]);
    expect(report.counts).toMatchObject({ uploadFileNamesSealed: uploadsByName.size, jobFileNamesSealed: 0 });
    expect((await t.api.app.get(RetentionSweeperService).sweepOnce()).counts).toMatchObject({
      uploadFileNamesSealed: 0,
      jobFileNamesSealed: 0,
    });

    // No plaintext is left, and every reader still gives the names.
    for (const table of ['uploads', 'jobs'] as const) {
      const rows = await stored(table);
      expect(rows.every((r) => r.legacy === null && r.sealed !== null)).toBe(true);
      const raw = Buffer.concat(rows.map((r) => r.sealed!));
      for (const name of [...names, declaredName]) expect(tracesIn(raw, textTraces(name))).toEqual([]);
    }
    expect(await t.sql('SELECT count(*)::int AS n FROM uploads WHERE filename IS NOT NULL')).toEqual([{ n: 0 }]);
    expect(await t.sql('SELECT count(*)::int AS n FROM jobs WHERE input_filename IS NOT NULL')).toEqual([{ n: 0 }]);
    expect(await jobNames()).toEqual(allJobs);
    expect(await storedFileNames(t, 'uploads', teamId)).toEqual(uploadsByName);
  });

  it('the legacy sweep makes no data key for a team erased after it listed the team’s rows', async () => {
    const teamId = owner.personalTeamId;
    const id = await inlineJob(aName('maria-lopez'));
    await makeLegacy('jobs', new Map([[id, aName('maria-lopez')]]));
    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    // The erasure commits between the sweep's listing and its sealing of that team's rows (whichever step seals).
    const steps = fileNames as unknown as Record<'seal' | 'sealTeamLegacy', (...args: unknown[]) => Promise<unknown>>;
    const originals = { seal: steps.seal, sealTeamLegacy: steps.sealTeamLegacy };
    let erased = false;
    for (const step of ['seal', 'sealTeamLegacy'] as const)
      steps[step] = async (...args: unknown[]) => {
        if (!erased && args.includes(teamId)) {
          erased = true;
          await subjects.erase((await subjects.resolveSubject(owner.id))!);
        }
        return originals[step]?.apply(fileNames, args);
      };
    try {
      await fileNames.sealAllLegacy(JOB_FILE_NAMES);
    } finally {
      Object.assign(steps, originals);
    }
    expect(erased).toBe(true);
    expect(await t.sql('SELECT id FROM jobs WHERE id = $1', [id])).toEqual([]);
    expect(await t.sql('SELECT 1 FROM team_data_keys WHERE team_id = $1', [teamId])).toEqual([]);
  });

  it('still refuses an empty or over-long file name (BAD_USER_INPUT on `filename`), storing nothing; 255 characters round-trip', async () => {
    const teamId = owner.personalTeamId;
    const byteSize = (await image()).length;
    const before = await t.sql('SELECT id FROM uploads WHERE team_id = $1', [teamId]);
    for (const filename of ['', '   ', '\u0007\u202E', 'x'.repeat(256), `${'é'.repeat(252)}.png`]) {
      const upload = await owner.client.gql(CREATE_UPLOAD, { i: { teamId, filename, contentType: 'image/png', byteSize } });
      expect(upload.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filename' });
      const inline = await owner.client.gql(REMOVE, {
        i: { teamId, imageBase64: (await image()).toString('base64'), filename, idempotencyKey: randomUUID() },
      });
      expect(inline.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filename' });
    }
    expect(await t.sql('SELECT id FROM uploads WHERE team_id = $1', [teamId])).toEqual(before);
    expect(await t.sql('SELECT id FROM jobs WHERE team_id = $1', [teamId])).toEqual([]);

    const longest = `${'é'.repeat(251)}.png`;
    const id = await inlineJob(longest);
    expect((await owner.client.ok(JOB, { id })).job.filename).toBe(longest);
  });
});
