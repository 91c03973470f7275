import { readFileSync } from 'node:fs';

/**
 * The GLIBC_TUNABLES a running process started with, read from /proc/<pid>/environ; undefined
 * when it had none or the process is gone.
 *
 * glibc (2.36 as Debian ships it) parses the variable in place at start-up and turns each ':'
 * between tunables into a NUL, so the process's environ then shows `GLIBC_TUNABLES=<first>`
 * followed by the other tunables as entries of their own (`glibc.malloc.arena_max=1`). Those
 * entries are read back as part of the variable: a real variable's name never starts with `glibc.`.
 */
export function glibcTunablesOf(pid: number): string[] | undefined {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
  return glibcTunablesIn(environ);
}

/** glibcTunablesOf's parsing, for an environ block (NUL-separated `NAME=value` entries). */
export function glibcTunablesIn(environ: string): string[] | undefined {
  const entries = environ.split('\0');
  const at = entries.findIndex((entry) => entry.startsWith('GLIBC_TUNABLES='));
  if (at < 0) return undefined;
  const tunables = entries[at].slice('GLIBC_TUNABLES='.length).split(':');
  for (let i = at + 1; i < entries.length && entries[i].startsWith('glibc.'); i++) tunables.push(entries[i]);
  return tunables.filter(Boolean);
}
