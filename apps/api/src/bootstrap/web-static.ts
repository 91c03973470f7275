import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

/** The built dashboard (dist/apps/web), served at / with a single-page-app fallback, when it exists. */
export function serveWebBuild(app: Express, folder: string): boolean {
  const index = path.join(folder, 'index.html');
  if (!fs.existsSync(index)) return false;
  app.use(express.static(folder, { index: false, maxAge: '1h' }));
  app.get(/^\/(?!graphql|uploads|downloads|dev|healthz|readyz|webhooks).*/, (req, res, next) => {
    if (req.method !== 'GET' || !req.accepts('html')) return next();
    res.sendFile(index);
  });
  return true;
}
