#!/usr/bin/env node
/**
 * Makes sure a Chromium is there for the browser tests. When none is found and this is a
 * Debian-like system run as root, installs Debian's `chromium` package with apt-get; otherwise
 * says what to do and exits 1. Playwright's browser downloads are never used.
 *
 * Usage: node scripts/ensure-chromium.mjs
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumCandidates, findChromium } from './find-chromium.mjs';

function run(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasAptGet() {
  return existsSync('/etc/debian_version') && ['/usr/bin/apt-get', '/bin/apt-get'].some((path) => existsSync(path));
}

function fail() {
  console.error('No Chromium found for the browser tests. Looked at:');
  for (const { source, path } of chromiumCandidates())
    console.error(`  ${path}${source === 'system' ? '' : ` (from ${source})`}`);
  console.error('');
  console.error('Do one of these, then run the tests again:');
  console.error('  - on Debian or Ubuntu, as root: apt-get update && apt-get install -y chromium');
  console.error('  - or set CHROMIUM_PATH to an installed Chromium or Chrome executable');
  process.exit(1);
}

const present = findChromium();
if (present !== undefined) {
  console.log(`Chromium: ${present}`);
} else if (process.platform === 'linux' && isRoot() && hasAptGet()) {
  console.log('No Chromium found: installing the Debian chromium package.');
  try {
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', 'chromium']);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    fail();
  }
  const installed = findChromium();
  if (installed === undefined) fail();
  console.log(`Chromium: ${installed}`);
} else {
  fail();
}
