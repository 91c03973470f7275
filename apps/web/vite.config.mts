import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The API the dev server forwards to (`npm start` listens on 3000). */
const api = process.env.CUTOUT_API_URL ?? 'http://localhost:3000';
/** The API's route prefixes (apps/api/src/bootstrap/web-static.ts): in development Vite forwards them, /graphql with WebSockets. */
const apiPrefixes = ['/uploads', '/downloads', '/webhooks', '/healthz', '/readyz', '/dev/mailbox', '/privacy/exports'];

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: '../../dist/apps/web', emptyOutDir: true },
  server: {
    port: 4200,
    proxy: {
      '/graphql': { target: api, ws: true },
      ...Object.fromEntries(apiPrefixes.map((prefix) => [prefix, { target: api }])),
    },
  },
});
