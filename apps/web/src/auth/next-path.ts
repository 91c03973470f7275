/**
 * Where to go after signing in (or up): `?next=` on the auth pages. Only a path on this origin is
 * followed; anything else (another origin, a scheme, a protocol-relative `//host`, backslashes that
 * browsers read as slashes, control characters they strip) is ignored, so a crafted link cannot
 * send someone elsewhere after they sign in (an open redirect).
 */

const MAX_LENGTH = 2048;
const PLACEHOLDER_ORIGIN = 'http://cutout.invalid';

/** `value`, normalised, when it is a same-origin path ("/invitations/accept?token=…"), else undefined. */
export function safeNextPath(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return undefined;
  if (value[0] !== '/' || value[1] === '/') return undefined;
  if (value.includes('\\')) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters and whitespace are exactly what is refused
  if (/[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return undefined;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return undefined;
  // Encoded slashes that would decode to "//" at the start are left out too.
  if (/^\/(%2f|%5c)/i.test(value)) return undefined;
  // The normalised path, not the raw value: "/..//evil.example" resolves to "//evil.example", which
  // history.pushState (and a later link) would read as another host.
  const path = url.pathname + url.search + url.hash;
  if (path.startsWith('//')) return undefined;
  return path;
}

/** `path` with `?next=<next>` added when `next` is a safe path (and not the path itself). */
export function withNext(path: string, next: string | null | undefined): string {
  const safe = safeNextPath(next);
  if (!safe) return path;
  const separator = path.includes('?') ? '&' : '?';
  return `${path}${separator}next=${encodeURIComponent(safe)}`;
}

/** Where to land after signing in: the safe `next`, else the dashboard. */
export function afterSignIn(next: string | null | undefined): string {
  return safeNextPath(next) ?? '/';
}
