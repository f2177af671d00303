#!/usr/bin/env node
/**
 * Finds the Chromium that the browser tests drive. Playwright's own browser downloads are not
 * used: the tests run against the system Chromium (Debian's `chromium` package, or Chrome).
 *
 * Usage: node scripts/find-chromium.mjs   prints the executable's path, or exits 1 if none.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The command line every browser of the tests gets, persistent contexts included. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Environment variables that name a Chromium executable, in the order they are honoured. */
export const CHROMIUM_ENV_VARS = ['CHROMIUM_PATH', 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH'];

/** Where system packages install Chromium or Chrome, in the order they are tried. */
export const CHROMIUM_SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/**
 * Every place looked at, in order: the environment variables that are set, then the system paths.
 * @param {Record<string, string | undefined>} [env]
 * @returns {{ source: string, path: string }[]}
 */
export function chromiumCandidates(env = process.env) {
  const fromEnv = CHROMIUM_ENV_VARS.flatMap((name) => {
    const value = env[name];
    return value !== undefined && value !== '' ? [{ source: name, path: value }] : [];
  });
  return [...fromEnv, ...CHROMIUM_SYSTEM_PATHS.map((path) => ({ source: 'system', path }))];
}

/**
 * The first candidate that is an executable file, or undefined when there is none.
 * @param {Record<string, string | undefined>} [env]
 * @returns {string | undefined}
 */
export function findChromium(env = process.env) {
  return chromiumCandidates(env).find(({ path }) => isExecutableFile(path))?.path;
}

/** @param {string} path */
function isExecutableFile(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const found = findChromium();
  if (found === undefined) {
    console.error('No Chromium found. Looked at:');
    for (const { source, path } of chromiumCandidates())
      console.error(`  ${path}${source === 'system' ? '' : ` (from ${source})`}`);
    console.error('Set CHROMIUM_PATH to a Chromium or Chrome executable, or run: node scripts/ensure-chromium.mjs');
    process.exit(1);
  }
  console.log(found);
}
