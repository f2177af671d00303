import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './scripts/find-chromium.mjs';

/**
 * Browser tests against the built Console, served by `vite preview`, in the system Chromium.
 *
 * Environment:
 * - `E2E_PORT` (default 4173) and `E2E_OUTDIR` (default `dist`): the preview port and the build
 *   directory, so several runs can share a machine without clashing (the example app that
 *   embeds the kit takes the next port and `<E2E_OUTDIR>-embed`);
 * - `E2E_SKIP_BUILD=1`: serve the build already in `E2E_OUTDIR` instead of building it first;
 * - `CHROMIUM_PATH`: the browser to drive (see scripts/find-chromium.mjs).
 */
const port = Number(process.env['E2E_PORT'] ?? 4173);
const outDir = process.env['E2E_OUTDIR'] ?? 'dist';
const skipBuild = process.env['E2E_SKIP_BUILD'] === '1';
const onCi = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

if (!Number.isInteger(port) || port < 1 || port > 65_534)
  throw new Error(`E2E_PORT must be a TCP port, got "${process.env['E2E_PORT']}"`);
if (!/^[\w.-]+$/.test(outDir)) throw new Error(`E2E_OUTDIR must be a plain directory name, got "${outDir}"`);

const executablePath = findChromium();
if (executablePath === undefined) {
  throw new Error(
    'No Chromium found for the browser tests: run `node scripts/ensure-chromium.mjs` or set CHROMIUM_PATH',
  );
}

const baseURL = `http://127.0.0.1:${port}/`;
/** The example app that embeds the kit (examples/embed), served on the next port. */
const embedURL = `http://127.0.0.1:${port + 1}/`;
const embedConfig = '--config examples/embed/vite.config.ts';
const embedBuild = `node node_modules/vite/bin/vite.js build ${embedConfig}`;
const embedPreview = `node node_modules/vite/bin/vite.js preview ${embedConfig} --port ${port + 1} --strictPort`;
const build = `node node_modules/vite/bin/vite.js build --outDir ${outDir} --logLevel warn`;
const preview = `node node_modules/vite/bin/vite.js preview --outDir ${outDir} --port ${port} --strictPort --host 127.0.0.1`;

export default defineConfig({
  testDir: './tests',
  testMatch: ['e2e/**/*.spec.ts', 'reliability/**/*.spec.ts'],
  outputDir: `test-results/${basename(outDir)}`,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  forbidOnly: onCi,
  // No retries: a test that fails once is a bug to find, in the test or in the app.
  retries: 0,
  workers: Math.min(2, availableParallelism()),
  reporter: onCi ? [['list'], ['line']] : [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath, args: [...CHROMIUM_ARGS] },
    // Without DOM snapshots and screenshots, which cost a quarter of the suite's time on a 2-core
    // machine; the trace keeps every action, console message, request and error, and a failure
    // keeps a screenshot and the page's accessibility tree (error-context.md).
    trace: { mode: 'retain-on-failure', snapshots: false, screenshots: false, sources: false },
    screenshot: 'only-on-failure',
  },
  webServer: [
    {
      command: skipBuild ? preview : `${build} && ${preview}`,
      url: baseURL,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: skipBuild ? embedPreview : `${embedBuild} && ${embedPreview}`,
      url: embedURL,
      env: { EMBED_OUTDIR: `${outDir}-embed` },
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
