import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { execute, resetSubscriptions } from '../graphql/client';
import { ApiError } from '../graphql/errors';
import { graphql } from '../graphql/generated';
import type { MeQuery, TeamsQuery } from '../graphql/generated/graphql';

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
  selectTeam(id: string): void;
  /** Reloads the user and teams (after sign-in, verification, policy acceptance). */
  refresh(): Promise<void>;
  /** Forgets the user locally (after sign-out). */
  clear(): void;
  loadError: unknown;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [teams, setTeams] = useState<TeamSummary[]>([]);
  const [teamId, setTeamId] = useState<string | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);

  const refresh = useCallback(async () => {
    try {
      const { me: user } = await execute(MeDocument);
      const { teams: page } = await execute(TeamsDocument);
      setLoadError(undefined);
      setMe(user);
      setTeams(page.edges.map((edge) => edge.node));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
        setLoadError(undefined);
        setMe(null);
        setTeams([]);
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

  const value = useMemo<Session>(() => {
    const team = teams.find((t) => t.id === teamId) ?? teams.find((t) => t.personal) ?? teams[0];
    return {
      me,
      teams,
      team,
      selectTeam: setTeamId,
      refresh,
      clear: () => {
        setMe(null);
        setTeams([]);
        setTeamId(undefined);
        resetSubscriptions();
      },
      loadError,
    };
  }, [me, teams, teamId, refresh, loadError]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
