import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiConfig } from '../config/api.config';
import { rateLimitClient } from '../rate-limit/client-identity';

/** The dashboard's Vite dev server (apps/web/vite.config.mts), allowed by default in development. */
const DEV_DASHBOARD_ORIGINS = ['http://localhost:4200', 'http://127.0.0.1:4200'];

/** Origins whose pages may use the session cookie on a WebSocket: PUBLIC_URL's plus CORS_ORIGINS. */
export function allowedOrigins(config: Pick<ApiConfig, 'PUBLIC_URL' | 'CORS_ORIGINS' | 'NODE_ENV'>): Set<string> {
  const extra = config.CORS_ORIGINS ?? (config.NODE_ENV === 'development' ? DEV_DASHBOARD_ORIGINS : []);
  return new Set([config.PUBLIC_URL, ...extra].map((url) => new URL(url).origin));
}

/**
 * Whether the handshake's cookie may authenticate the socket. Browsers always send Origin on
 * WebSocket handshakes, so a page of another site (cross-site WebSocket hijacking) is refused
 * the cookie; a handshake without Origin comes from a non-browser client, which has no ambient
 * cookie to abuse.
 */
export function cookieAllowed(origin: string | undefined, allowed: Set<string>): boolean {
  if (origin === undefined) return true;
  try {
    return allowed.has(new URL(origin).origin);
  } catch {
    return false;
  }
}

/**
 * The client's address: the socket's peer or, behind our proxy (TRUST_PROXY), the address that
 * proxy appended last to X-Forwarded-For — one trusted hop, as Express is set up; what the
 * client wrote before it is not trusted.
 */
export function clientIp(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? request.headers['x-forwarded-for'] : undefined;
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
  return last || request.socket.remoteAddress || 'unknown';
}

/**
 * Open sockets per client, counted from the upgrade until the TCP connection closes. A client is
 * its address as `rateLimitClient` counts it (an IPv6 address: its /64), as in every other limit.
 */
export class SocketsPerIp {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  tryAcquire(address: string, socket: Duplex): boolean {
    const ip = rateLimitClient(address);
    const count = this.open.get(ip) ?? 0;
    if (count >= this.max) return false;
    this.open.set(ip, count + 1);
    socket.once('close', () => {
      const left = (this.open.get(ip) ?? 1) - 1;
      if (left > 0) this.open.set(ip, left);
      else this.open.delete(ip);
    });
    return true;
  }
}

/** Answers an upgrade request with a plain HTTP error and closes the connection. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  socket.on('error', () => socket.destroy());
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}
