import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ConsentStateDocument } from '../consent/consent-banner';
import { onConsentRecorded } from '../consent/consent-events';
import { execute, resetSubscriptions } from '../graphql/client';
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
      setMe(user);
      setTeams(list);
      setTeamId((current) => {
        const next = current && list.some((t) => t.id === current) ? current : remembered;
        selected.current = next;
        return next;
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
        setLoadError(undefined);
        setMe(null);
        setTeams([]);
        // Signed out (or the session ended): no team to remember, no batch kept.
        forgetTeam(browserStore());
        forgetRemovePage();
      } else {
        setLoadError(error);
        setMe((current) => current ?? null);
      }
    }
    resetSubscriptions();
  }, []);

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
    setTeamId(id);
    rememberTeam(browserStore(), storing.current, id);
  }, []);

  const value = useMemo<Session>(() => {
    const team = teams.find((t) => t.id === teamId) ?? teams.find((t) => t.personal) ?? teams[0];
    return {
      me,
      teams,
      team,
      selectTeam,
      refresh,
      clear: () => {
        setMe(null);
        setTeams([]);
        setTeamId(undefined);
        selected.current = undefined;
        forgetTeam(browserStore());
        forgetRemovePage();
        resetSubscriptions();
      },
      loadError,
    };
  }, [me, teams, teamId, selectTeam, refresh, loadError]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
