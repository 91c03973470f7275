import { mailTemplates } from './mail-templates';

const URL = 'http://localhost:3000/invitations/accept?token=abc';

describe('mail templates', () => {
  it('shows a team name as escaped, quoted data that mail clients cannot turn into a link', () => {
    const mail = mailTemplates.invitation('ada@example.com', '<b>Win</b> evil.example http://x', 'MEMBER', URL);
    expect(mail.subject).toBe('You are invited to join a team on Cutout');
    expect(mail.html).toContain('&#60;b&#62;Win&#60;/\u200Bb&#62;');
    expect(mail.html).not.toContain('<b>');
    for (const part of [mail.html, mail.text]) {
      expect(part).not.toContain('evil.example');
      expect(part).not.toContain('http://x');
      expect(part).toContain('evil.\u200Bexample');
      expect(part).toContain('http:\u200B/\u200B/\u200Bx');
    }
    expect(mail.text).toContain('“<b>Win</\u200Bb> evil.\u200Bexample http:\u200B/\u200B/\u200Bx”');
    // Our own link is the only link.
    expect(mail.html.match(/<a /g)).toHaveLength(1);
    expect(mail.html).toContain(`<a href="${URL}">Accept invitation</a>`);
  });

  it('says the verification link asks for the sign-up password, and that a reader who did not sign up can ignore it', () => {
    const mail = mailTemplates.verifyEmail('ada@example.com', 'http://localhost:3000/verify-email?token=abc');
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('asks for the password you chose when you signed up');
      expect(part).toContain('If you did not sign up to Cutout, ignore this mail');
    }
  });
});
