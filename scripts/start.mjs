#!/usr/bin/env node
/**
 * `npm start`: builds the Job Console and serves the build, as it would be installed.
 *
 * Environment: PORT (default 4173), HOST (default 127.0.0.1), OUT_DIR (the build's directory,
 * default `dist`).
 */
import { build, preview } from 'vite';

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';
const outDir = process.env.OUT_DIR ?? 'dist';
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error(`PORT must be a TCP port, got "${process.env.PORT}"`);
  process.exit(1);
}
if (!/^[\w.-]+$/.test(outDir)) {
  console.error(`OUT_DIR must be a plain directory name, got "${outDir}"`);
  process.exit(1);
}

console.log('Building the Job Console…');
await build({ logLevel: 'warn', build: { outDir } });

let server;
try {
  server = await preview({
    logLevel: 'warn',
    build: { outDir },
    preview: { port, host, strictPort: true, open: false },
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(`Is something else using port ${port}? Choose another one with PORT=<port> npm start`);
  process.exit(1);
}

const displayHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
const url = server.resolvedUrls?.local[0] ?? `http://${displayHost}:${port}/`;
console.log('');
console.log(`  Errand Job Console: ${url}`);
console.log('');
if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
  // Browsers give Web Locks to secure contexts only: over plain http, only localhost is one.
  console.log('  Opened from another device over http, it can show jobs but not run them: jobs run');
  console.log('  on localhost, or behind https.');
  console.log('');
}
console.log('Press Ctrl+C to stop.');

const stop = () => {
  server.close().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
