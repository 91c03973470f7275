import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { afterSignIn, withNext } from './auth/next-path';
import { ConsentBanner } from './consent/consent-banner';
import { navigate, useLocation } from './router';
import { SessionProvider, useSession } from './session/session';
import { Shell } from './shell/shell';
import { ErrorAlert } from './ui/alert';

const auth = () => import('./auth/auth-pages');
const SignInPage = lazy(() => auth().then((m) => ({ default: m.SignInPage })));
const SignUpPage = lazy(() => auth().then((m) => ({ default: m.SignUpPage })));
const CheckMailPage = lazy(() => auth().then((m) => ({ default: m.CheckMailPage })));
const VerifyEmailPage = lazy(() => auth().then((m) => ({ default: m.VerifyEmailPage })));
const ForgotPasswordPage = lazy(() => auth().then((m) => ({ default: m.ForgotPasswordPage })));
const ResetPasswordPage = lazy(() => auth().then((m) => ({ default: m.ResetPasswordPage })));
const AcceptPolicyPrompt = lazy(() => auth().then((m) => ({ default: m.AcceptPolicyPrompt })));
const PolicyPage = lazy(() => import('./pages/policy-page').then((m) => ({ default: m.PolicyPage })));
const RemovePage = lazy(() => import('./remove/remove-page').then((m) => ({ default: m.RemovePage })));
const HistoryPage = lazy(() => import('./history/history-page').then((m) => ({ default: m.HistoryPage })));
const CreditsPage = lazy(() => import('./credits/credits-page').then((m) => ({ default: m.CreditsPage })));
const TeamPage = lazy(() => import('./team/team-page').then((m) => ({ default: m.TeamPage })));
const AcceptInvitationPage = lazy(() => import('./team/accept-invitation-page').then((m) => ({ default: m.AcceptInvitationPage })));
const PrivacyPage = lazy(() => import('./privacy/privacy-page').then((m) => ({ default: m.PrivacyPage })));
const AdminPage = lazy(() => import('./admin/admin-page').then((m) => ({ default: m.AdminPage })));

/** Pages anyone may open, signed in or not. */
const PUBLIC: Record<string, () => ReactNode> = {
  '/sign-in': () => <SignInPage />,
  '/sign-up': () => <SignUpPage />,
  '/check-your-mail': () => <CheckMailPage />,
  '/verify-email': () => <VerifyEmailPage />,
  '/forgot-password': () => <ForgotPasswordPage />,
  '/reset-password': () => <ResetPasswordPage />,
  '/policies/cookies': () => <PolicyPage kind="COOKIES" />,
  '/policies/privacy': () => <PolicyPage kind="PRIVACY" />,
  // The invitation mail's link; signed out, the page says to sign in first.
  '/invitations/accept': () => <AcceptInvitationPage />,
};

/** Pages for signed-in users. Later pages (history, credits, team, privacy, admin) are added here and in NAV_ITEMS. */
const PRIVATE: Record<string, () => ReactNode> = {
  '/': () => <RemovePage />,
  '/team': () => <TeamPage />,
  '/privacy': () => <PrivacyPage />,
  '/history': () => <HistoryPage />,
  '/credits': () => <CreditsPage />,
  // Stripe Checkout returns here (?checkout=success|cancel&team=<id>).
  '/billing': () => <CreditsPage />,
  // Platform admins only; others see a plain sentence there (and no nav entry).
  '/admin': () => <AdminPage />,
};

/** Where a signed-in user lands instead of the sign-in pages. */
const SIGNED_OUT_ONLY = new Set(['/sign-in', '/sign-up', '/check-your-mail']);

function Loading() {
  return <p role="status">Loading…</p>;
}

function NotFound() {
  return (
    <div className="card">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href="/">Go to the dashboard</a>.
      </p>
    </div>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
}

function Routes() {
  const { me, loadError } = useSession();
  const { pathname, search } = useLocation();
  if (me === undefined) return <Loading />;
  const isPolicy = pathname.startsWith('/policies/');
  if (me && SIGNED_OUT_ONLY.has(pathname)) return <Redirect to={afterSignIn(search.get('next'))} />;
  const page = PUBLIC[pathname];
  if (page && (!me || !me.mustAcceptPolicy || isPolicy)) return page();
  const privatePage = PRIVATE[pathname];
  if (!privatePage && !page) return <NotFound />;
  if (!me) {
    if (loadError) return <ErrorAlert error={loadError} />;
    // Back to this page after signing in.
    const query = search.toString();
    return <Redirect to={withNext('/sign-in', pathname === '/' ? undefined : `${pathname}${query ? `?${query}` : ''}`)} />;
  }
  if (me.mustAcceptPolicy) return <AcceptPolicyPrompt />;
  return privatePage ? privatePage() : <NotFound />;
}

/** The dashboard: session, shell, routes and the cookie banner. */
export function App() {
  return (
    <SessionProvider>
      <Shell>
        <Suspense fallback={<Loading />}>
          <Routes />
        </Suspense>
      </Shell>
      <ConsentBanner />
    </SessionProvider>
  );
}
