import type { MailMessage } from './mailer';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Text chosen by a user (a team name), shown as quoted data: a zero-width space after every
 * `.`, `:`, `/` and `@` keeps mail clients from turning `evil.example` or `http://x` into a link.
 * HTML escaping happens where the mail is assembled.
 */
export const quotedData = (s: string) => `“${s.replace(/[.:/@]/g, '$&\u200B')}”`;

/** What a failed data request's mail says, by case (mailTemplates.dataRequestFailed). */
const FAILED_REQUEST_MAILS = {
  lastOwner: {
    subject: 'Your Cutout account could not be deleted',
    intro:
      'We could not delete your Cutout account: you are the last owner of a team that has other members. Your account and data stay as they were.',
    outro: 'Hand the team over to another member (or make one of them an owner) in Team, then ask again from your privacy page.',
  },
  deletion: {
    subject: 'Your Cutout account could not be deleted',
    intro: 'We could not delete your Cutout account because of an error on our side. Your account stays as it was.',
    outro: 'You can ask again from your privacy page, or reply to this mail.',
  },
  export: {
    subject: 'Your Cutout data export could not be prepared',
    intro: 'We could not prepare the archive of your data because of an error on our side.',
    outro: 'You can ask for a new one from your privacy page.',
  },
} as const;

function linkMail(to: string, subject: string, intro: string, action: string, url: string, outro: string): MailMessage {
  return {
    to,
    subject,
    text: `${intro}\n\n${action}: ${url}\n\n${outro}\n`,
    html: `<p>${escape(intro)}</p><p><a href="${escape(url)}">${escape(action)}</a></p><p>${escape(outro)}</p>`,
  };
}

export const mailTemplates = {
  verifyEmail: (to: string, url: string) =>
    linkMail(
      to,
      'Verify your Cutout email address',
      'Welcome to Cutout. Please confirm this is your email address.',
      'Verify email',
      url,
      // The link asks for the password the account was made with, so a stray click confirms nobody else's sign-up.
      'The link expires in 24 hours and asks for the password you chose when you signed up. If you did not sign up to Cutout, ignore this mail: someone else typed your address, and their account stays unusable.',
    ),
  accountExists: (to: string, url: string) =>
    linkMail(
      to,
      'Someone tried to sign up to Cutout with your email',
      'An account with this email address already exists. If this was you, sign in or reset your password.',
      'Reset password',
      url,
      'If it was not you, you can ignore this mail.',
    ),
  /** A sign-up met an unverified account of this address: its first password and verification links no longer work. */
  unverifiedAccountSignUp: (to: string, url: string) =>
    linkMail(
      to,
      'Choose your Cutout password',
      'Someone signed up to Cutout with this email address again, before it was verified. Maybe it was you. ' +
        'To keep the account for the owner of this mailbox, its earlier verification links and password no longer work: ' +
        'choose a password with this link, and that verifies your address too.',
      'Choose your password',
      url,
      'The link expires in 1 hour; "Forgot your password?" on the sign-in page sends a new one. If it was not you, ignore this mail: nobody can sign in without it.',
    ),
  choosePassword: (to: string, url: string) =>
    linkMail(
      to,
      'Choose your Cutout password',
      'You asked for a new link to finish signing up to Cutout. This account has no password yet: choose one with this link, and that verifies your address too.',
      'Choose your password',
      url,
      'The link expires in 1 hour. If you did not ask for it, ignore this mail: nobody can sign in without it.',
    ),
  resetPassword: (to: string, url: string) =>
    linkMail(
      to,
      'Reset your Cutout password',
      'We received a request to reset your password.',
      'Choose a new password',
      url,
      'The link expires in 1 hour. If you did not ask for it, ignore this mail.',
    ),
  accountDeletionScheduled: (to: string, when: Date, url: string) =>
    linkMail(
      to,
      'Your Cutout account will be deleted',
      `You asked us to delete your Cutout account. It will be deleted on ${when.toUTCString()}, with everything we hold about you.`,
      'Cancel the deletion',
      url,
      'Until then you can cancel it on your privacy page. If you did not ask for this, sign in and cancel it, then change your password.',
    ),
  /** A data request of the person's could not be carried out (it FAILED): what happened and what to do. */
  dataRequestFailed: (to: string, kind: 'EXPORT' | 'DELETION', lastOwner: boolean, url: string) => {
    const { subject, intro, outro } = FAILED_REQUEST_MAILS[kind === 'EXPORT' ? 'export' : lastOwner ? 'lastOwner' : 'deletion'];
    return linkMail(to, subject, intro, 'Open your privacy page', url, outro);
  },
  dataExportReady: (to: string, url: string, expiresAt: Date) =>
    linkMail(
      to,
      'Your Cutout data export is ready',
      'The archive of the data we hold about you is ready to download.',
      'Open your privacy page',
      url,
      `Download it there while you are signed in, before ${expiresAt.toUTCString()}; it is deleted after that.`,
    ),
  invitation: (to: string, teamName: string, role: string, url: string) =>
    linkMail(
      to,
      'You are invited to join a team on Cutout',
      `You have been invited to join the team ${quotedData(teamName)} on Cutout as ${role.toLowerCase()}.`,
      'Accept invitation',
      url,
      'The invitation expires in 7 days. If you do not know this team, ignore this mail.',
    ),
};
