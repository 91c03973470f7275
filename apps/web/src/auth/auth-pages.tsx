import { useState, type FormEvent, type ReactNode } from 'react';
import { execute } from '../graphql/client';
import { ApiError } from '../graphql/errors';
import { useQuery } from '../graphql/hooks';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session/session';
import { Alert, ErrorAlert } from '../ui/alert';
import { CurrentPasswordField, TextField } from '../ui/form';
import {
  AcceptPolicyDocument,
  PolicyVersionDocument,
  RequestPasswordResetDocument,
  ResendVerificationDocument,
  ResetPasswordDocument,
  SignInDocument,
  SignUpDocument,
  VerifyEmailDocument,
} from './auth-documents';
import { afterSignIn, safeNextPath, withNext } from './next-path';

export const MIN_PASSWORD_LENGTH = 10;

/** A form that signs in (sign-in, the verification link): its mutation, then the session is read and the person goes on to `next`. */
function useSigningIn(next: string | null) {
  const session = useSession();
  const { busy, error, run } = useSubmit();
  const signInWith = (signIn: () => Promise<unknown>) => (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await signIn();
      await session.refresh();
      // Back where the person was going (an invitation link, say): a same-origin path only.
      navigate(afterSignIn(next), { replace: true });
    });
  };
  return { busy, error, signInWith };
}

function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="narrow card stack">
      <h1>{title}</h1>
      {children}
    </div>
  );
}

/** Runs an async submit with busy/error state. */
function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

