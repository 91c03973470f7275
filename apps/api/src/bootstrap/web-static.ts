import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

/**
 * The API's own route prefixes: a path equal to one of them, or below it (`/dev/mailbox/…`), is the
 * API's; every other GET that accepts HTML is a page of the dashboard. Whole path segments are
 * compared, so `/developers` is a page and `/dev/mailbox` is not. Add a prefix here with every new
 * REST controller.
 */
export const API_ROUTE_PREFIXES: readonly string[] = [
  '/graphql',
  '/uploads',
  '/downloads',
  '/webhooks',
  '/healthz',
  '/readyz',
  '/dev/mailbox',
  '/privacy/exports',
];

export function isApiPath(pathname: string): boolean {
  return API_ROUTE_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** The built dashboard (dist/apps/web), served at / with a single-page-app fallback, when it exists. */
export function serveWebBuild(app: Express, folder: string): boolean {
  const index = path.join(folder, 'index.html');
  if (!fs.existsSync(index)) return false;
  app.use((req, res, next) => {
    if (isApiPath(req.path)) return next();
    express.static(folder, { index: false, maxAge: '1h' })(req, res, next);
  });
  app.use((req, res, next) => {
    if (req.method !== 'GET' || isApiPath(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
