import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ConsentStateDocument } from '../consent/consent-banner';
import { onConsentRecorded } from '../consent/consent-events';
import { execute, onAccessChange, resetSubscriptions } from '../graphql/client';
import { ApiError } from '../graphql/errors';
import { graphql } from '../graphql/generated';
import type { MeQuery, TeamsQuery } from '../graphql/generated/graphql';
import { forgetRemovePage } from '../remove/remove-session';
import { browserStore, forgetTeam, rememberTeam, restoreTeam, storageAllowed, type StorageAllowed } from './team-memory';

export const MeDocument = graphql(`
  query Me {
    me {
      id
      email
      emailVerified
      isPlatformAdmin
      mustAcceptPolicy
    }
  }
`);

export const TeamsDocument = graphql(`
  query Teams {
    teams(first: 100) {
      edges {
        node {
          id
          name
          personal
          viewerRole
        }
      }
    }
  }
`);

export type Me = MeQuery['me'];
export type TeamSummary = TeamsQuery['teams']['edges'][number]['node'];

export interface Session {
  /** undefined while loading, null when signed out. */
  me: Me | null | undefined;
  teams: TeamSummary[];
  team: TeamSummary | undefined;
  /** Selects a team; it is remembered across reloads only with FUNCTIONALITY consent (see team-memory.ts). */
  selectTeam(id: string): void;
  /** Reloads the user and teams (after sign-in, verification, policy acceptance). */
  refresh(): Promise<void>;
  /** Forgets the user locally, remembered team included (after sign-out). */
  clear(): void;
  loadError: unknown;
  /** Said once when the selected team left the list (the person was removed, or the team deleted): which team is shown instead. */
  teamNotice: string | undefined;
  dismissTeamNotice(): void;
}

/** The team shown for a selection: the selected one while it is in the list, else the personal team, else the first. */
function shownTeam(teams: TeamSummary[], teamId: string | undefined): TeamSummary | undefined {
  return teams.find((t) => t.id === teamId) ?? teams.find((t) => t.personal) ?? teams[0];
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [teams, setTeams] = useState<TeamSummary[]>([]);
  const [teamId, setTeamId] = useState<string | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  // Whether the selected team may be stored (FUNCTIONALITY consent; undefined while unknown, when the
  // consent query failed: the store is then left alone); a ref, read by callbacks.
  const storing = useRef<StorageAllowed>(undefined);
  const selected = useRef<string | undefined>(undefined);

  // What the last load said, for the callbacks below: whether someone is signed in, the teams listed.
  const signedIn = useRef(false);
  const listed = useRef<TeamSummary[]>([]);
  const [teamNotice, setTeamNotice] = useState<string>();

  /** Shows `list`, keeping the selection while it is still one of the person's teams. */
  const applyTeams = useCallback((list: TeamSummary[], remembered: string | undefined) => {
    const before = shownTeam(listed.current, selected.current);
    const next = selected.current && list.some((t) => t.id === selected.current) ? selected.current : remembered;
    const after = shownTeam(list, next);
    if (before && after && !list.some((t) => t.id === before.id)) {
      setTeamNotice(`You no longer belong to ${before.name} (you were removed, or it was deleted): ${after.name} is selected instead.`);
    }
    listed.current = list;
    selected.current = next;
    setTeams(list);
    setTeamId(next);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const [{ me: user }, consent] = await Promise.all([execute(MeDocument), execute(ConsentStateDocument).catch(() => undefined)]);
      const { teams: page } = await execute(TeamsDocument);
      const list = page.edges.map((edge) => edge.node);
      storing.current = storageAllowed(consent);
      // A selection made in this tab wins; on load, the remembered one (when allowed and still ours).
      const remembered = restoreTeam(
        browserStore(),
        storing.current,
        list.map((t) => t.id),
      );
      setLoadError(undefined);
      signedIn.current = true;
      setMe(user);
      applyTeams(list, remembered);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
        setLoadError(undefined);
        signedIn.current = false;
        listed.current = [];
        setMe(null);
        setTeams([]);
        setTeamNotice(undefined);
        // Signed out (or the session ended): no team to remember, no batch kept.
        forgetTeam(browserStore());
        forgetRemovePage();
      } else {
        setLoadError(error);
        setMe((current) => current ?? null);
      }
    }
    resetSubscriptions();
  }, [applyTeams]);

  /** Reads the teams again (not the socket: its streams stay), after an answer said a membership or role may have changed. */
  const reloadTeams = useCallback(async () => {
    try {
      const { teams: page } = await execute(TeamsDocument);
      const list = page.edges.map((edge) => edge.node);
      const remembered = restoreTeam(
        browserStore(),
        storing.current,
        list.map((t) => t.id),
      );
      if (signedIn.current) applyTeams(list, remembered);
    } catch {
      // UNAUTHENTICATED reloads the session by itself (onAccessChange); anything else: the list stays as it was.
    }
  }, [applyTeams]);

  // One place catches access that ended while the page was open (see client.ts, AccessChange): an
  // ended session is read again, which sends the person to sign in; a team answer reloads the
  // teams, so a team the person was removed from leaves the switcher and the next one is shown.
  // While signed out (a wrong password on the sign-in page is UNAUTHENTICATED too) nothing is done,
  // and one reload at a time: answers that arrive meanwhile are covered by it.
  useEffect(() => {
    let running: Promise<void> | undefined;
    let teamsRunning: Promise<void> | undefined;
    return onAccessChange((change) => {
      if (!signedIn.current || running) return;
      if (change === 'session') {
        running = refresh().finally(() => {
          running = undefined;
        });
      } else if (!teamsRunning) {
        teamsRunning = reloadTeams().finally(() => {
          teamsRunning = undefined;
        });
      }
    });
  }, [refresh, reloadTeams]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // A new cookie choice: withdrawn FUNCTIONALITY removes the key at once; given, the current selection is stored.
  useEffect(
    () =>
      onConsentRecorded((consent) => {
        storing.current = consent.categories.includes('FUNCTIONALITY');
        rememberTeam(browserStore(), storing.current, selected.current);
      }),
    [],
  );

  const selectTeam = useCallback((id: string) => {
    selected.current = id;
    setTeamNotice(undefined);
    setTeamId(id);
    rememberTeam(browserStore(), storing.current, id);
  }, []);

  const value = useMemo<Session>(() => {
    const team = shownTeam(teams, teamId);
    return {
      me,
      teams,
      team,
      selectTeam,
      refresh,
      clear: () => {
        signedIn.current = false;
        listed.current = [];
        setMe(null);
        setTeams([]);
        setTeamNotice(undefined);
        setTeamId(undefined);
        selected.current = undefined;
        forgetTeam(browserStore());
        forgetRemovePage();
        resetSubscriptions();
      },
      loadError,
      teamNotice,
      dismissTeamNotice: () => setTeamNotice(undefined),
    };
  }, [me, teams, teamId, selectTeam, refresh, loadError, teamNotice]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
