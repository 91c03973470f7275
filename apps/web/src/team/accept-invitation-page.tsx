import { useEffect, useRef, useState } from 'react';
import { execute } from '../graphql/client';
import { ApiError } from '../graphql/errors';
import { withNext } from '../auth/next-path';
import { Link, useLocation } from '../router';
import { useSession } from '../session/session';
import { Alert, ErrorAlert } from '../ui/alert';
import { AcceptInvitationDocument } from './team-documents';

/**
 * /invitations/accept?token=… — the link of the invitation mail (a public route: signed out, it says
 * how to sign in first). Signed in as the invited address, joining is one click; the team then
 * becomes the selected one.
 */
export function AcceptInvitationPage() {
  const { pathname, search } = useLocation();
  const token = search.get('token') ?? '';
  // Signed out, sign-in (or sign-up) brings the person back here, token and all.
  const here = `${pathname}?${search.toString()}`;
  const session = useSession();
  const [state, setState] = useState<{ busy?: boolean; error?: unknown; joined?: { id: string; name: string } }>({});
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [state.joined]);

  const accept = async () => {
    setState({ busy: true });
    try {
      const { acceptInvitation } = await execute(AcceptInvitationDocument, { input: { token } });
      await session.refresh();
      session.selectTeam(acceptInvitation.id);
      setState({ joined: acceptInvitation });
    } catch (error) {
      setState({ error });
    }
  };

  // Here FORBIDDEN has one cause, the invitation is for another address: the general sentence (about roles) would mislead.
  const wrongAddress =
    state.error instanceof ApiError && state.error.code === 'FORBIDDEN'
      ? { text: 'This invitation was sent to another email address. Sign out and sign in with the address it was sent to.' }
      : undefined;

  return (
    <div className="card stack narrow">
      <h1 ref={heading} tabIndex={-1}>
        {state.joined ? `You joined ${state.joined.name}` : 'Join a team'}
      </h1>
      {!token ? (
        <ErrorAlert sentence={{ text: 'This link has no invitation token. Open the link from the invitation mail again.' }} />
      ) : !session.me ? (
        <>
          <p>Sign in with the address the invitation was sent to, or create an account with it: you come back here to accept.</p>
          <div className="row">
            <Link className="button primary" href={withNext('/sign-in', here)}>
              Sign in
            </Link>
            <Link className="button" href={withNext('/sign-up', here)}>
              Create an account
            </Link>
          </div>
        </>
      ) : state.joined ? (
        <>
          <Alert kind="success">It is now your selected team.</Alert>
          <p>
            <Link href="/team">See the team</Link> or <Link href="/">remove backgrounds</Link>.
          </p>
        </>
      ) : (
        <>
          <p>
            You are signed in as <strong>{session.me?.email}</strong>. The invitation must be for this address; otherwise sign out and sign
            in with the invited one.
          </p>
          <ErrorAlert error={state.error} sentence={wrongAddress} />
          <div>
            <button type="button" className="button primary" disabled={state.busy} onClick={() => void accept()}>
              Accept invitation
            </button>
          </div>
        </>
      )}
    </div>
  );
}
