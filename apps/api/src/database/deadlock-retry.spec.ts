import { DEADLOCK_ATTEMPTS, retryOnDeadlock } from './deadlock-retry';

const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('retryOnDeadlock', () => {
  it('runs a transaction chosen as a deadlock’s victim again, and answers what the next try gives', async () => {
    let tries = 0;
    const result = await retryOnDeadlock(async () => {
      tries++;
      if (tries === 1) throw deadlock();
      return 'committed';
    });
    expect([result, tries]).toEqual(['committed', 2]);
  });

  it('throws any other error at once, and a deadlock after the last try', async () => {
    let tries = 0;
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(
      retryOnDeadlock(async () => {
        tries++;
        throw unique;
      }),
    ).rejects.toBe(unique);
    expect(tries).toBe(1);
    tries = 0;
    await expect(
      retryOnDeadlock(async () => {
        tries++;
        throw deadlock();
      }),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(tries).toBe(DEADLOCK_ATTEMPTS);
  });
});
