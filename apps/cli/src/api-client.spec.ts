import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from './api-client';

/** A result server on a real socket: the body in parts, each sent once the previous one was written. */
async function resultServer(parts: Buffer[], contentLength: boolean): Promise<{ url: string; server: Server }> {
  const server = createServer(async (_req, res) => {
    const total = parts.reduce((n, p) => n + p.length, 0);
    res.writeHead(200, {
      'content-type': 'image/png',
      'content-disposition': `attachment; filename*=UTF-8''caf%C3%A9-cutout.png`,
      ...(contentLength ? { 'content-length': String(total) } : {}),
    });
    for (const part of parts) {
      res.write(part);
      await new Promise((r) => setTimeout(r, 15));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/downloads/x`, server };
}

describe('ApiClient.download', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  const client = () => new ApiClient({ apiUrl: 'http://127.0.0.1:1', apiKey: 'ck_x' });
  const parts = [Buffer.alloc(70_000, 1), Buffer.alloc(70_000, 2), Buffer.alloc(10_000, 3)];

  it('reports the bytes as they arrive, with the size from Content-Length, and returns the whole body', async () => {
    const { url, server } = await resultServer(parts, true);
    servers.push(server);
    const heard: [number, number | null][] = [];
    const result = await client().download(url, (received, total) => heard.push([received, total]));
    expect(result.bytes.equals(Buffer.concat(parts))).toBe(true);
    expect(result).toMatchObject({ contentType: 'image/png', filename: 'café-cutout.png' });
    expect(heard.length).toBeGreaterThanOrEqual(2); // more than one part, so progress moves
    expect(heard.at(-1)).toEqual([150_000, 150_000]);
    expect(heard.every(([, total]) => total === 150_000)).toBe(true);
    expect(heard.map(([received]) => received)).toEqual([...heard.map(([received]) => received)].sort((a, b) => a - b));
  });

  it('reports no size when the response gives none', async () => {
    const { url, server } = await resultServer(parts, false);
    servers.push(server);
    const heard: [number, number | null][] = [];
    const result = await client().download(url, (received, total) => heard.push([received, total]));
    expect(result.bytes.length).toBe(150_000);
    expect(heard.at(-1)).toEqual([150_000, null]);
  });
});
