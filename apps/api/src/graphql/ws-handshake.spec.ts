import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { ConfigError } from '@cutout/config';
import { loadApiConfig } from '../config/api.config';
import { allowedOrigins, clientIp, cookieAllowed, SocketsPerIp } from './ws-handshake';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({ headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('WebSocket handshake rules', () => {
  it('allows the cookie from PUBLIC_URL’s origin, CORS_ORIGINS and (in development only) the dashboard’s dev server', () => {
    const dev = allowedOrigins(loadApiConfig({ PUBLIC_URL: 'https://cutout.example.com/app' }));
    expect([...dev].sort()).toEqual(['http://127.0.0.1:4200', 'http://localhost:4200', 'https://cutout.example.com']);
    const prod = allowedOrigins(loadApiConfig({ NODE_ENV: 'production', MASTER_KEY: 'x', PUBLIC_URL: 'https://cutout.example.com' }));
    expect([...prod]).toEqual(['https://cutout.example.com']);
    const listed = allowedOrigins(
      loadApiConfig({
        NODE_ENV: 'production',
        MASTER_KEY: 'x',
        PUBLIC_URL: 'https://cutout.example.com',
        CORS_ORIGINS: 'https://a.example, https://b.example:8443/',
      }),
    );
    expect([...listed]).toEqual(['https://cutout.example.com', 'https://a.example', 'https://b.example:8443']);
  });

  it('refuses CORS_ORIGINS entries that are not http(s) origins', () => {
    expect(() => loadApiConfig({ CORS_ORIGINS: 'evil' })).toThrow(ConfigError);
    expect(() => loadApiConfig({ CORS_ORIGINS: 'javascript:alert(1)' })).toThrow(ConfigError);
  });

  it('uses the cookie only for allowed origins or no Origin at all; "null" and garbage are foreign', () => {
    const allowed = new Set(['https://cutout.example.com']);
    expect(cookieAllowed('https://cutout.example.com', allowed)).toBe(true);
    expect(cookieAllowed(undefined, allowed)).toBe(true);
    for (const origin of ['http://cutout.example.com', 'https://cutout.example.com.evil.example', 'https://evil.example', 'null', '']) {
      expect(cookieAllowed(origin, allowed)).toBe(false);
    }
  });

  it('takes the client address from the peer, or from the proxy’s last X-Forwarded-For entry when TRUST_PROXY is on', () => {
    expect(clientIp(request('10.0.0.5', '6.6.6.6, 203.0.113.9'), false)).toBe('10.0.0.5');
    expect(clientIp(request('10.0.0.5', '6.6.6.6, 203.0.113.9'), true)).toBe('203.0.113.9');
    expect(clientIp(request('10.0.0.5'), true)).toBe('10.0.0.5');
  });

  it('counts sockets per address until each connection closes', () => {
    const perIp = new SocketsPerIp(2);
    const [a, b, c] = [new PassThrough(), new PassThrough(), new PassThrough()];
    expect(perIp.tryAcquire('1.2.3.4', a)).toBe(true);
    expect(perIp.tryAcquire('1.2.3.4', b)).toBe(true);
    expect(perIp.tryAcquire('1.2.3.4', c)).toBe(false);
    expect(perIp.tryAcquire('5.6.7.8', c)).toBe(true);
    a.emit('close');
    expect(perIp.tryAcquire('1.2.3.4', new PassThrough())).toBe(true);
  });

  it('counts an IPv6 /64 as one client, and an IPv4-mapped address as its IPv4 address', () => {
    const perIp = new SocketsPerIp(2);
    expect(perIp.tryAcquire('2001:db8:1:2::1', new PassThrough())).toBe(true);
    expect(perIp.tryAcquire('2001:0db8:0001:0002:ffff::2', new PassThrough())).toBe(true);
    expect(perIp.tryAcquire('2001:db8:1:2::3', new PassThrough())).toBe(false);
    expect(perIp.tryAcquire('2001:db8:1:3::1', new PassThrough())).toBe(true);
    expect(perIp.tryAcquire('203.0.113.9', new PassThrough())).toBe(true);
    expect(perIp.tryAcquire('::ffff:203.0.113.9', new PassThrough())).toBe(true);
    expect(perIp.tryAcquire('203.0.113.9', new PassThrough())).toBe(false);
  });
});
