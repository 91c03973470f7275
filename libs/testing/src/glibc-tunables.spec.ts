import { spawnSync } from 'node:child_process';
import { glibcTunablesIn, glibcTunablesOf } from './glibc-tunables';

describe('glibcTunablesOf', () => {
  it('reads every tunable a real process started with, though glibc rewrote its environ in place', () => {
    // The child prints its own pid's reading: /proc/<pid>/environ is only readable while it runs.
    const child = spawnSync(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        '-e',
        `console.log(JSON.stringify(require(${JSON.stringify(require.resolve('./glibc-tunables'))}).glibcTunablesOf(process.pid)))`,
      ],
      {
        env: { PATH: process.env['PATH'], GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1', AFTER: 'x' },
        encoding: 'utf8',
      },
    );
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual(['glibc.malloc.hugetlb=1', 'glibc.malloc.arena_max=1']);
  });

  it('parses both the rewritten and the original form, and says undefined without the variable or the process', () => {
    expect(glibcTunablesIn('A=1\0GLIBC_TUNABLES=glibc.a=1\0glibc.b=2\0B=2\0')).toEqual(['glibc.a=1', 'glibc.b=2']);
    expect(glibcTunablesIn('GLIBC_TUNABLES=glibc.a=1:glibc.b=2\0B=glibc.c\0')).toEqual(['glibc.a=1', 'glibc.b=2']);
    expect(glibcTunablesIn('GLIBC_TUNABLES=\0')).toEqual([]);
    expect(glibcTunablesIn('A=1\0')).toBeUndefined();
    expect(glibcTunablesOf(2 ** 22 + 12345)).toBeUndefined();
  });
});
