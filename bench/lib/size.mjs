import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The Console's initial JavaScript: every script and modulepreload in the built index.html,
 * each gzipped (level 9) on its own, summed. The worker chunk and lazy chunks are not initial.
 * @param {string} distDir
 * @returns {Promise<{ kilobytes: number, files: { file: string, raw: number, gzip: number }[] }>}
 */
export async function initialJavaScript(distDir) {
  const html = await readFile(join(distDir, 'index.html'), 'utf8');
  const sources = new Set();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const isScript = tag.startsWith('<script') && /\btype=["']?module/.test(tag);
    const isPreload = tag.startsWith('<link') && /\brel=["']?modulepreload/.test(tag);
    const src = /\b(?:src|href)=["']([^"']+)["']/.exec(tag)?.[1];
    if ((isScript || isPreload) && src && !/^[a-z]+:/i.test(src)) sources.add(src.replace(/^\.?\//, ''));
  }
  const files = [];
  for (const file of sources) {
    const bytes = await readFile(join(distDir, file));
    files.push({ file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return { kilobytes: files.reduce((sum, f) => sum + f.gzip, 0) / 1024, files };
}
