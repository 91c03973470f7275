import { networkInterfaces } from 'node:os';
import { aSignedInUser } from '../../testing/builders';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { isLoopbackAddress } from './dev-mailbox.controller';

/** An IPv4 address of this machine that is not loopback: requests to it arrive from it, over the network stack. */
function externalAddress(): string {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (!found) throw new Error('this test needs a non-loopback IPv4 interface (e.g. eth0) to send a request from');
  return found.address;
}

describe('dev mailbox', () => {
  let t: TestApi;
  beforeAll(async () => {
    // Listening on every interface, behind a "proxy" whose X-Forwarded-For is trusted: the worst case.
    t = await startTestApi({ HOST: '0.0.0.0', TRUST_PROXY: 'true' });
    await aSignedInUser(t, 'mailbox');
  });
  afterAll(() => t?.close());

  it('answers only clients on this machine, by the socket address, never by X-Forwarded-For', async () => {
    const local = await fetch(`http://127.0.0.1:${t.api.port}/dev/mailbox`);
    expect(local.status).toBe(200);
    expect(((await local.json()) as unknown[]).length).toBeGreaterThan(0);

    const remote = await fetch(`http://${externalAddress()}:${t.api.port}/dev/mailbox`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
    expect(remote.status).toBe(404);
    expect(await remote.text()).not.toMatch(/token=/);
  });

  it('knows loopback addresses in every notation', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of [undefined, '', '192.0.2.2', '::ffff:192.0.2.2', 'fd00::1', '::', '128.0.0.1', '::ffff:10.0.0.1']) expect(isLoopbackAddress(a)).toBe(false);
  });
});
