import path from 'node:path';
import sharp from 'sharp';
import { aSignedInUser, anApiKey, type SignedInUser } from '../../../testing/builders';
import { startInferenceProcess, type InferenceProcess } from '../../../testing/inference-process';
import { aFinishedJob } from '../../../testing/personal-data.seed';
import { dumpDatabase, emailTraces, filesUnder, imageTraces, looksLikeImage, tracesIn } from '../../../testing/personal-data.traces';
import { aSubjectImage } from '../../../testing/test-images';
import { startTestApi, type TestApi } from '../../../testing/test-api';

/** A running system with several people and jobs: what an attacker with a database dump or the blob folder would see. */
describe('a live system at rest', () => {
  let inference: InferenceProcess;
  let t: TestApi;
  const users: SignedInUser[] = [];
  const images: { input: Buffer; result: Buffer }[] = [];

  beforeAll(async () => {
    inference = await startInferenceProcess({ model: 'tiny' });
    t = await startTestApi({ INFERENCE_URLS: inference.address });
    for (const name of ['Alice', 'Bob', 'Chloe']) users.push(await aSignedInUser(t, name));
    for (const user of users) images.push(await aFinishedJob(user.client, user.personalTeamId));
    const byKey = t.client().withApiKey(await anApiKey(users[0], users[0].personalTeamId));
    images.push(await aFinishedJob(byKey, users[0].personalTeamId, await aSubjectImage('jpeg', 200, 150)));
    images.push(await aFinishedJob(byKey, users[0].personalTeamId, await aSubjectImage('webp', 200, 150)));
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    await inference?.close();
  });

  it('holds no email in clear in any table of any schema, and no image', async () => {
    const dump = await dumpDatabase(t.env.DATABASE_URL);
    expect(dump.tables.some((name) => name.startsWith('pgboss.'))).toBe(true);
    for (const user of users)
      expect({ email: user.email, found: tracesIn(dump.bytes, emailTraces(user.email)) }).toEqual({ email: user.email, found: [] });
    expect(
      tracesIn(
        dump.bytes,
        images.flatMap((image, i) => [...imageTraces(image.input, `input ${i}`), ...imageTraces(image.result, `result ${i}`)]),
      ),
    ).toEqual([]);
    expect(looksLikeImage(dump.bytes)).toBe(false);
  });

  it('keeps no readable image and no email in the blob folder: every blob is ciphertext', async () => {
    const blobs = filesUnder(path.join(t.dataDir, 'blobs'));
    expect(blobs.length).toBeGreaterThanOrEqual(2 * images.length);
    const traces = [
      ...users.flatMap((u) => emailTraces(u.email)),
      ...images.flatMap((image, i) => [...imageTraces(image.input, `input ${i}`), ...imageTraces(image.result, `result ${i}`)]),
    ];
    for (const { file, bytes } of blobs) {
      expect({ file, image: looksLikeImage(bytes), traces: tracesIn(bytes, traces) }).toEqual({ file, image: false, traces: [] });
      await expect(sharp(bytes).metadata()).rejects.toThrow();
    }
  });
});
