import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

/**
 * An app of its own that embeds the kit: its worker, the client and the pill bar and toasts.
 * `EMBED_OUTDIR` (relative to the repository, default `dist-embed`) is where it is built.
 */
export default defineConfig({
  root,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  plugins: [svelte({ configFile: `${repo}svelte.config.js` })],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: `${repo}${process.env['EMBED_OUTDIR'] ?? 'dist-embed'}`,
    emptyOutDir: true,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
