import {
  forgetTeam,
  functionalityAllowed,
  rememberTeam,
  restoreTeam,
  SELECTED_TEAM_KEY,
  storageAllowed,
  type KeyValueStore,
} from './team-memory';

function memoryStore(initial: Record<string, string> = {}): KeyValueStore & { entries: Map<string, string> } {
  const entries = new Map(Object.entries(initial));
  return {
    entries,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, value),
    removeItem: (key) => void entries.delete(key),
  };
}

const TEAMS = ['personal-1', 'studio-2'];

describe('functionalityAllowed', () => {
  it('is true only for FUNCTIONALITY consent against the current cookie policy', () => {
    expect(functionalityAllowed({ categories: ['FUNCTIONALITY'], policyVersion: '2' }, '2')).toBe(true);
    expect(functionalityAllowed({ categories: ['PERFORMANCE', 'FUNCTIONALITY', 'MARKETING'], policyVersion: '2' }, '2')).toBe(true);
    expect(functionalityAllowed({ categories: ['STRICTLY_NECESSARY'], policyVersion: '2' }, '2')).toBe(false);
    expect(functionalityAllowed({ categories: ['PERFORMANCE', 'MARKETING'], policyVersion: '2' }, '2')).toBe(false);
    expect(functionalityAllowed({ categories: ['FUNCTIONALITY'], policyVersion: '1' }, '2')).toBe(false);
    expect(functionalityAllowed(null, '2')).toBe(false);
    expect(functionalityAllowed(undefined, undefined)).toBe(false);
  });
});

describe('storageAllowed (the ConsentState answer, or undefined when the query failed)', () => {
  it('is unknown when the consent query failed, and known otherwise', () => {
    expect(storageAllowed(undefined)).toBeUndefined();
    expect(storageAllowed({ consent: null, policy: { version: '2' } })).toBe(false);
    expect(storageAllowed({ consent: { categories: ['FUNCTIONALITY'], policyVersion: '1' }, policy: { version: '2' } })).toBe(false);
    expect(storageAllowed({ consent: { categories: ['FUNCTIONALITY'], policyVersion: '2' }, policy: { version: '2' } })).toBe(true);
  });
});

describe('the selected team across reloads', () => {
  it('consent unknown (a network blip): the remembered key is kept, neither restored nor removed', () => {
    const store = memoryStore({ [SELECTED_TEAM_KEY]: 'studio-2' });
    expect(restoreTeam(store, undefined, TEAMS)).toBeUndefined();
    expect(store.entries.get(SELECTED_TEAM_KEY)).toBe('studio-2');
    // Nor does a switch while unknown write or remove it.
    rememberTeam(store, undefined, 'personal-1');
    expect(store.entries.get(SELECTED_TEAM_KEY)).toBe('studio-2');
    rememberTeam(store, undefined, undefined);
    expect(store.entries.get(SELECTED_TEAM_KEY)).toBe('studio-2');
    // The next load that knows applies the rule: allowed restores it, not allowed removes it.
    expect(restoreTeam(store, true, TEAMS)).toBe('studio-2');
    expect(restoreTeam(store, false, TEAMS)).toBeUndefined();
    expect(store.entries.has(SELECTED_TEAM_KEY)).toBe(false);
  });

  it('consent given: a switch is stored and restored on load', () => {
    const store = memoryStore();
    rememberTeam(store, true, 'studio-2');
    expect(store.entries.get(SELECTED_TEAM_KEY)).toBe('studio-2');
    expect(restoreTeam(store, true, TEAMS)).toBe('studio-2');
    expect(store.entries.get(SELECTED_TEAM_KEY)).toBe('studio-2');
  });

  it('consent not given: nothing is stored, nothing is restored, and a leftover key is dropped', () => {
    const store = memoryStore();
    rememberTeam(store, false, 'studio-2');
    expect(store.entries.size).toBe(0);

    const leftover = memoryStore({ [SELECTED_TEAM_KEY]: 'studio-2' });
    expect(restoreTeam(leftover, false, TEAMS)).toBeUndefined();
    expect(leftover.entries.size).toBe(0);
  });

  it('consent withdrawn: the next write removes the key instead of storing', () => {
    const store = memoryStore();
    rememberTeam(store, true, 'studio-2');
    rememberTeam(store, false, 'studio-2');
    expect(store.entries.has(SELECTED_TEAM_KEY)).toBe(false);
  });

  it('a stale id (a team the user no longer belongs to) falls back to the personal team and drops the key', () => {
    const store = memoryStore({ [SELECTED_TEAM_KEY]: 'gone-9' });
    expect(restoreTeam(store, true, TEAMS)).toBeUndefined();
    expect(store.entries.has(SELECTED_TEAM_KEY)).toBe(false);
    // Signed out: no teams at all, so the key goes too.
    const signedOut = memoryStore({ [SELECTED_TEAM_KEY]: 'studio-2' });
    expect(restoreTeam(signedOut, true, [])).toBeUndefined();
    expect(signedOut.entries.size).toBe(0);
  });

  it('sign-out forgets it; other keys are left alone', () => {
    const store = memoryStore({ [SELECTED_TEAM_KEY]: 'studio-2', other: 'x' });
    forgetTeam(store);
    expect([...store.entries.keys()]).toEqual(['other']);
  });

  it('a store that throws (blocked storage) or none at all is not an error', () => {
    const throwing: KeyValueStore = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(restoreTeam(throwing, true, TEAMS)).toBeUndefined();
    expect(() => rememberTeam(throwing, true, 'studio-2')).not.toThrow();
    expect(() => forgetTeam(throwing)).not.toThrow();
    expect(restoreTeam(undefined, true, TEAMS)).toBeUndefined();
    expect(() => rememberTeam(undefined, true, 'studio-2')).not.toThrow();
  });
});
