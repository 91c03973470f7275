import { parse, serialize } from 'cookie';
import { isUuid } from '../common/uuid';

export const SESSION_COOKIE = 'cutout_session';

export function readSessionCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parse(cookieHeader)[SESSION_COOKIE] || undefined;
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: new Date(0) });
}

export const VISITOR_COOKIE = 'cutout_visitor';
const VISITOR_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

/** The anonymous visitor's random id (strictly necessary: it remembers their cookie choice); anything but a UUID counts as absent. */
export function readVisitorCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const value = parse(cookieHeader)[VISITOR_COOKIE];
  return value && isUuid(value) ? value.toLowerCase() : undefined;
}

export function visitorCookie(visitorId: string, secure: boolean): string {
  return serialize(VISITOR_COOKIE, visitorId, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: VISITOR_COOKIE_MAX_AGE_SECONDS,
  });
}

/** Bearer credential from an Authorization header value. */
export function readBearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  return match?.[1];
}
