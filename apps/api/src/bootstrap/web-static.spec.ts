import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { API_ROUTE_PREFIXES, isApiPath, serveWebBuild } from './web-static';

/** A real express app serving a tiny build, with API-like routes registered after it (as start-api does with Nest's). */
describe('serveWebBuild', () => {
  let folder: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'cutout-web-static-'));
    writeFileSync(path.join(folder, 'index.html'), '<!doctype html><title>dashboard</title>');
    writeFileSync(path.join(folder, 'app.js'), 'console.log(1)');
    const app = express();
    expect(serveWebBuild(app, folder)).toBe(true);
    // Anything the fallback does not take ends here, standing in for the API's own routes.
    app.use((req, res) => void res.status(404).type('text/plain').send(`api:${req.path}`));
    await new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', () => resolve())));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  const getHtml = async (p: string) => {
    const res = await fetch(`${base}${p}`, { headers: { accept: 'text/html' } });
    return { status: res.status, body: await res.text() };
  };

  it.each([
    '/',
    '/developers',
    '/privacy',
    '/privacy/settings',
    '/downloadsx',
    '/graphqlfoo',
    '/healthzone',
    '/dev',
    '/devtools',
    '/teams/a/b',
  ])('serves the dashboard at %s', async (p) => {
    expect(await getHtml(p)).toEqual({ status: 200, body: '<!doctype html><title>dashboard</title>' });
  });

  it.each([
    '/graphql',
    '/uploads/x',
    '/downloads/x',
    '/webhooks/stripe',
    '/healthz',
    '/readyz',
    '/dev/mailbox',
    '/dev/mailbox/1',
    '/privacy/exports/x',
    '/privacy/exports',
  ])('leaves %s to the API', async (p) => {
    expect(await getHtml(p)).toEqual({ status: 404, body: `api:${p}` });
  });

  it('serves static files and leaves requests that do not want HTML to the API', async () => {
    expect(await (await fetch(`${base}/app.js`)).text()).toBe('console.log(1)');
    const json = await fetch(`${base}/developers`, { headers: { accept: 'application/json' } });
    expect([json.status, await json.text()]).toEqual([404, 'api:/developers']);
  });

  it('matches prefixes on whole path segments', () => {
    expect(API_ROUTE_PREFIXES).toEqual(
      expect.arrayContaining([
        '/graphql',
        '/uploads',
        '/downloads',
        '/webhooks',
        '/healthz',
        '/readyz',
        '/dev/mailbox',
        '/privacy/exports',
      ]),
    );
    expect(['/dev/mailbox', '/dev/mailbox/', '/privacy/exports/a/b', '/graphql'].map(isApiPath)).toEqual([true, true, true, true]);
    expect(['/dev', '/developers', '/privacy', '/privacy/exportsx', '/graphqlx', '/'].map(isApiPath)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
