import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from './api-client';
import { connectionFailureCode, DEFAULT_RETRY_POLICY, retryDelayMs, withConnectionRetry, type RetryPolicy } from './connection-retry';

const FAST: RetryPolicy = { initialDelayMs: 20, maxDelayMs: 100, totalMs: 10_000 };

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const listen = (server: Server, port: number) => new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
const graphqlAnswer = JSON.stringify({ data: { ok: true } });

describe('connection retry policy', () => {
  it('doubles the delay from 0.25 s up to 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(n))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(DEFAULT_RETRY_POLICY.totalMs).toBe(60_000);
  });

  it('recognises refused and reset connections in real fetch errors, and nothing else', async () => {
    const refused = await fetch(`http://127.0.0.1:${await freePort()}/`).catch((e: unknown) => e);
    expect(connectionFailureCode(refused)).toBe('ECONNREFUSED');
    const resetting = createServer((req) => req.socket.destroy());
    await listen(resetting, 0);
    try {
      const reset = await fetch(`http://127.0.0.1:${(resetting.address() as AddressInfo).port}/`).catch((e: unknown) => e);
      expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(connectionFailureCode(reset));
    } finally {
      resetting.close();
    }
    const notFound = await fetch('http://no-such-host.invalid/').catch((e: unknown) => e);
    expect(connectionFailureCode(notFound)).toBeNull();
    expect(connectionFailureCode(new Error('boom'))).toBeNull();
  });

  it('gives up with the last failure once the time is spent, and never retries other errors', async () => {
    const delays: number[] = [];
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    let tries = 0;
    const failing = () => {
      tries++;
      return Promise.reject(refused);
    };
    await expect(
      withConnectionRetry(
        failing,
        { initialDelayMs: 1, maxDelayMs: 4, totalMs: 30 },
        (ms) => (delays.push(ms), new Promise((r) => setTimeout(r, ms))),
      ),
    ).rejects.toBe(refused);
    expect(tries).toBe(delays.length + 1);
    expect(delays.slice(0, 4)).toEqual([1, 2, 4, 4]);
    tries = 0;
    await expect(withConnectionRetry(() => (tries++, Promise.reject(new Error('HTTP 500'))), FAST)).rejects.toThrow('HTTP 500');
    expect(tries).toBe(1);
  });
});

describe('ApiClient over a connection that fails', () => {
  it('waits for an API that is not listening yet instead of failing at the first refused connection', async () => {
    const port = await freePort();
    const api = new ApiClient({ apiUrl: `http://127.0.0.1:${port}`, apiKey: 'ck_x', retry: FAST });
    const server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(graphqlAnswer));
    try {
      const answer = api.graphql<{ ok: boolean }>('{ ok }');
      await new Promise((r) => setTimeout(r, 200));
      await listen(server, port);
      expect(await answer).toEqual({ ok: true });
    } finally {
      server.close();
    }
  });

  it('repeats a request whose connection was reset, with the same body', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        bodies.push(body);
        if (bodies.length === 1) return req.socket.destroy();
        res.setHeader('content-type', 'application/json').end(graphqlAnswer);
      });
    });
    await listen(server, 0);
    try {
      const api = new ApiClient({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'ck_x', retry: FAST });
      expect(await api.graphql('{ ok }')).toEqual({ ok: true });
      expect(bodies).toEqual([JSON.stringify({ query: '{ ok }' }), JSON.stringify({ query: '{ ok }' })]);
    } finally {
      server.close();
    }
  });

  it('reports NETWORK_ERROR once the retry time is spent', async () => {
    const port = await freePort();
    const api = new ApiClient({
      apiUrl: `http://127.0.0.1:${port}`,
      apiKey: 'ck_x',
      retry: { initialDelayMs: 10, maxDelayMs: 20, totalMs: 100 },
    });
    await expect(api.graphql('{ ok }')).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      message: `cannot reach http://127.0.0.1:${port}: ECONNREFUSED`,
    });
  });

  it('shares one retry window among the requests of a run: once an outage outlasts it, each request tries once', async () => {
    // Regression (review): each request waited its own minute, so 100 files against an API that was down took ~50 minutes.
    const port = await freePort();
    const tries: string[] = [];
    const counting = ((url: string, init: RequestInit) => {
      tries.push(url);
      return fetch(url, init);
    }) as unknown as typeof fetch;
    const api = new ApiClient({
      apiUrl: `http://127.0.0.1:${port}`,
      apiKey: 'ck_x',
      fetch: counting,
      retry: { initialDelayMs: 5, maxDelayMs: 10, totalMs: 400 },
    });
    await expect(api.graphql('{ first }')).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    const firstTries = tries.length;
    expect(firstTries).toBeGreaterThan(1);
    for (let i = 0; i < 3; i++) await expect(api.graphql('{ later }')).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(tries.length - firstTries).toBe(3);
    // The API answers again: the window is whole again for the next outage.
    const server = createServer((_req, res) => res.end(JSON.stringify({ data: { ok: true } })));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await expect(api.graphql('{ ok }')).resolves.toEqual({ ok: true });
    } finally {
      server.close();
    }
  });
});
