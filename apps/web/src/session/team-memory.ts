/**
 * The selected team across reloads. It is a preference, not strictly necessary, so it is kept in
 * localStorage only while the person has consented to FUNCTIONALITY storage (for the current cookie
 * policy); otherwise, when that consent is withdrawn, when the team is gone, and at sign-out, the
 * key is removed. The one rule of what may be stored lives here.
 */

export const SELECTED_TEAM_KEY = 'cutout.selectedTeam';

/** The part of Storage used here (an in-memory one in tests). */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ConsentSnapshot {
  categories: readonly string[];
  policyVersion: string;
}

/** FUNCTIONALITY consent given against the current cookie policy (a choice for an older one no longer counts). */
export function functionalityAllowed(consent: ConsentSnapshot | null | undefined, currentPolicyVersion: string | undefined): boolean {
  return !!consent && consent.policyVersion === currentPolicyVersion && consent.categories.includes('FUNCTIONALITY');
}

/**
 * On load: the remembered team when storing is allowed and the team is still one of the user's;
 * otherwise undefined (the personal team applies) and the key is dropped.
 */
export function restoreTeam(store: KeyValueStore | undefined, allowed: boolean, teamIds: readonly string[]): string | undefined {
  if (!store) return undefined;
  if (!allowed) {
    forgetTeam(store);
    return undefined;
  }
  const id = safely(() => store.getItem(SELECTED_TEAM_KEY));
  if (id && teamIds.includes(id)) return id;
  if (id !== null) forgetTeam(store);
  return undefined;
}

/** After a switch (or when consent is given): stored only when allowed, removed otherwise. */
export function rememberTeam(store: KeyValueStore | undefined, allowed: boolean, teamId: string | undefined): void {
  if (!store) return;
  if (!allowed || !teamId) {
    forgetTeam(store);
    return;
  }
  safely(() => store.setItem(SELECTED_TEAM_KEY, teamId));
}

/** At sign-out and when FUNCTIONALITY consent is withdrawn. */
export function forgetTeam(store: KeyValueStore | undefined): void {
  if (store) safely(() => store.removeItem(SELECTED_TEAM_KEY));
}

/** The browser's localStorage, or undefined where there is none or it is blocked. */
export function browserStore(): KeyValueStore | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

/** Storage may throw (blocked, quota, private modes): remembering is best effort. */
function safely<T>(work: () => T): T | null {
  try {
    return work();
  } catch {
    return null;
  }
}
