import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

// The web UI: Preact, built into dist/ui/ and served by Sluice at `/` (src/api/routes/ui/).
export default defineConfig({
  root: here,
  base: '/',
  // Sluice replaces this placeholder with a fresh nonce for each page (src/api/routes/ui/): the editor's
  // <style> elements carry it, as the Content-Security-Policy requires.
  html: { cspNonce: '__SLUICE_CSP_NONCE__' },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(here, '../dist/ui'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npm run dev:ui` against a running Sluice on 8040.
    proxy: { '/api': 'http://localhost:8040', '/static': 'http://localhost:8040', '/batch': 'http://localhost:8040' },
  },
});
