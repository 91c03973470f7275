import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { aSignedInUser, anApiKey, type SignedInUser } from '../../testing/builders';
import { wsRequest } from '../../testing/graphql-client';
import { JOB_UPDATED } from '../../testing/jobs-client';
import { aSubjectImage } from '../../testing/test-images';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { recordSubscription } from '../../testing/ws-recorder';

/** A bare WebSocket speaking graphql-ws's subprotocol, for what a real client library would never send. */
function rawSocket(t: TestApi, forwardedFor?: string): WebSocket {
  const headers = forwardedFor ? { 'x-forwarded-for': forwardedFor } : undefined;
  const socket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers });
  socket.on('error', () => undefined);
  return socket;
}

/** Every message the server sent, and its close code. */
function untilClosed(socket: WebSocket): Promise<{ code: number; messages: string[] }> {
  const messages: string[] = [];
  socket.on('message', (data) => messages.push(String(data)));
  return new Promise((resolve) => socket.on('close', (code) => resolve({ code, messages })));
}

const opened = (socket: WebSocket) => new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));

describe('WebSocket handshake: cookies only from allowed origins', () => {
  let t: TestApi;
  let victim: SignedInUser;
  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api', CORS_ORIGINS: 'https://dashboard.example' });
    victim = await aSignedInUser(t, 'victim');
  });
  afterAll(() => t?.close());

  const RENAME = `mutation($i: RenameTeamInput!) { renameTeam(input: $i) { name } }`;

  it('treats a socket from another origin as anonymous: the victim’s cookie cannot run me or renameTeam', async () => {
    const hijacked = victim.client.ws(undefined, { origin: 'http://evil.example' });
    try {
      expect((await wsRequest(hijacked, `{ me { id } }`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const rename = await wsRequest(hijacked, RENAME, { i: { teamId: victim.personalTeamId, name: 'pwned' } });
      expect(rename.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await hijacked.dispose();
    }
    const { team } = await victim.client.ok(`query($id: ID!) { team(id: $id) { name } }`, { id: victim.personalTeamId });
    expect(team.name).toBe('Personal');
  });

  it('accepts the cookie from PUBLIC_URL’s origin, from CORS_ORIGINS, and without Origin (not a browser)', async () => {
    for (const origin of [`http://localhost:${t.api.port}`, 'https://dashboard.example', undefined]) {
      const socket = victim.client.ws(undefined, { origin });
      try {
        expect((await wsRequest(socket, `{ me { id } }`)).data).toEqual({ me: { id: victim.id } });
      } finally {
        await socket.dispose();
      }
    }
  });

  it('accepts an API key (connection_init) from any origin: it carries no ambient credential', async () => {
    const secret = await anApiKey(victim, victim.personalTeamId);
    const socket = t.client().ws({ authorization: `Bearer ${secret}` }, { origin: 'http://evil.example' });
    try {
      expect((await wsRequest(socket, `{ me { id } }`)).data).toEqual({ me: { id: victim.id } });
    } finally {
      await socket.dispose();
    }
  });
});

describe('WebSocket limits', () => {
  let t: TestApi;
  let user: SignedInUser;
  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api', WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '2', WS_CONNECTION_INIT_TIMEOUT_SECONDS: '1' });
    user = await aSignedInUser(t, 'limits');
  });
  afterAll(() => t?.close());

  it('closes a socket that sends a 1 MiB message (1009) without parsing it; a small message is answered', async () => {
    const small = rawSocket(t);
    const smallClosed = untilClosed(small);
    await opened(small);
    small.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(1000) } }));
    await new Promise((resolve) => small.once('message', resolve));
    small.close();
    expect((await smallClosed).messages.map((m) => JSON.parse(m).type)).toEqual(['connection_ack']);

    const huge = rawSocket(t);
    const hugeClosed = untilClosed(huge);
    await opened(huge);
    huge.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(1024 * 1024) } }));
    // Parsed, it would have been acknowledged like the small one.
    expect(await hugeClosed).toEqual({ code: 1009, messages: [] });
  });

  it('closes a socket that never sends connection_init (4408)', async () => {
    const idle = rawSocket(t);
    expect((await untilClosed(idle)).code).toBe(4408);
  });

  it('refuses a subscription over WS_MAX_SUBSCRIPTIONS_PER_SOCKET with RATE_LIMITED', async () => {
    const { removeBackground } = await user.client.ok(`mutation($i: RemoveBackgroundInput!) { removeBackground(input: $i) { id } }`, {
      i: { teamId: user.personalTeamId, imageBase64: (await aSubjectImage()).toString('base64'), idempotencyKey: randomUUID() },
    });
    const socket = user.client.ws();
    try {
      const open = [
        recordSubscription(socket, JOB_UPDATED, { id: removeBackground.id }),
        recordSubscription(socket, JOB_UPDATED, { id: removeBackground.id }),
      ];
      await Promise.all(open.map((s) => s.nextEvent()));
      const third = recordSubscription(socket, JOB_UPDATED, { id: removeBackground.id });
      expect(await third.ended).toMatchObject({ kind: 'error', errors: [{ extensions: { code: 'RATE_LIMITED', maxSubscriptions: 2 } }] });
      // Queries on the same socket still run.
      expect((await wsRequest(socket, `{ me { id } }`)).data).toEqual({ me: { id: user.id } });
    } finally {
      await socket.dispose();
    }
  });
});

/** The handshake's HTTP status when refused; undefined when the socket opened (it is closed then). */
function handshakeStatus(t: TestApi, forwardedFor?: string): Promise<number | undefined> {
  const headers = forwardedFor ? { 'x-forwarded-for': forwardedFor } : undefined;
  const socket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers });
  return new Promise<number | undefined>((resolve) => {
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode));
    socket.on('open', () => resolve(undefined));
    socket.on('error', () => undefined);
  }).finally(() => socket.terminate());
}

describe('WebSocket sockets per client address (TRUST_PROXY on: the proxy’s address when it sends one)', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ ROLE: 'api', WS_MAX_SOCKETS_PER_IP: '3', TRUST_PROXY: 'true' });
  });
  afterAll(() => t?.close());

  it('refuses the 4th socket from one address with HTTP 429', async () => {
    const sockets = [rawSocket(t), rawSocket(t), rawSocket(t)];
    try {
      await Promise.all(sockets.map(opened));
      expect(await handshakeStatus(t)).toBe(429);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it('counts every address of one IPv6 /64 as one client; another /64 opens', async () => {
    const sockets = ['2001:db8:5:6::1', '2001:db8:5:6::2', '2001:db8:5:6:ffff::3'].map((ip) => rawSocket(t, ip));
    try {
      await Promise.all(sockets.map(opened));
      expect(await handshakeStatus(t, '2001:0db8:0005:0006:0000:0000:0000:0004')).toBe(429);
      expect(await handshakeStatus(t, '2001:db8:5:7::1')).toBeUndefined();
    } finally {
      for (const s of sockets) s.close();
    }
  });
});
