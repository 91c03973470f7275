import { INFERENCE_MALLOC_TUNABLES, inferenceProcessEnv } from './inference-process';

describe('inferenceProcessEnv', () => {
  it('adds the malloc tunables (huge pages, one arena) to an environment without GLIBC_TUNABLES, keeping every other variable', () => {
    const env = inferenceProcessEnv({ PATH: '/usr/bin', INFERENCE_PORT: '0' });
    expect(env).toEqual({
      PATH: '/usr/bin',
      INFERENCE_PORT: '0',
      GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1',
    });
    expect(INFERENCE_MALLOC_TUNABLES).toEqual(['glibc.malloc.hugetlb=1', 'glibc.malloc.arena_max=1']);
  });

  it('appends them after tunables already set (an empty value counts as none)', () => {
    expect(inferenceProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.tcache_count=0:glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1',
    );
    expect(inferenceProcessEnv({ GLIBC_TUNABLES: '' }).GLIBC_TUNABLES).toBe('glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1');
  });

  it('leaves each tunable the caller set alone (hugetlb=0 turns huge pages off) and does not change the given object', () => {
    const given = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' };
    expect(inferenceProcessEnv(given).GLIBC_TUNABLES).toBe('glibc.malloc.hugetlb=0:glibc.malloc.arena_max=1');
    expect(inferenceProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1',
    );
    expect(inferenceProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2',
    );
    expect(given).toEqual({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' });
  });
});
