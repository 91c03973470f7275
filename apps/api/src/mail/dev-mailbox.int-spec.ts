import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Request } from 'express';
import { aSignedInUser } from '../../testing/builders';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { DevMailboxController, isLoopbackAddress } from './dev-mailbox.controller';
import { DevMailboxMailer } from './dev-mailbox.mailer';
import { Mailer } from './mailer';

/** A request as Express hands it to the controller, from a peer at `remoteAddress`. */
function requestFrom(remoteAddress: string, headers: Record<string, string> = {}): Request {
  return { socket: { remoteAddress }, headers, ip: headers['x-forwarded-for'] ?? remoteAddress } as unknown as Request;
}

describe('dev mailbox', () => {
  let t: TestApi;
  beforeAll(async () => {
    // Listening on every interface, behind a "proxy" whose X-Forwarded-For is trusted: the worst case.
    t = await startTestApi({ HOST: '0.0.0.0', TRUST_PROXY: 'true' });
    await aSignedInUser(t, 'mailbox');
  });
  afterAll(() => t?.close());

  it('answers clients on this machine, even with a foreign X-Forwarded-For', async () => {
    const local = await fetch(`http://127.0.0.1:${t.api.port}/dev/mailbox`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(local.status).toBe(200);
    expect(((await local.json()) as unknown[]).length).toBeGreaterThan(0);
  });

  // Tests may send traffic to loopback addresses only, so a peer from the network is a request
  // object handed to the real controller (the socket's address is all it may look at).
  it('refuses a peer from the network, whatever X-Forwarded-For claims', async () => {
    const controller = new DevMailboxController(t.api.app.get(Mailer));
    expect(t.api.app.get(Mailer)).toBeInstanceOf(DevMailboxMailer);
    await expect(controller.list(requestFrom('192.0.2.2', { 'x-forwarded-for': '127.0.0.1' }))).rejects.toMatchObject({ status: 404 });
    await expect(controller.list(requestFrom('::ffff:10.0.0.7', { 'x-forwarded-for': '::1' }))).rejects.toMatchObject({ status: 404 });
    await expect(controller.list(requestFrom('127.0.0.1'))).resolves.toEqual(
      expect.arrayContaining([expect.objectContaining({ subject: expect.any(String) })]),
    );
  });

  it('lists mails newest first in the order they were sent, also within one millisecond', async () => {
    // Regression: names were the time and a random UUID, so mails of one millisecond listed in random order
    // (a test reading "the newest mail to X" could get an older token).
    const folder = mkdtempSync(path.join(tmpdir(), 'cutout-mailbox-'));
    try {
      const mailer = new DevMailboxMailer(folder);
      // The clock stands still (only Date is faked): every mail is sent in the same millisecond.
      jest.useFakeTimers({
        now: 1_800_000_000_000,
        doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'],
      });
      try {
        for (let i = 0; i < 20; i++) await mailer.send({ to: 'a@example.com', subject: `mail ${i}`, text: 't', html: '<p>t</p>' });
      } finally {
        jest.useRealTimers();
      }
      expect((await mailer.list()).map((m) => m.subject)).toEqual(Array.from({ length: 20 }, (_, i) => `mail ${19 - i}`));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('knows loopback addresses in every notation', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of [undefined, '', '192.0.2.2', '::ffff:192.0.2.2', 'fd00::1', '::', '128.0.0.1', '::ffff:10.0.0.1'])
      expect(isLoopbackAddress(a)).toBe(false);
  });
});
