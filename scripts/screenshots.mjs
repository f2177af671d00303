#!/usr/bin/env node
/**
 * `npm run screenshots`: builds the Job Console, serves it, fills it with realistic work (demo
 * tasks running, one paused, a categorized sample bank statement, a parsed recipe) and saves a
 * screenshot of every page at phone and desktop width to docs/screenshots/<page>-<width>.png,
 * plus the dashboard and the job center in the dark scheme (<page>-<width>-dark.png).
 *
 * Environment:
 * - SCREENSHOTS_PORT (default 4189) and SCREENSHOTS_OUTDIR (default dist-screenshots): the
 *   preview port and the build directory;
 * - SCREENSHOTS_SKIP_BUILD=1: serve the build already in SCREENSHOTS_OUTDIR;
 * - CHROMIUM_PATH: the browser to drive (see scripts/find-chromium.mjs).
 */
/* global window, document, indexedDB, HTMLElement -- used in functions that run in the page */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, expect as baseExpect } from '@playwright/test';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, findChromium } from './find-chromium.mjs';

const port = Number(process.env.SCREENSHOTS_PORT ?? 4189);
const outDir = process.env.SCREENSHOTS_OUTDIR ?? 'dist-screenshots';
const skipBuild = process.env.SCREENSHOTS_SKIP_BUILD === '1';
const target = join(import.meta.dirname, '..', 'docs', 'screenshots');

const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];
/** Pages shown in the dark scheme too. */
const DARK_PAGES = new Set(['dashboard', 'jobs']);

if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`SCREENSHOTS_PORT must be a TCP port`);
const expect = baseExpect.configure({ timeout: 15_000 });
const executablePath = findChromium();
if (executablePath === undefined) throw new Error('No Chromium found: run `node scripts/ensure-chromium.mjs`');

if (!skipBuild) {
  console.log(`Building the Job Console into ${outDir}…`);
  await build({ logLevel: 'warn', build: { outDir } });
}
const server = await preview({
  logLevel: 'warn',
  build: { outDir },
  preview: { port, host: '127.0.0.1', strictPort: true, open: false },
});
const baseURL = `http://127.0.0.1:${port}/`;
const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], headless: true });

