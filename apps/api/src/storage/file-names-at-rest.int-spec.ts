import { randomBytes, randomUUID } from 'node:crypto';
import { aSignedInUser, type SignedInUser } from '../../testing/builders';
import { JOB, REMOVE, uploadImage } from '../../testing/jobs-client';
import { dumpDatabase, tracesIn, textTraces } from '../../testing/personal-data.traces';
import { aSubjectImage } from '../../testing/test-images';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { TeamKeysService } from '../crypto/team-keys.service';
import { SubjectDataService } from '../privacy/personal-data/subject-data.service';
import { EncryptedBlobsService } from './encrypted-blobs.service';

const LINKS = `query($id: ID!) { job(id: $id) { id filename inputUrl resultUrl thumbnailUrl } }`;
const JOBS = `query($t: ID!) { jobs(teamId: $t, first: 100) { edges { node { id filename } } } }`;
const local = (url: string) => url.replace('localhost', '127.0.0.1');

/** A file name that names someone, unique to the test (so a trace of it can only be this one). */
const aPersonalFileName = (who: string) => `${who}-passport-${randomBytes(4).toString('hex')}.png`;

/**
 * DESIGN §4: personal fields are stored encrypted, and destroying a team's data key makes every copy
 * of its data unreadable. User-supplied file names ("maria-lopez-passport.png") are personal data:
 * the rows of `uploads` and `jobs` (and so any backup of them) must not hold them readable, while
 * every reader (GraphQL, download names, the data export) still gets them.
 */
describe('file names at rest', () => {
  let t: TestApi;
  let owner: SignedInUser;

  beforeAll(async () => {
    // No worker (ROLE=api): jobs stay QUEUED; a result is stored by the test where one is needed.
    t = await startTestApi({ ROLE: 'api' });
  }, 60_000);
  afterAll(() => t?.close());

  beforeEach(async () => {
    owner = await aSignedInUser(t, `names-${randomUUID().slice(0, 8)}`);
  });

  /** A job from a declared upload (createUpload + PUT) and one from an inline image, each with its own file name. */
  const twoJobs = async (teamId: string) => {
    const image = await aSubjectImage('png', 48, 48);
    const declaredName = aPersonalFileName('maria-lopez');
    const inlineName = aPersonalFileName('jose-garcia');
    const upload = await uploadImage(owner.client, teamId, image, 'image/png', declaredName);
    expect(upload.put.status).toBe(200);
    const { removeBackground: declared } = await owner.client.ok(REMOVE, {
      i: { teamId, uploadId: upload.id, idempotencyKey: randomUUID(), options: { format: 'PNG' } },
    });
    const { removeBackground: inline } = await owner.client.ok(REMOVE, {
      i: { teamId, imageBase64: image.toString('base64'), filename: inlineName, idempotencyKey: randomUUID() },
    });
    return {
      image,
      jobs: [
        { id: declared.id as string, name: declaredName },
        { id: inline.id as string, name: inlineName },
      ],
    };
  };

  /** The team's rows of `uploads` and `jobs`, every column, as PostgreSQL prints them (bytea as hex). */
  const rawRows = async (teamId: string) =>
    Buffer.from(
      (
        await t.sql<{ row: string }>(
          `SELECT u::text AS row FROM uploads u WHERE team_id = $1 UNION ALL SELECT j::text FROM jobs j WHERE team_id = $1`,
          [teamId],
        )
      )
        .map((r) => r.row)
        .join('\n'),
    );

  /** Stores a result for a QUEUED job and marks it SUCCEEDED, as a worker would (no inference service here). */
  const finish = async (teamId: string, jobId: string, result: Buffer) => {
    const key = EncryptedBlobsService.key(teamId, 'results', `${jobId}.png`);
    await t.api.app.get(EncryptedBlobsService).put(teamId, key, result);
    await t.sql(
      `UPDATE jobs SET status = 'SUCCEEDED', stage = 'STORED', progress = 1, result_blob_key = $2, result_content_type = 'image/png',
              result_width = 48, result_height = 48, result_bytes = $3, finished_at = now(), version = version + 1 WHERE id = $1`,
      [jobId, key, result.length],
    );
  };

  it('stores no trace of an upload’s or a job’s file name in any table, while the API, the download names and the export still give it', async () => {
    const teamId = owner.personalTeamId;
    const { image, jobs } = await twoJobs(teamId);

    for (const { name } of jobs) {
      expect(tracesIn(await rawRows(teamId), textTraces(name))).toEqual([]);
      expect(tracesIn((await dumpDatabase(t.env.DATABASE_URL)).bytes, textTraces(name))).toEqual([]);
    }

    // GraphQL: job(id) and the jobs list.
    for (const { id, name } of jobs) expect((await owner.client.ok(JOB, { id })).job.filename).toBe(name);
    const { jobs: list } = await owner.client.ok(JOBS, { t: teamId });
    expect(new Map(list.edges.map((e: { node: { id: string; filename: string } }) => [e.node.id, e.node.filename]))).toEqual(
      new Map(jobs.map((j) => [j.id, j.name])),
    );

    // Download names: the original, the result and its thumbnail.
    const [declared] = jobs;
    await finish(teamId, declared.id, image);
    const { job } = await owner.client.ok(LINKS, { id: declared.id });
    const base = declared.name.replace(/\.png$/, '');
    const disposition = async (url: string) => {
      const res = await fetch(local(url));
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      return res.headers.get('content-disposition');
    };
    expect(await disposition(job.inputUrl)).toBe(`inline; filename="${base}.png"`);
    expect(await disposition(job.resultUrl)).toBe(`attachment; filename="${base}-cutout.png"`);
    expect(await disposition(job.thumbnailUrl)).toBe(`inline; filename="${base}-thumbnail.webp"`);

    // The person's data export (jobs and uploads of their personal team).
    const subjects = t.api.app.get(SubjectDataService, { strict: false });
    const { sections } = await subjects.collectExport((await subjects.resolveSubject(owner.id))!);
    const s = sections as { jobs: { id: string; inputFilename: string }[]; storage: { uploads: { filename: string }[] } };
    expect(new Map(s.jobs.map((j) => [j.id, j.inputFilename]))).toEqual(new Map(jobs.map((j) => [j.id, j.name])));
    expect(s.storage.uploads.map((u) => u.filename).sort()).toEqual(jobs.map((j) => j.name).sort());
  });

  it('after the team’s data key is destroyed, no copy of the rows names the files, and listing the jobs still answers', async () => {
    const teamId = owner.personalTeamId;
    const { jobs } = await twoJobs(teamId);
    // A "backup": the rows as they are now.
    const backup = await rawRows(teamId);

    // Crypto-shredding as an erasure does it, the rows left in place (what a reader may meet before they go).
    const teamKeys = t.api.app.get(TeamKeysService);
    expect(await teamKeys.destroy(teamId)).toBe(1);

    for (const { name } of jobs) expect(tracesIn(backup, textTraces(name))).toEqual([]);
    const res = await owner.client.gql(JOBS, { t: teamId });
    expect(res.errors).toBeUndefined();
    const names = (res.data?.jobs.edges as { node: { id: string; filename: string } }[]).map((e) => e.node.filename);
    expect(names).toHaveLength(jobs.length);
    for (const { name } of jobs) expect(names).not.toContain(name);
    // Reading did not make the team a new key.
    expect(await t.sql('SELECT 1 FROM team_data_keys WHERE team_id = $1', [teamId])).toEqual([]);
  });
});
