import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The Console's Content Security Policy, added to the built page only: the dev server injects
 * styles and a websocket client that a strict policy would block. No inline script, no eval.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'errand-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/** The comment that has Chromium (136 and later) compile a whole script eagerly; elsewhere a comment. */
const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

/**
 * Marks the page's scripts for eager compilation: the entry and the chunk it imports, and each
 * page's chunk, loaded as the page opens. Chromium compiles a function lazily, on the main thread
 * at its first call; nearly every function of these chunks is called as they load (the app's
 * start, a page's first draw), so that compiling made up much of the tasks that run them. With
 * the hint at a script's top Chromium compiles it whole on a background thread while it loads,
 * and keeps it whole in its code cache. The worker, a bundle of its own, is left as it is. The
 * hint must be the file's first line: it goes in after minification, and each source map is
 * moved down a line to match.
 */
function compileHints(): Plugin {
  return {
    name: 'errand-compile-hints',
    apply: 'build',
    // After Vite's own, which puts the lazy chunks' preload list at the entry's top.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== 'chunk' || chunk.code.startsWith(COMPILE_HINT)) continue;
          chunk.code = `${COMPILE_HINT}\n${chunk.code}`;
          if (chunk.map) chunk.map.mappings = `;${chunk.map.mappings}`;
          const map = bundle[`${chunk.fileName}.map`];
          if (map?.type === 'asset' && typeof map.source === 'string') {
            const parsed = JSON.parse(map.source) as { mappings: string };
            map.source = JSON.stringify({ ...parsed, mappings: `;${parsed.mappings}` });
          }
        }
      },
    },
  };
}

/** Extra `connect-src` sources from `ERRAND_CONNECT_SRC` (space-separated), read at build and preview time. */
function extraConnectSources(): string[] {
  const listed = (process.env['ERRAND_CONNECT_SRC'] ?? '').split(/\s+/).filter((host) => host !== '');
  const invalid = listed.filter((host) => !/^[\w.:/*-]+$/.test(host));
  if (invalid.length > 0) throw new Error(`ERRAND_CONNECT_SRC holds invalid sources: ${invalid.join(' ')}`);
  return listed;
}

/**
 * The policy the preview server sends as a header, so it also governs the worker (a worker
 * follows its own response's policy, not the page's meta tag): the worker may reach the page's
 * origin, loopback AI servers, and the hosts listed in `ERRAND_CONNECT_SRC` (space-separated).
 */
const PREVIEW_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  ['connect-src', "'self'", 'http://127.0.0.1:*', 'http://localhost:*', ...extraConnectSources()].join(' '),
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export default defineConfig({
  plugins: [
    svelte(),
    contentSecurityPolicy(),
    compileHints(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeManifestIcons: false,
      manifest: {
        id: './',
        name: 'Errand Job Console',
        short_name: 'Errand',
        description: 'Durable background jobs that survive reloads, crashes and closed tabs.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#f5f6f8',
        theme_color: '#4f46e5',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,csv}'],
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // The first service worker takes the visit that installed it: without it, that visit's
        // pages loaded later (each a chunk of its own) could not open offline until a reload.
        // A newer version still waits (registerType 'prompt': no skipWaiting) until applied.
        clientsClaim: true,
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        // Opens a job's page when its system notification, shown through the service worker, is clicked.
        importScripts: ['notification-click.js'],
      },
    }),
  ],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // Rolldown warns when plugins' callbacks took long (the service worker's precache manifest,
    // seconds on a slow machine): a note on the build's own speed, not on the app, which buried
    // the address `npm start` prints.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  preview: {
    port: 4173,
    strictPort: true,
    host: '127.0.0.1',
    headers: { 'Content-Security-Policy': PREVIEW_CONTENT_SECURITY_POLICY },
  },
  server: { port: 5173, host: '127.0.0.1' },
});
