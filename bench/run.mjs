#!/usr/bin/env node
/**
 * `npm run bench`: builds the bench pages and the Console, serves them cross-origin isolated,
 * drives the system Chromium (on-disk profile) through every scenario, prints the table and
 * writes bench/results/<timestamp>.json.
 *
 * Options:
 *   --only limit,errand,page,tanstack,workbox,ui,cold,size   groups to run (default: all)
 *   --runs N                                            measured runs per group (default 3)
 *   --max-drain-s S                                     cap of one 10,000-job enqueue or drain (default 15)
 *   --no-build                                          reuse bench/dist from the last build
 *   --ui-concurrency N                                  ui: the Console runs N jobs at once (default 1,000: all)
 *   --ui-step-ms MS                                     ui: each of a demo job's 10 steps lasts MS (default 2,000)
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.mjs';
import { METRICS } from './lib/metrics.mjs';
import { serveStatic } from './lib/server.mjs';
import { initialJavaScript } from './lib/size.mjs';
import { printTable, summarize } from './lib/table.mjs';
import { newSessions } from './lib/new-session.mjs';
import { measureConsole, serveConsole, UI_CONCURRENCY, UI_JOBS, UI_QUEUED, UI_RUNNING, UI_STEP_MS } from './lib/ui.mjs';

const GROUPS = ['limit', 'errand', 'page', 'tanstack', 'workbox', 'ui', 'cold', 'size'];
const WORKER_GROUPS = new Set(['limit', 'errand', 'tanstack']);
/** Groups the bench page runs: in a worker of its own, on the page (`page`), or in its service worker. */
const PAGE_GROUPS = new Set([...WORKER_GROUPS, 'page', 'workbox']);
/** The warm-up runs each scenario at this fraction of its size. */
const WARM_UP_SCALE = 0.1;

const repo = fileURLToPath(new URL('..', import.meta.url));
const benchDir = join(repo, 'bench');
const pagesDir = join(benchDir, 'dist', 'pages');
const consoleDir = join(benchDir, 'dist', 'console');

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'max-drain-s': { type: 'string', default: '15' },
    'no-build': { type: 'boolean', default: false },
    'ui-concurrency': { type: 'string' },
    'ui-step-ms': { type: 'string' },
  },
});
const only = values.only
  ? values.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  : GROUPS;
for (const group of only) if (!GROUPS.includes(group)) fail(`Unknown group "${group}"; known: ${GROUPS.join(', ')}`);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) fail('--runs needs a whole number of at least 1');
const maxDrainMs = Number(values['max-drain-s']) * 1000;
if (!Number.isFinite(maxDrainMs) || maxDrainMs <= 0) fail('--max-drain-s needs a positive number of seconds');
const wants = (group) => only.includes(group);
const uiLoad = {
  ...(values['ui-concurrency'] === undefined
    ? {}
    : { concurrency: wholeNumber('--ui-concurrency', values['ui-concurrency']) }),
  ...(values['ui-step-ms'] === undefined ? {} : { stepMs: wholeNumber('--ui-step-ms', values['ui-step-ms']) }),
};

function wholeNumber(flag, text) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) fail(`${flag} needs a whole number of at least 1`);
  return value;
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

