import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: __dirname,
  plugins: [react()],
  build: { outDir: '../../dist/apps/web', emptyOutDir: true },
  server: { port: 4200, proxy: { '/graphql': { target: 'http://localhost:3000', ws: true } } },
});
