import { SMTPServer } from 'smtp-server';
import { findFreePort } from '@cutout/embedded-db';
import { A_PASSWORD, anEmail } from '../../testing/builders';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { MailOutbox } from './mail-outbox.service';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A local SMTP relay (the true external boundary), spoken to over real SMTP. */
async function startSmtpRelay(): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  const port = await findFreePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A relay that refuses every recipient, quoting the address as real relays do ("550 <x@y>: user unknown"). */
async function startRejectingRelay(): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refused = new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown (${address.address})`);
      callback(Object.assign(refused, { responseCode: 550 }));
    },
  });
  const port = await findFreePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('mail over SMTP', () => {
  let relay: Awaited<ReturnType<typeof startSmtpRelay>>;
  let t: TestApi;
  beforeAll(async () => {
    relay = await startSmtpRelay();
    t = await startTestApi({ SMTP_URL: `smtp://127.0.0.1:${relay.port}`, MAIL_FROM: 'Cutout <hello@cutout.test>' }, { logLevel: 'info' });
  });
  afterAll(async () => {
    await t?.close();
    await relay?.close();
  });

  it('sends the verification mail through the relay and turns the dev mailbox off', async () => {
    const email = anEmail('smtp');
    await t.client().ok(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    for (let i = 0; i < 100 && !relay.received.length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(relay.received).toHaveLength(1);
    expect(relay.received[0]).toMatchObject({ from: 'hello@cutout.test', to: [email] });
    expect(relay.received[0].raw).toMatch(/Subject: Verify your Cutout email address/);
    expect(relay.received[0].raw.replace(/=\r?\n/g, '')).toMatch(/verify-email\?token=3D[\w-]+|verify-email\?token=[\w-]+/);
    expect((await fetch(`${t.url}/dev/mailbox`)).status).toBe(404);
  });

  it('answers sign-up normally when the relay is down (the failure is logged, not shown)', async () => {
    await relay.close();
    const email = anEmail('down');
    const res = await t.client().gql(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    expect(res.errors).toBeUndefined();
    // The failed delivery settles in the background without touching the answer …
    await expect(t.api.app.get(MailOutbox).idle()).resolves.toBeUndefined();
    // … and is logged once, as an error naming the kind of mail and the cause, never the address.
    const failures = t.logs().filter((r) => r.msg === 'mail could not be sent');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 50, kind: expect.any(String), err: { code: 'ESOCKET', syscall: 'connect' } });
    expect(JSON.stringify(t.logs())).not.toContain(email);
  });
});

describe('mail the relay refuses', () => {
  let relay: Awaited<ReturnType<typeof startRejectingRelay>>;
  let t: TestApi;
  beforeAll(async () => {
    relay = await startRejectingRelay();
    t = await startTestApi({ SMTP_URL: `smtp://127.0.0.1:${relay.port}`, MAIL_FROM: 'Cutout <hello@cutout.test>' }, { logLevel: 'info' });
  });
  afterAll(async () => {
    await t?.close();
    await relay?.close();
  });

  it('is logged with what went wrong, never the refused address (nodemailer puts it in rejected, rejectedErrors and the reply text)', async () => {
    const email = anEmail('refused');
    const res = await t.client().gql(`mutation($i: SignUpInput!) { signUp(input: $i) { id } }`, { i: { email, password: A_PASSWORD } });
    expect(res.errors).toBeUndefined();
    await t.api.app.get(MailOutbox).idle();
    const failures = t.logs().filter((r) => r.msg === 'mail could not be sent');
    expect(failures).toHaveLength(1);
    const err = failures[0].err as Record<string, unknown>;
    expect(err).toMatchObject({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550 });
    expect(err.response).toMatch(/^550 5\.1\.1 <\[address\]>: Recipient address rejected: User unknown \(\[address\]\)$/);
    for (const field of ['rejected', 'rejectedErrors', 'accepted', 'envelope']) expect(err).not.toHaveProperty(field);
    // Not the address, nor its unique local part anywhere (message, stack, any field).
    expect(JSON.stringify(t.logs())).not.toContain(email.split('@')[0]);
  });
});
