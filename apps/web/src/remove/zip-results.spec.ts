import { unzipSync } from 'fflate';
import { execute } from '../graphql/client';
import { buildResultsZip, ResultFetchError, type FinishedResult, type ZipProgress } from './zip-results';

jest.mock('../graphql/client', () => ({ execute: jest.fn() }));

const executeMock = execute as unknown as jest.Mock;

/** Bytes that differ per file (and are not all one value) so a mix-up would show. */
function bytesOf(seed: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (seed * 31 + i * 7) & 0xff;
  return bytes;
}

interface Served {
  status: number;
  type?: string;
  body: Uint8Array | string;
}

function serve(byJob: Record<string, Served>): jest.Mock {
  executeMock.mockImplementation(async (_document: unknown, variables: { id: string }) => ({
    job: { resultUrl: `/results/${variables.id}?sig=x`, resultExpired: false },
  }));
  const fetchMock = jest.fn(async (url: string) => {
    const id = /\/results\/([^?]+)/.exec(url)?.[1] ?? '';
    const served = byJob[id];
    const body = typeof served.body === 'string' ? served.body : (served.body.slice().buffer as ArrayBuffer);
    return new Response(body, { status: served.status, headers: served.type ? { 'content-type': served.type } : {} });
  });
  global.fetch = fetchMock as unknown as typeof fetch;
  return fetchMock;
}

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
  executeMock.mockReset();
});

describe('buildResultsZip (streamed, one result at a time)', () => {
  it('streams every result into a zip that unzips to the same named entries, reporting progress', async () => {
    const a = bytesOf(1, 70_000);
    const b = bytesOf(2, 1);
    const c = bytesOf(3, 4096);
    const d = bytesOf(4, 0);
    const fetchMock = serve({
      j1: { status: 200, type: 'image/png', body: a },
      j2: { status: 200, type: 'image/webp', body: b },
      j3: { status: 200, type: 'image/png', body: c },
      // No known Content-Type: the job's format decides the extension.
      j4: { status: 200, body: d },
    });
    const results: FinishedResult[] = [
      { jobId: 'j1', filename: 'photo.jpg', format: 'PNG' },
      { jobId: 'j2', filename: 'shoe.png', format: 'WEBP' },
      { jobId: 'j3', filename: 'PHOTO.jpeg', format: 'PNG' },
      { jobId: 'j4', filename: 'dir/../x.heic', format: 'JPG' },
    ];
    const progress: ZipProgress[] = [];

    const blob = await buildResultsZip(results, (p) => progress.push(p));

    expect(blob.type).toBe('application/zip');
    const entries = unzipSync(new Uint8Array(await blob.arrayBuffer()));
    expect(Object.keys(entries)).toEqual(['photo-cutout.png', 'shoe-cutout.webp', 'PHOTO-cutout (2).png', 'x-cutout.jpg']);
    expect(entries['photo-cutout.png']).toEqual(a);
    expect(entries['shoe-cutout.webp']).toEqual(b);
    expect(entries['PHOTO-cutout (2).png']).toEqual(c);
    expect(entries['x-cutout.jpg']).toEqual(d);
    expect(progress).toEqual([{ n: 1, total: 4 }, { n: 2, total: 4 }, { n: 3, total: 4 }, { n: 4, total: 4 }, 'zipping']);
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([
      '/results/j1?sig=x',
      '/results/j2?sig=x',
      '/results/j3?sig=x',
      '/results/j4?sig=x',
    ]);
  });

  it('fetches one result at a time: the next is asked for only after the previous is in the zip', async () => {
    let inFlight = 0;
    let most = 0;
    executeMock.mockImplementation(async (_document: unknown, variables: { id: string }) => ({
      job: { resultUrl: `/results/${variables.id}`, resultExpired: false },
    }));
    global.fetch = (async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return new Response(bytesOf(9, 10).buffer as ArrayBuffer, { status: 200, headers: { 'content-type': 'image/png' } });
    }) as typeof fetch;

    const blob = await buildResultsZip(
      [1, 2, 3].map((n) => ({ jobId: `j${n}`, filename: `f${n}.png`, format: 'PNG' as const })),
      () => undefined,
    );

    expect(most).toBe(1);
    expect(Object.keys(unzipSync(new Uint8Array(await blob.arrayBuffer())))).toEqual(['f1-cutout.png', 'f2-cutout.png', 'f3-cutout.png']);
  });

  it('a result that cannot be fetched stops the zip with a ResultFetchError naming the file and the API error', async () => {
    serve({
      j1: { status: 200, type: 'image/png', body: bytesOf(1, 10) },
      j2: {
        status: 404,
        type: 'application/json',
        body: JSON.stringify({ error: { code: 'RESULT_EXPIRED', message: 'The result has expired.' } }),
      },
      j3: { status: 200, type: 'image/png', body: bytesOf(3, 10) },
    });
    const progress: ZipProgress[] = [];

    const failure = await buildResultsZip(
      [
        { jobId: 'j1', filename: 'one.png', format: 'PNG' },
        { jobId: 'j2', filename: 'two.png', format: 'PNG' },
        { jobId: 'j3', filename: 'three.png', format: 'PNG' },
      ],
      (p) => progress.push(p),
    ).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ResultFetchError);
    expect((failure as ResultFetchError).filename).toBe('two.png');
    expect((failure as ResultFetchError).error.code).toBe('RESULT_EXPIRED');
    expect(progress).toEqual([
      { n: 1, total: 3 },
      { n: 2, total: 3 },
    ]);
  });

  it('an expired result (no resultUrl) is reported without a download', async () => {
    executeMock.mockResolvedValue({ job: { resultUrl: null, resultExpired: true } });
    const fetchMock = jest.fn();
    global.fetch = fetchMock as unknown as typeof fetch;

    const failure = await buildResultsZip([{ jobId: 'j1', filename: 'old.png', format: 'PNG' }], () => undefined).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ResultFetchError);
    expect((failure as ResultFetchError).error.code).toBe('RESULT_EXPIRED');
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
