import { badInput } from '../common/errors/app-error';

/** The longest `next` a verification link carries. */
export const MAX_RETURN_PATH_LENGTH = 2048;

/**
 * A path on this site: one leading slash (not "//" or "/\", which browsers read as another host, nor
 * their %-escaped forms), then visible ASCII only, without backslashes, quotes or angle brackets (what
 * a browser's URL serialiser leaves unescaped in a path and query: the dashboard sends its normalised
 * `next`), and no broken %-escapes. No spaces, control characters or scheme prefix can pass.
 */
const RETURN_PATH = /^\/(?![/\\]|%2f|%5c)[\x21\x23-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/i;

/**
 * `next` as given to signUp and resendVerification: where the dashboard goes once the mailed
 * link is followed and the person signs in (an invitation, say). Null or absent: nowhere. Anything
 * but a path on this site is BAD_USER_INPUT (field "next"), so a mail from Cutout never carries a
 * link onwards to another site. The dashboard checks it again when it follows it (next-path.ts).
 */
export function parseReturnPath(next: string | null | undefined): string | undefined {
  if (next == null) return undefined;
  if (next.length > MAX_RETURN_PATH_LENGTH || !RETURN_PATH.test(next) || /%(?![0-9A-Fa-f]{2})/.test(next))
    throw badInput('next', `next must be a path on this site, starting with one "/", at most ${MAX_RETURN_PATH_LENGTH} URL characters.`);
  return next;
}
