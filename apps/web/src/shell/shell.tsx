import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { execute } from '../graphql/client';
import { ApiError } from '../graphql/errors';
import { graphql } from '../graphql/generated';
import { usePollWhile, useQuery, useSubscription } from '../graphql/hooks';
import { formatCredits } from '../format';
import { SignOutDocument } from '../auth/auth-documents';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session/session';
import { Alert, ErrorAlert } from '../ui/alert';

export const CreditBalanceDocument = graphql(`
  query CreditBalance($teamId: ID!) {
    creditBalance(teamId: $teamId) {
      available
      debt
    }
  }
`);

export const CreditBalanceChangedDocument = graphql(`
  subscription CreditBalanceChanged($teamId: ID!) {
    creditBalanceChanged(teamId: $teamId) {
      available
      debt
    }
  }
`);

/** The pages built so far; later pages join this list when they exist (none is shown before). */
export const NAV_ITEMS: readonly { href: string; label: string; adminOnly?: boolean }[] = [
  { href: '/', label: 'Remove backgrounds' },
  { href: '/history', label: 'History' },
  { href: '/credits', label: 'Credits & billing' },
  { href: '/team', label: 'Team' },
  { href: '/privacy', label: 'Privacy' },
  { href: '/admin', label: 'Admin', adminOnly: true },
];

/** How often a balance is read while its stream is refused or failed. */
export const BALANCE_POLL_MS = 30_000;

/**
 * The team's balance, live: the query answers first, then every creditBalanceChanged event. A
 * stream the server refuses or that fails leaves the query read every BALANCE_POLL_MS instead,
 * until an event arrives again (the socket reset subscribes anew).
 */
export function Balance({ teamId }: { teamId: string }) {
  const query = useQuery(CreditBalanceDocument, { teamId });
  const [live, setLive] = useState<{ teamId: string; available: number; debt: number }>();
  const down = useSubscription(CreditBalanceChangedDocument, { teamId }, ({ creditBalanceChanged }) =>
    setLive({ teamId, ...creditBalanceChanged }),
  );
  usePollWhile(down, query.refetch, BALANCE_POLL_MS);
  const balance = !down && live?.teamId === teamId ? live : query.data?.creditBalance;
  if (!balance) return null;
  return (
    <span className={`balance${balance.debt > 0 ? ' debt' : ''}`} aria-live="polite">
      {formatCredits(balance.available)}
      {balance.debt > 0 && ` (owes ${formatCredits(balance.debt)})`}
    </span>
  );
}

function TeamSwitcher() {
  const { teams, team, selectTeam } = useSession();
  const id = useId();
  if (!team) return null;
  return (
    <div className="row" style={{ gap: '0.4rem' }}>
      <label htmlFor={id} className="visually-hidden">
        Team
      </label>
      <select id={id} value={team.id} onChange={(e) => selectTeam(e.target.value)} style={{ width: 'auto', maxWidth: '14rem' }}>
        {teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function UserMenu() {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const [failed, setFailed] = useState(false);
  const panelId = useId();
  if (!session.me) return null;
  const signOut = async () => {
    setSigningOut(true);
    setFailed(false);
    try {
      await execute(SignOutDocument);
    } catch (error) {
      // Not signed out: the cookie and the server's session still work, so the page must not look
      // signed out (on a shared computer the next person would be signed in). UNAUTHENTICATED: already ended.
      if (!(error instanceof ApiError && error.code === 'UNAUTHENTICATED')) {
        setFailed(true);
        setSigningOut(false);
        return;
      }
    }
    session.clear();
    navigate('/sign-in', { replace: true });
  };
  return (
    <div
      className="menu"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <button type="button" className="button account-button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        <span className="visually-hidden">Account menu for </span>
        <span className="account-email">{session.me.email}</span>
      </button>
      {open && (
        <div className="card menu-panel stack" id={panelId}>
          <p className="small muted" style={{ margin: 0 }}>
            Signed in as {session.me.email}
          </p>
          <button type="button" className="button" disabled={signingOut} onClick={() => void signOut()}>
            Sign out
          </button>
          {failed && <ErrorAlert sentence={{ text: 'Could not sign out: try again.' }} />}
        </div>
      )}
    </div>
  );
}

/**
 * The main navigation: a row of links on wide screens; on phones (CSS, max-width 40rem) a "Menu"
 * disclosure button that opens them as a vertical list, closed again by choosing a page (focus then
 * moves to the page), by Escape (focus back on the button) or by any navigation.
 */
export function MainNav({ items, pathname }: { items: readonly { href: string; label: string }[]; pathname: string }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => setOpen(false), [pathname]);
  const current = items.find((item) => item.href === pathname);
  return (
    <nav
      className={`app-nav${open ? ' open' : ''}`}
      aria-label="Main"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="button nav-toggle"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen(!open)}
      >
        <span className="nav-toggle-icon" aria-hidden="true" />
        {current ? `Menu: ${current.label}` : 'Menu'}
      </button>
      <ul id={listId}>
        {items.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={pathname === item.href ? 'page' : undefined}
              onClick={() => {
                if (!open) return;
                setOpen(false);
                // The list closes under the focus: the chosen page gets it instead.
                requestAnimationFrame(() => document.getElementById('main')?.focus());
              }}
            >
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Header, navigation and main landmark around every signed-in page. */
export function Shell({ children }: { children: ReactNode }) {
  const { me, team, teamNotice, dismissTeamNotice } = useSession();
  const { pathname } = useLocation();
  const items = NAV_ITEMS.filter((item) => !item.adminOnly || me?.isPlatformAdmin);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link className="brand" href="/">
          <span className="brand-mark" aria-hidden="true" />
          Cutout
        </Link>
        {me && (
          <div className="header-tools">
            <TeamSwitcher />
            {team && <Balance teamId={team.id} />}
            <UserMenu />
          </div>
        )}
      </header>
      {me && <MainNav items={items} pathname={pathname} />}
      <main id="main" tabIndex={-1}>
        {me && teamNotice && (
          <Alert kind="info">
            {teamNotice}{' '}
            <button type="button" className="button" onClick={dismissTeamNotice}>
              Dismiss
            </button>
          </Alert>
        )}
        {children}
      </main>
    </>
  );
}
