import type { KeyRing } from '@cutout/crypto';
import { aSignedInUser } from '../../testing/builders';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { FakeClock } from '../common/clock.fake';
import { KEY_RING } from '../common/tokens';
import { DATA_KEY_CACHE_MS } from './owner-data-keys';
import { TeamKeysService } from './team-keys.service';
import { UserKeysService } from './user-keys.service';

describe('data keys destroyed in one process are forgotten by the others', () => {
  const clock = new FakeClock();
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({}, { clock });
  });
  afterAll(() => t.close());

  /** Two processes of the platform: their own key caches, one database. */
  const twoProcesses = <S>(make: (dataSource: TestApi['api']['database']['dataSource'], keyRing: KeyRing) => S) => {
    const keyRing = t.api.app.get<KeyRing>(KEY_RING);
    return [make(t.api.database.dataSource, keyRing), make(t.api.database.dataSource, keyRing)];
  };

  it('a team key: the other process reads the row again within DATA_KEY_CACHE_MS and no longer holds the destroyed key', async () => {
    const user = await aSignedInUser(t);
    const [a, b] = twoProcesses((ds, kr) => new TeamKeysService(ds, kr, clock));
    const original = await a.dataKey(user.personalTeamId);
    expect((await b.dataKey(user.personalTeamId)).equals(original)).toBe(true);

    expect(await b.destroy(user.personalTeamId)).toBe(1);
    clock.advance(DATA_KEY_CACHE_MS + 1);
    const after = await a.dataKey(user.personalTeamId);
    expect(after.equals(original)).toBe(false);
  });

  it('a user key, the same', async () => {
    const user = await aSignedInUser(t);
    const [a, b] = twoProcesses((ds, kr) => new UserKeysService(ds, kr, clock));
    const original = await a.dataKey(user.id);
    expect(await b.destroy(user.id)).toBe(1);
    clock.advance(DATA_KEY_CACHE_MS + 1);
    expect((await a.dataKey(user.id)).equals(original)).toBe(false);
    expect(await t.sql('SELECT 1 FROM user_data_keys WHERE user_id = $1', [user.id])).toHaveLength(1);
  });
});
