import { createLogger } from '../common/logger';
import { MailOutbox } from './mail-outbox.service';
import { FakeMailer } from './mailer.fake';

const message = (to: string) => ({ to, subject: 'Hello', text: 'Hi.', html: '<p>Hi.</p>' });

describe('MailOutbox (fake mailer)', () => {
  it('hands every queued mail to the mailer; idle() resolves once all are sent', async () => {
    const mailer = new FakeMailer();
    const outbox = new MailOutbox(mailer, createLogger('silent'));
    outbox.enqueue(message('a@example.com'), 'test');
    outbox.enqueue(message('b@example.com'), 'test');
    await outbox.idle();
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(['a@example.com', 'b@example.com']);
  });

  it('a mail the mailer refuses is logged, not thrown, and later mails still go out', async () => {
    const mailer = new FakeMailer();
    const outbox = new MailOutbox(mailer, createLogger('silent'));
    mailer.failNext = true;
    outbox.enqueue(message('lost@example.com'), 'test');
    outbox.enqueue(message('kept@example.com'), 'test');
    await outbox.idle();
    expect(mailer.sent.map((m) => m.to)).toEqual(['kept@example.com']);
  });
});
