import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/** Cross-origin isolation, so performance.now() is not coarsened to 100 µs. */
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * Serves `dir` on 127.0.0.1 (a free port) with cross-origin isolation headers. Paths without
 * a file fall back to index.html, as a single-page app expects. POSTs are answered 204.
 * `extra` serves more files from memory, by path (`/a/b.js`), before `dir` is looked at.
 * @param {string} dir
 * @param {Record<string, string>} [extra]
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveStatic(dir, extra = {}) {
  const root = normalize(dir + sep);
  const server = createServer(async (request, response) => {
    if (request.method === 'POST') {
      request.resume();
      response.writeHead(204, ISOLATION).end();
      return;
    }
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const inMemory = Object.hasOwn(extra, path) ? extra[path] : undefined;
    if (inMemory !== undefined) {
      const body = Buffer.from(inMemory);
      response.writeHead(200, {
        ...ISOLATION,
        'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
        'Content-Length': body.length,
      });
      response.end(body);
      return;
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      response.writeHead(403, ISOLATION).end();
      return;
    }
    let info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    if (!info && extname(path) === '') {
      file = join(root, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    if (!info) {
      response.writeHead(404, ISOLATION).end();
      return;
    }
    const headers = {
      ...ISOLATION,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
    };
    if (file.endsWith(`${sep}sw.js`) || file.endsWith('workbox-sw.js')) headers['Service-Worker-Allowed'] = '/';
    response.writeHead(200, headers);
    createReadStream(file).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The bench server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
