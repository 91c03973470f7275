import type { TestClient } from './graphql-client';

export const JOB_FIELDS = `id teamId status stage progress filename attempts resultUrl foregroundFraction inferenceMs
  input { contentType width height bytes } result { contentType width height bytes } error { code message }
  options { size type format bgColor crop refine model }`;

export const REMOVE = `mutation($i: RemoveBackgroundInput!) { removeBackground(input: $i) { ${JOB_FIELDS} } }`;
export const JOB = `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`;
export const JOB_UPDATED = `subscription($id: ID!) { jobUpdated(jobId: $id) { jobId status stage progress resultUrl error { code message } } }`;

/** createUpload, then PUT the bytes to the signed URL; returns the upload id and the PUT response. */
export async function uploadImage(client: TestClient, teamId: string, bytes: Buffer, contentType = 'image/png', filename = 'photo.png') {
  const { createUpload } = await client.ok(`mutation($i: CreateUploadInput!) { createUpload(input: $i) { id uploadUrl expiresAt } }`, {
    i: { teamId, filename, contentType, byteSize: bytes.length },
  });
  const put = await fetch(createUpload.uploadUrl.replace('localhost', '127.0.0.1'), {
    method: 'PUT',
    body: new Uint8Array(bytes),
    headers: { 'content-type': contentType },
  });
  return { id: createUpload.id as string, uploadUrl: createUpload.uploadUrl as string, put };
}

/** Polls job(id) until it reaches a final status. */
export async function waitForJob(client: TestClient, id: string, timeoutMs = 60_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { job } = await client.ok(JOB, { id });
    if (['SUCCEEDED', 'FAILED', 'CANCELED'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
