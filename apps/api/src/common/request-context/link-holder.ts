import { isUuid } from '../uuid';
import type { Principal } from './principal';

/**
 * Who a signed link was made for, as it travels in the link (`by=`, covered by its signature):
 * `k.<apiKeyId>` for an API key, `s.<sessionId>` for a signed-in person's session. The link works
 * only while that credential is live and still has access to what it opens, so a revoked key, a
 * signed-out session or an ended membership ends its links too.
 */
export type LinkHolder = { kind: 'apiKey'; apiKeyId: string } | { kind: 'session'; sessionId: string };

export function linkHolderOf(principal: Principal): string {
  return principal.kind === 'apiKey' ? `k.${principal.apiKeyId}` : `s.${principal.sessionId}`;
}

/** The holder a link names, or null when `by` is missing or malformed. */
export function parseLinkHolder(by: string | undefined): LinkHolder | null {
  if (typeof by !== 'string') return null;
  const id = by.slice(2);
  if (!isUuid(id)) return null;
  if (by.startsWith('k.')) return { kind: 'apiKey', apiKeyId: id };
  if (by.startsWith('s.')) return { kind: 'session', sessionId: id };
  return null;
}
