import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal S3-compatible server for tests: path-style URLs (`/<bucket>/<key>`), one bucket,
 * objects in memory, Put/Get/Head/DeleteObject, ListObjectsV2 (with LastModified, StartAfter, MaxKeys) and multipart uploads, S3's XML bodies and
 * error codes. Any SigV4 signature is accepted; `aws-chunked` bodies are decoded.
 */
export interface LocalS3 {
  /** e.g. http://127.0.0.1:41234 — use with forcePathStyle: true. */
  endpoint: string;
  bucket: string;
  /** Stored objects by key (without the bucket). */
  objects: Map<string, Buffer>;
  /** When each object was written (its LastModified); a test may set an older time. */
  modified: Map<string, Date>;
  /** Every request received, as "METHOD /path?query", oldest first. */
  requests: string[];
  close(): Promise<void>;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const md5 = (data: Buffer) => createHash('md5').update(data).digest();

class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly resource: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const encoding = String(req.headers['content-encoding'] ?? '');
  const sha = String(req.headers['x-amz-content-sha256'] ?? '');
  return encoding.includes('aws-chunked') || sha.startsWith('STREAMING-') ? decodeAwsChunked(raw) : raw;
}

/** `<hex-size>[;chunk-signature=…]\r\n<data>\r\n` … `0[;…]\r\n[trailers]\r\n` */
export function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new S3Failure(400, 'IncompleteBody', 'Malformed aws-chunked body.', '');
    const size = parseInt(raw.subarray(offset, lineEnd).toString('latin1').split(';')[0], 16);
    if (Number.isNaN(size)) throw new S3Failure(400, 'IncompleteBody', 'Malformed aws-chunked body.', '');
    if (size === 0) return Buffer.concat(parts); // trailers (checksums) follow; ignored
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

export async function startLocalS3(bucket = 'cutout-test'): Promise<LocalS3> {
  const objects = new Map<string, Buffer>();
  const etags = new Map<string, string>();
  const modified = new Map<string, Date>();
  const requests: string[] = [];
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();

  function send(res: ServerResponse, status: number, body = '', headers: Record<string, string | number> = {}): void {
    res.writeHead(status, { 'x-amz-request-id': randomUUID(), ...(body ? { 'content-type': 'application/xml' } : {}), ...headers });
    res.end(body);
  }

  function objectHeaders(key: string, data: Buffer): Record<string, string | number> {
    return {
      'content-type': 'application/octet-stream',
      'content-length': data.length,
      etag: etags.get(key) ?? '',
      'last-modified': (modified.get(key) ?? new Date()).toUTCString(),
    };
  }

  /** ListObjectsV2: keys under `prefix` in order, `max-keys` a page, the last key of a page as its continuation token. */
  function listObjects(q: URLSearchParams): string {
    const prefix = q.get('prefix') ?? '';
    const after = q.get('continuation-token') ?? q.get('start-after') ?? '';
    const max = Math.min(Number(q.get('max-keys') ?? 1000), 1000);
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = keys.slice(0, max);
    const truncated = keys.length > page.length;
    const contents = page
      .map(
        (k) =>
          `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${(modified.get(k) ?? new Date()).toISOString()}</LastModified><Size>${objects.get(k)?.length ?? 0}</Size><ETag>${xmlEscape(etags.get(k) ?? '')}</ETag></Contents>`,
      )
      .join('');
    const next = truncated ? `<NextContinuationToken>${xmlEscape(page[page.length - 1])}</NextContinuationToken>` : '';
    return xml(
      `<ListBucketResult><Name>${bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const [, bucketName = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const resource = url.pathname;
    const q = url.searchParams;
    if (decodeURIComponent(bucketName) !== bucket)
      throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist.', resource);
    if (!key && req.method === 'GET' && q.get('list-type') === '2') return send(res, 200, listObjects(q));
    if (!key) throw new S3Failure(501, 'NotImplemented', 'Bucket operations are not implemented.', resource);
    const upload = q.has('uploadId') ? uploads.get(q.get('uploadId') ?? '') : undefined;
    if (q.has('uploadId') && !upload) throw new S3Failure(404, 'NoSuchUpload', 'The specified upload does not exist.', resource);

    switch (req.method) {
      case 'PUT': {
        const body = await readBody(req);
        const etag = `"${md5(body).toString('hex')}"`;
        if (upload) {
          upload.parts.set(Number(q.get('partNumber')), body); // UploadPart
        } else {
          objects.set(key, body); // PutObject
          etags.set(key, etag);
          modified.set(key, new Date());
        }
        return send(res, 200, '', { etag });
      }
      case 'POST': {
        const body = await readBody(req);
        if (q.has('uploads')) {
          const uploadId = randomUUID();
          uploads.set(uploadId, { key, parts: new Map() });
          return send(
            res,
            200,
            xml(
              `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
            ),
          );
        }
        if (!upload) throw new S3Failure(400, 'InvalidRequest', 'Unsupported POST.', resource);
        const numbers = [...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
        if (numbers.length === 0) throw new S3Failure(400, 'MalformedXML', 'No parts listed.', resource);
        const parts = numbers.map((n) => upload.parts.get(n));
        if (parts.some((p) => !p))
          throw new S3Failure(400, 'InvalidPart', 'One or more of the specified parts could not be found.', resource);
        const found = parts as Buffer[];
        if (found.slice(0, -1).some((p) => p.length < MIN_PART_SIZE))
          throw new S3Failure(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', resource);
        const etag = `"${md5(Buffer.concat(found.map(md5))).toString('hex')}-${found.length}"`;
        objects.set(key, Buffer.concat(found));
        etags.set(key, etag);
        modified.set(key, new Date());
        uploads.delete(q.get('uploadId') ?? '');
        return send(
          res,
          200,
          xml(
            `<CompleteMultipartUploadResult><Location>${xmlEscape(resource)}</Location><Bucket>${bucket}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`,
          ),
        );
      }
      case 'GET':
      case 'HEAD': {
        const data = objects.get(key);
        if (!data)
          throw new S3Failure(404, req.method === 'HEAD' ? 'NotFound' : 'NoSuchKey', 'The specified key does not exist.', resource);
        res.writeHead(200, { 'x-amz-request-id': randomUUID(), ...objectHeaders(key, data) });
        res.end(req.method === 'GET' ? data : undefined);
        return;
      }
      case 'DELETE':
        await readBody(req);
        if (upload) {
          uploads.delete(q.get('uploadId') ?? ''); // AbortMultipartUpload
        } else {
          objects.delete(key); // DeleteObject: no error when the key is missing
          etags.delete(key);
          modified.delete(key);
        }
        return send(res, 204);
      default:
        throw new S3Failure(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', resource);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      const failure = error instanceof S3Failure ? error : new S3Failure(500, 'InternalError', String(error), req.url ?? '');
      // HEAD responses carry no body, as with S3.
      const body =
        req.method === 'HEAD'
          ? ''
          : xml(
              `<Error><Code>${failure.code}</Code><Message>${xmlEscape(failure.message)}</Message><Resource>${xmlEscape(failure.resource)}</Resource><RequestId>${randomUUID()}</RequestId></Error>`,
            );
      send(res, failure.status, body);
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    objects,
    modified,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
