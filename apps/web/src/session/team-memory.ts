/**
 * The selected team across reloads. It is a preference, not strictly necessary, so it is kept in
 * localStorage only while the person has consented to FUNCTIONALITY storage (for the current cookie
 * policy); otherwise, when that consent is withdrawn, when the team is gone, and at sign-out, the
 * key is removed. When consent is unknown (the consent query failed: a network blip), the store is
 * left alone: nothing is restored, written or removed. The one rule of what may be stored lives here.
 */

export const SELECTED_TEAM_KEY = 'cutout.selectedTeam';

/** The part of Storage used here (an in-memory one in tests). */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ConsentSnapshot {
  categories: readonly string[];
  policyVersion: string;
}

/**
 * Whether storing is allowed: true or false when the consent state is known, undefined when it is
 * not (its query failed), in which case the store is left as it is.
 */
export type StorageAllowed = boolean | undefined;

/** FUNCTIONALITY consent given against the current cookie policy (a choice for an older one no longer counts). */
export function functionalityAllowed(consent: ConsentSnapshot | null | undefined, currentPolicyVersion: string | undefined): boolean {
  return !!consent && consent.policyVersion === currentPolicyVersion && consent.categories.includes('FUNCTIONALITY');
}

/** The ConsentState query's answer, or undefined when it failed (then whether storing is allowed is unknown). */
export function storageAllowed(
  state: { consent: ConsentSnapshot | null | undefined; policy: { version: string } } | undefined,
): StorageAllowed {
  if (state === undefined) return undefined;
  return functionalityAllowed(state.consent, state.policy.version);
}

/**
 * On load: the remembered team when storing is allowed and the team is still one of the user's;
 * otherwise undefined (the personal team applies) and the key is dropped. Consent unknown: undefined,
 * and the key is kept for a later load that knows.
 */
export function restoreTeam(store: KeyValueStore | undefined, allowed: StorageAllowed, teamIds: readonly string[]): string | undefined {
  if (!store || allowed === undefined) return undefined;
  if (!allowed) {
    forgetTeam(store);
    return undefined;
  }
  const id = safely(() => store.getItem(SELECTED_TEAM_KEY));
  if (id && teamIds.includes(id)) return id;
  if (id !== null) forgetTeam(store);
  return undefined;
}

/** After a switch (or when consent is given): stored only when allowed, removed when not, untouched when unknown. */
export function rememberTeam(store: KeyValueStore | undefined, allowed: StorageAllowed, teamId: string | undefined): void {
  if (!store || allowed === undefined) return;
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