export function SignUpPage() {
  const next = useLocation().search.get('next');
  const policy = useQuery(PolicyVersionDocument, { kind: 'PRIVACY' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [accepted, setAccepted] = useState(false);
  const [tried, setTried] = useState(false);
  const { busy, error, run } = useSubmit();
  const passwordError = tried && password.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined;
  const acceptError = tried && !accepted ? 'Please accept the privacy policy to create an account.' : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (password.length < MIN_PASSWORD_LENGTH || !accepted || !policy.data) return;
    const version = policy.data.policy.version;
    void run(async () => {
      await execute(SignUpDocument, { input: { email, password, acceptedPolicyVersion: version, next: safeNextPath(next) ?? null } });
      navigate(withNext(`/check-your-mail?email=${encodeURIComponent(email)}`, next));
    });
  };

  return (
    <AuthCard title="Create your account">
      <form className="stack" onSubmit={submit} noValidate>
        <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters, not a common password.`}
          error={passwordError}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              checked={accepted}
              aria-invalid={acceptError ? true : undefined}
              onChange={(e) => setAccepted(e.target.checked)}
            />
            <span>
              I have read and accept the{' '}
              <Link href="/policies/privacy" target="_blank">
                privacy policy
              </Link>
              {policy.data ? ` (version ${policy.data.policy.version})` : ''}.
            </span>
          </label>
          {acceptError && <span className="field-error">{acceptError}</span>}
        </div>
        <ErrorAlert error={error ?? policy.error} />
        <button className="button primary" type="submit" disabled={busy || !policy.data}>
          Create account
        </button>
      </form>
      <p className="muted">
        Already have an account? <Link href={withNext('/sign-in', next)}>Sign in</Link>
      </p>
    </AuthCard>
  );
}

export function CheckMailPage() {
  const { search } = useLocation();
  const email = search.get('email') ?? '';
  const next = search.get('next');
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useSubmit();
  return (
    <AuthCard title="Check your mail">
      <p>
        We sent a link to {email ? <strong>{email}</strong> : 'your address'}. Follow it and enter your password to verify your email and
        sign in. If this address already had an account, the mail says what to do instead (one not verified yet asks you to choose its
        password). The link expires, so use it soon.
      </p>
      {safeNextPath(next) && (
        <p>Once verified, you continue where you left off on the link&apos;s page; or come back to this tab and sign in.</p>
      )}
      {sent && <Alert kind="success">We sent another link if this address has an unverified account.</Alert>}
      <ErrorAlert error={error} />
      {email && (
        <button
          className="button"
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await execute(ResendVerificationDocument, { input: { email, next: safeNextPath(next) ?? null } });
              setSent(true);
            })
          }
        >
          Send the link again
        </button>
      )}
      <p>
        <Link href={withNext('/sign-in', next)}>Go to sign in</Link>
      </p>
    </AuthCard>
  );
}

/**
 * The mailed link's page: the password the account was made with confirms the address and signs in, then
 * on to `next` (an invitation, say). Someone who did not sign up cannot confirm another person's account.
 */
export function VerifyEmailPage() {
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const next = search.get('next');
  const [password, setPassword] = useState('');
  const { busy, error, signInWith } = useSigningIn(next);
  const submit = signInWith(() => execute(VerifyEmailDocument, { input: { token, password } }));
  const wrongPassword = error instanceof ApiError && error.code === 'UNAUTHENTICATED';
  // A used link is most often one already followed (on another device, say): signing in is the way on.
  const usedUp = error instanceof ApiError && error.code === 'INVALID_TOKEN';
  const signIn = (
    <p>
      Verified already? <Link href={withNext('/sign-in', next)}>Sign in</Link>. If not, signing in offers to send a new link.
    </p>
  );
  if (!token)
    return (
      <AuthCard title="Verify your email">
        <ErrorAlert error={new ApiError('no token', 'INVALID_TOKEN')} />
        {signIn}
      </AuthCard>
    );
  return (
    <AuthCard title="Verify your email">
      <p>Enter the password you chose when you created your account: this confirms your address and signs you in.</p>
      <form className="stack" onSubmit={submit}>
        <CurrentPasswordField value={password} onValue={setPassword} />
        <ErrorAlert
          error={error}
          sentence={wrongPassword ? { text: 'That is not the password this account was created with.' } : undefined}
        />
        <button className="button primary" type="submit" disabled={busy}>
          Verify and sign in
        </button>
      </form>
      {usedUp && signIn}
      <p className="muted small">
        Did not create a Cutout account? Then someone else typed your address: leave this page, and their account stays unusable. To use
        Cutout with this address, <Link href={withNext('/sign-up', next)}>create an account</Link>: we will mail you a link to choose your
        own password.
      </p>
    </AuthCard>
  );
}

export function SignInPage() {
  const next = useLocation().search.get('next');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, signInWith } = useSigningIn(next);
  const submit = signInWith(() => execute(SignInDocument, { input: { email, password } }));
  const notVerified = error instanceof ApiError && error.code === 'EMAIL_NOT_VERIFIED';
  const wrongPassword = error instanceof ApiError && error.code === 'UNAUTHENTICATED';
  return (
    <AuthCard title="Sign in">
      <form className="stack" onSubmit={submit}>
        <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <CurrentPasswordField value={password} onValue={setPassword} />
        <ErrorAlert error={error} sentence={wrongPassword ? { text: 'The email or password is wrong.' } : undefined} />
        {notVerified && (
          <p>
            <Link href={withNext(`/check-your-mail?email=${encodeURIComponent(email)}`, next)}>Send the verification link again</Link>
          </p>
        )}
        <button className="button primary" type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <p className="muted">
        <Link href="/forgot-password">Forgot your password?</Link> · New here?{' '}
        <Link href={withNext('/sign-up', next)}>Create an account</Link>
      </p>
    </AuthCard>
  );
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await execute(RequestPasswordResetDocument, { input: { email } });
      setSent(true);
    });
  };
  return (
    <AuthCard title="Reset your password">
      {sent ? (
        <Alert kind="success">If an account uses {email}, we mailed it a link to choose a new password.</Alert>
      ) : (
        <form className="stack" onSubmit={submit}>
          <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <ErrorAlert error={error} />
          <button className="button primary" type="submit" disabled={busy}>
            Mail me a link
          </button>
        </form>
      )}
      <p>
        <Link href="/sign-in">Back to sign in</Link>
      </p>
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const session = useSession();
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [tried, setTried] = useState(false);
  const [done, setDone] = useState(false);
  const { busy, error, run } = useSubmit();
  const passwordError = tried && password.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined;
  if (!token) return <ForgotPasswordPage />;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (password.length < MIN_PASSWORD_LENGTH) return;
    void run(async () => {
      await execute(ResetPasswordDocument, { input: { token, password } });
      // The reset signed out every session, this tab's too: read it again before "Sign in" is offered,
      // or the page, still thinking someone is signed in, sends the link to / instead.
      await session.refresh();
      setDone(true);
    });
  };
  return (
    <AuthCard title="Choose a new password">
      {done ? (
        <>
          <Alert kind="success">
            Your password is set and your email address verified. Every session was signed out, every API key you made was revoked and every
            invitation you sent that was still pending was withdrawn: create new keys and invite again once you are signed in.
          </Alert>
          <Link className="button primary" href="/sign-in">
            Sign in
          </Link>
        </>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            hint={`At least ${MIN_PASSWORD_LENGTH} characters, not a common password.`}
            error={passwordError}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <ErrorAlert error={error} />
          <button className="button primary" type="submit" disabled={busy}>
            Set password
          </button>
        </form>
      )}
    </AuthCard>
  );
}

/** Blocks the dashboard while `me.mustAcceptPolicy`: the privacy policy changed since the user accepted it. */
export function AcceptPolicyPrompt() {
  const session = useSession();
  const policy = useQuery(PolicyVersionDocument, { kind: 'PRIVACY' });
  const { busy, error, run } = useSubmit();
  return (
    <AuthCard title="Our privacy policy changed">
      <p>
        Please read the <Link href="/policies/privacy">updated privacy policy</Link>
        {policy.data ? ` (version ${policy.data.policy.version})` : ''} and accept it to continue.
      </p>
      <ErrorAlert error={error ?? policy.error} />
      <button
        type="button"
        className="button primary"
        disabled={busy || !policy.data}
        onClick={() =>
          void run(async () => {
            if (!policy.data) return;
            await execute(AcceptPolicyDocument, { input: { version: policy.data.policy.version } });
            await session.refresh();
          })
        }
      >
        Accept and continue
      </button>
    </AuthCard>
  );
}
