// The console build: `vite build` (scripts/build-console.mjs) writes web/dist, which `bulwark serve` serves at /.
// `npx vite web` runs a dev server that proxies the API to a local `npm start` on :8080.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000, sourcemap: false },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080', '/metrics': 'http://127.0.0.1:8080' } },
});