function log(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function findChromiumPath() {
  return findChromium() ?? fail('No Chromium found: run `node scripts/ensure-chromium.mjs` or set CHROMIUM_PATH');
}

async function buildAll() {
  const { build } = await import('vite');
  const needPages = only.some((g) => PAGE_GROUPS.has(g));
  const needConsole = wants('ui') || wants('cold') || wants('size');
  if (needPages) {
    log('building the bench pages');
    await build({ configFile: join(benchDir, 'vite.config.ts'), logLevel: 'warn' });
  }
  if (needConsole) {
    log('building the Console');
    await build({
      configFile: join(repo, 'vite.config.ts'),
      root: repo,
      logLevel: 'warn',
      build: { outDir: consoleDir, emptyOutDir: true },
    });
  }
}

/**
 * Warms each group up once, then measures them in turns, run 1 of every group before run 2 of
 * any: a drift of the machine between runs then moves a figure and the limit it is compared
 * with alike, instead of landing between them. A group that fails is recorded in `problems`
 * and left out of the later turns; its figures are `undefined`.
 */
async function interleave(groups, problems) {
  const stamp = Date.now().toString(36);
  const figures = groups.map(() => []);
  const live = new Set(groups.map(([group]) => group));
  const attempt = async (group, fn) => {
    try {
      await fn();
    } catch (error) {
      problems[group] = error instanceof Error ? error.message.split('\n')[0] : String(error);
      log(`${group} could not run: ${problems[group]}`);
      live.delete(group);
    }
  };
  for (const [group, measure] of groups) {
    log(`${group}: warm-up`);
    await attempt(group, () => measure({ scale: WARM_UP_SCALE, dbPrefix: `bench-${stamp}-${group}-warm`, maxDrainMs }));
  }
  for (let run = 1; run <= runs; run++) {
    for (const [i, [group, measure]] of groups.entries()) {
      if (!live.has(group)) continue;
      log(`${group}: run ${run} of ${runs}`);
      await attempt(group, async () =>
        figures[i].push(await measure({ scale: 1, dbPrefix: `bench-${stamp}-${group}-${run}`, maxDrainMs })),
      );
    }
  }
  return groups.map(([group], i) => (live.has(group) ? figures[i] : undefined));
}

async function main() {
  process.chdir(repo);
  const started = Date.now();
  if (!values['no-build']) await buildAll();
  const executablePath = findChromiumPath();
  const chromiumVersion = execFileSync(executablePath, ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  const { chromium } = await import('playwright-core');

  /** @type {Record<string, Record<string, number>[]>} */
  const collected = {};
  /** @type {Record<string, string>} */
  const problems = {};
  const notes = {};
  const servers = [];
  const profile = await mkdtemp(join(tmpdir(), 'errand-bench-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: CHROMIUM_ARGS });
    const inPages = only.filter((g) => PAGE_GROUPS.has(g));
    if (inPages.length > 0) {
      const pages = await serveStatic(pagesDir);
      servers.push(pages);
      const page = await context.newPage();
      page.on('pageerror', (error) => log(`page error: ${error.message}`));
      page.on('console', (message) => {
        const text = message.text();
        if (text.startsWith('[bench-step] ')) log(`  ${text.slice(13)}`);
        else if (message.type() === 'error' || message.type() === 'warning')
          log(`  console ${message.type()}: ${text.slice(0, 300)}`);
      });
      await page.goto(pages.url);
      await page.waitForFunction(() => 'bench' in window);
      notes.isolation = await page.evaluate(() => window.bench.isolation());
      if (!notes.isolation.page || !notes.isolation.worker)
        log('warning: not cross-origin isolated; timers are coarse');
      const measured = await interleave(
        inPages.map((group) => [
          group,
          (options) =>
            group === 'workbox'
              ? page.evaluate((o) => window.bench.runWorkbox(o), options)
              : group === 'page'
                ? page.evaluate((o) => window.bench.runFromPage(o), options)
                : page.evaluate(([g, o]) => window.bench.runInWorker(g, o), [group, options]),
        ]),
        problems,
      );
      inPages.forEach((group, i) => {
        if (measured[i]) collected[group] = measured[i];
      });
      await page.close();
    }
    if (wants('ui')) {
      try {
        const app = await serveConsole(consoleDir);
        servers.push(app);
        const concurrency = uiLoad.concurrency ?? UI_CONCURRENCY;
        log(
          `ui: each run on ${UI_JOBS.toLocaleString('en')} stored jobs and ${UI_QUEUED.toLocaleString('en')} demo_steps queued ` +
            `(steps of ${uiLoad.stepMs ?? UI_STEP_MS} ms, ${concurrency.toLocaleString('en')} running at once)`,
        );
        notes.uiLoad = { queued: UI_QUEUED, stepMs: UI_STEP_MS, concurrency: UI_CONCURRENCY, ...uiLoad };
        const [ui] = await interleave([['ui', () => measureConsole(context, app.url, uiLoad)]], problems);
        if (ui) collected.ui = ui;
      } catch (error) {
        problems.ui = error instanceof Error ? error.message.split('\n')[0] : String(error);
        log(`ui could not run: ${problems.ui}`);
      }
    }
  } finally {
    await context?.close().catch(() => undefined);
    for (const server of servers) await server.close();
    await rm(profile, { recursive: true, force: true });
  }

  // In a browser of its own, started anew for each measured load, after the shared one closed.
  if (wants('cold')) {
    let app;
    let sessions;
    try {
      app = await serveConsole(consoleDir);
      log(
        `cold: the Console in a new browser session, ${UI_JOBS.toLocaleString('en')} stored jobs and ` +
          `${UI_RUNNING.toLocaleString('en')} running (the warm-up is the seeding session's load)`,
      );
      sessions = await newSessions({ executablePath, url: app.url });
      const [cold] = await interleave([['cold', () => sessions.load()]], problems);
      if (cold) collected.cold = cold;
    } catch (error) {
      problems.cold = error instanceof Error ? error.message.split('\n')[0] : String(error);
      log(`cold could not run: ${problems.cold}`);
    } finally {
      await sessions?.close();
      await app?.close();
    }
  }

  if (wants('size')) {
    const size = await initialJavaScript(consoleDir);
    collected.size = [{ 'size.initialJs': size.kilobytes }];
    notes.initialJsFiles = size.files;
  }

  const summaries = summarize(collected);
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium: chromiumVersion,
  };
  const rows = printTable(METRICS, summaries, problems, { runs, machine });
  const at = new Date(started).toISOString().replace(/[:.]/g, '-');
  const out = join(benchDir, 'results', `${at}.json`);
  await mkdir(join(benchDir, 'results'), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify({ startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000, runs, warmUpScale: WARM_UP_SCALE, maxDrainMs, only, machine, notes, problems, rows, raw: collected }, null, 2)}\n`,
  );
  log(`wrote ${out} (${Math.round((Date.now() - started) / 1000)} s)`);
}

await main();
