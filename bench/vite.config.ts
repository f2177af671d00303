import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The bench pages: one page, the dedicated worker it starts, and the service worker the
 * workbox peer runs in (emitted as /workbox-sw.js, unhashed, so it can be registered).
 */
export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist/pages',
    emptyOutDir: true,
    rollupOptions: {
      input: { index: `${root}index.html`, 'workbox-sw': `${root}sw/workbox-sw.ts` },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'workbox-sw' ? 'workbox-sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
