import { INFERENCE_MALLOC_TUNABLE, inferenceProcessEnv } from './inference-process';

describe('inferenceProcessEnv', () => {
  it('adds the malloc tunable to an environment without GLIBC_TUNABLES, keeping every other variable', () => {
    const env = inferenceProcessEnv({ PATH: '/usr/bin', INFERENCE_PORT: '0' });
    expect(env).toEqual({ PATH: '/usr/bin', INFERENCE_PORT: '0', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
    expect(INFERENCE_MALLOC_TUNABLE).toBe('glibc.malloc.hugetlb=1');
  });

  it('appends it after tunables already set (an empty value counts as none)', () => {
    expect(inferenceProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1',
    );
    expect(inferenceProcessEnv({ GLIBC_TUNABLES: '' }).GLIBC_TUNABLES).toBe('glibc.malloc.hugetlb=1');
  });

  it("leaves the caller's own glibc.malloc.hugetlb setting alone (0 turns it off) and does not change the given object", () => {
    const given = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2' };
    expect(inferenceProcessEnv(given).GLIBC_TUNABLES).toBe('glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2');
    expect(inferenceProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2',
    );
    expect(given).toEqual({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2' });
  });
});