try {
  const context = await browser.newContext({ baseURL, viewport: VIEWPORTS[1], colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Start demo task' })).toBeVisible();

  /** Goes to a page of the Console and waits for its heading. */
  const open = async (hash, heading) => {
    await page.evaluate((value) => (window.location.hash = value), hash);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  };
  const bar = page.getByRole('region', { name: 'Background jobs' });
  /** The ids of the demo tasks in the store, read with the raw IndexedDB API. */
  const demoIds = () =>
    page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const request = indexedDB.open('errand-console');
          request.onerror = () => reject(request.error ?? new Error('Could not open the store'));
          request.onsuccess = () => {
            const db = request.result;
            const read = db.transaction('jobs', 'readonly').objectStore('jobs').getAll();
            read.onsuccess = () => {
              db.close();
              resolve(read.result.filter((job) => job.type === 'demo_steps').map((job) => job.id));
            };
            read.onerror = () => reject(read.error ?? new Error('Could not read the jobs'));
          };
        }),
    );
  /** Starts a demo task from the dashboard and returns its id once it is stored. */
  const startDemo = async (steps, stepMs) => {
    await open('#/', 'Dashboard');
    const before = new Set(await demoIds());
    await page.getByLabel('Steps', { exact: true }).fill(String(steps));
    await page.getByLabel('Step duration (ms)').fill(String(stepMs));
    await page.getByRole('button', { name: 'Start demo task' }).click();
    let id;
    await expect
      .poll(async () => {
        id = (await demoIds()).find((candidate) => !before.has(candidate));
        return id;
      })
      .toBeDefined();
    return id;
  };

  console.log('Categorizing the sample bank statement…');
  await open('#/import', 'Import a bank statement');
  await page.getByRole('button', { name: 'Use sample statement' }).click();
  await page.getByRole('button', { name: 'Start categorization' }).click();
  await expect(page.getByRole('link', { name: 'Download categorized CSV' })).toBeVisible({ timeout: 180_000 });

  console.log('Parsing a recipe…');
  await open('#/recipes', 'Recipes');
  await page.getByRole('button', { name: 'Paste an example' }).click();
  await page.getByRole('button', { name: 'Parse recipe' }).click();
  await expect(page.getByRole('region', { name: 'Recipe', exact: true })).toHaveAttribute('data-state', 'completed');

  console.log('Saving schedules…');
  await open('#/schedules', 'Schedules');
  for (const [type, label, preset] of [
    ['Export job history', 'Nightly history export', 'Every day at 09:00'],
    ['Demo task', 'Hourly demo', 'Every hour'],
  ]) {
    await page.getByLabel('Job type').selectOption({ label: type });
    await page.getByLabel('Label').fill(label);
    await page.getByLabel('Repeat').selectOption({ label: preset });
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(
      page.getByRole('table', { name: 'Schedules' }).getByRole('strong').filter({ hasText: label }),
    ).toBeVisible();
  }

  console.log('Starting demo tasks…');
  const quick = await startDemo(3, 300);
  await expect(page.locator(`[data-job-id="${quick}"]`)).toHaveCount(0);
  const paused = await startDemo(24, 1_000);
  const running = await startDemo(40, 3_000);
  await startDemo(60, 2_000);
  await open(`#/jobs/${paused}`, /Demo task/);
  await expect(page.getByRole('progressbar', { name: 'Demo task (24 steps)' }).first()).toHaveAttribute(
    'aria-valuenow',
    /^(1[3-9]|[2-9]\d)$/,
    { timeout: 30_000 },
  );
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(bar.locator(`[data-job-id="${paused}"]`)).toHaveAttribute('data-state', 'paused');
  await startDemo(30, 3_000);
  await expect
    .poll(() => bar.locator(`[data-job-id="${running}"]`).getAttribute('aria-valuenow').then(Number), {
      timeout: 60_000,
    })
    .toBeGreaterThanOrEqual(10);
  await open('#/', 'Dashboard');
  await expect(page.getByRole('link', { name: '5 jobs', exact: true })).toBeVisible({ timeout: 45_000 });

  const pages = [
    { name: 'dashboard', hash: '#/', heading: 'Dashboard' },
    { name: 'jobs', hash: '#/jobs', heading: 'Jobs' },
    { name: 'job', hash: `#/jobs/${running}`, heading: /Demo task/ },
    { name: 'recipes', hash: '#/recipes', heading: 'Recipes' },
    { name: 'import', hash: '#/import', heading: 'Import a bank statement' },
    { name: 'export', hash: '#/export', heading: 'Export job history' },
    { name: 'schedules', hash: '#/schedules', heading: 'Schedules' },
    { name: 'settings', hash: '#/settings', heading: 'Settings' },
  ];

  await mkdir(target, { recursive: true });
  /** Dismisses the toasts, which would cover part of the page. */
  const clearToasts = async () => {
    const close = page.locator('.toast-close');
    while ((await close.count()) > 0) await close.first().click();
  };
  const shoot = async (name, width, suffix) => {
    await clearToasts();
    await page.evaluate(() => {
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      window.scrollTo(0, 0);
    });
    await page.evaluate(() => document.fonts.ready);
    await page.mouse.move(0, 0);
    let height = -1;
    await expect
      .poll(
        async () => {
          const before = height;
          height = await page.evaluate(() => document.documentElement.scrollHeight);
          return height === before;
        },
        { intervals: [300], timeout: 15_000 },
      )
      .toBe(true);
    const file = join(target, `${name}-${width}${suffix}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
    console.log(`  ${file}`);
  };

  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      for (const { name, hash, heading } of pages) {
        if (scheme === 'dark' && !DARK_PAGES.has(name)) continue;
        await open(hash, heading);
        if (name === 'recipes' && !(await page.getByRole('article', { name: 'Parsed recipe' }).isVisible())) {
          await page
            .getByRole('region', { name: /Your recipes/ })
            .getByRole('button')
            .first()
            .click();
          await expect(page.getByRole('article', { name: 'Parsed recipe' })).toBeVisible();
        }
        if (name === 'import') await expect(page.getByRole('link', { name: 'Download categorized CSV' })).toBeVisible();
        await shoot(name, viewport.width, scheme === 'dark' ? '-dark' : '');
      }
    }
  }
  await context.close();
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}
