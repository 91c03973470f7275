import { randomUUID } from 'node:crypto';
import { aSignedInUser, type SignedInUser } from '../../../testing/builders';
import { REMOVE } from '../../../testing/jobs-client';
import { aSubjectImage } from '../../../testing/test-images';
import { startTestApi, type TestApi } from '../../../testing/test-api';

const JOBS = `query($t: ID!, $first: Int, $after: String, $status: JobStatus) {
  jobs(teamId: $t, first: $first, after: $after, status: $status) { edges { node { id status } } pageInfo { hasNextPage endCursor } } }`;

interface JobsPage {
  edges: { node: { id: string; status: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The `jobs` list as the History page reads it: newest first, a page at a time. */
describe('jobs: newest first', () => {
  let t: TestApi;
  let owner: SignedInUser;

  beforeAll(async () => {
    // No worker (ROLE=api): the jobs stay QUEUED.
    t = await startTestApi({ ROLE: 'api' });
  }, 60_000);
  afterAll(() => t?.close());

  beforeEach(async () => {
    owner = await aSignedInUser(t, `jobs-list-${randomUUID().slice(0, 8)}`);
  });

  /** Submits `count` jobs one after another; their ids in submission order. */
  const submit = async (count: number): Promise<string[]> => {
    const imageBase64 = (await aSubjectImage('png', 48, 48)).toString('base64');
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const { removeBackground } = await owner.client.ok(REMOVE, {
        i: { teamId: owner.personalTeamId, imageBase64, idempotencyKey: randomUUID(), filename: `photo-${i}.png` },
      });
      ids.push(removeBackground.id);
    }
    return ids;
  };

  /** Every page of size `first`, in the order the API answers them. */
  const allPages = async (first: number, status?: string): Promise<JobsPage[]> => {
    const pages: JobsPage[] = [];
    let after: string | null = null;
    for (;;) {
      const { jobs } = (await owner.client.ok(JOBS, { t: owner.personalTeamId, first, after, status })) as { jobs: JobsPage };
      pages.push(jobs);
      if (!jobs.pageInfo.hasNextPage) return pages;
      after = jobs.pageInfo.endCursor;
    }
  };
  const idsOf = (pages: JobsPage[]) => pages.map((p) => p.edges.map((e) => e.node.id));

  it('lists the newest job first and pages towards older ones without repeats or gaps', async () => {
    const [a, b, c] = await submit(3);
    const pages = await allPages(2);
    expect(idsOf(pages)).toEqual([[c, b], [a]]);
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, false]);
    // Filtered by status, the same order.
    expect(idsOf(await allPages(2, 'QUEUED'))).toEqual([[c, b], [a]]);
    expect(idsOf(await allPages(2, 'SUCCEEDED'))).toEqual([[]]);
  });

  it('breaks ties of created_at by id, newest first, consistently across pages', async () => {
    const ids = await submit(3);
    // Three jobs created in the same instant: the cursor must still move strictly through them.
    await t.sql(`UPDATE jobs SET created_at = '2026-01-02T03:04:05.678Z' WHERE id = ANY($1)`, [ids]);
    const pages = await allPages(2);
    expect(idsOf(pages)).toEqual([[...ids].sort().reverse().slice(0, 2), [[...ids].sort()[0]]]);
    // A job created now, later than that instant, comes first.
    const [d] = await submit(1);
    expect(idsOf(await allPages(2)).flat()).toEqual([d, ...[...ids].sort().reverse()]);
  });
});
