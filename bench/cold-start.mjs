#!/usr/bin/env node
/**
 * `npm run bench:cold-start`: the Console opened in a new browser session, as a returning user
 * opens it after the browser was closed. The main `ui` rows measure a page that follows a page
 * of the same app in a running browser, whose renderer process may already hold the app's
 * compiled code; here every measured load starts a new browser on the same profile (database,
 * HTTP cache and service worker kept), so the app's scripts are compiled and its first layout,
 * locale data and storage are reached afresh.
 *
 * Prints, for each load, the main-thread tasks over 50 ms within 3 s of navigating to `#/jobs`
 * (100,000 stored jobs, 1,000 running), and the animation frames over 50 ms with their scripts,
 * seen by the observers of the `ui` rows.
 *
 * With --trace, each load is also traced, and each task over 50 ms is printed with the time its
 * thread spent on the CPU, its phases (navigation commit, context creation, script, layout...)
 * and the other threads of the browser that were busy meanwhile. Tracing costs CPU itself, so
 * the counts of a traced run are not the figures to quote.
 *
 * Options:
 *   --loads N      measured loads, each in a new browser session (default 6)
 *   --trace        trace each load and break its long tasks down
 *   --no-build     reuse bench/dist/console from the last build
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.mjs';
import { serveStatic } from './lib/server.mjs';
import { startTrace, longTasksOfLoad } from './lib/trace.mjs';
import { inPage, installObservers, seedConsole } from './lib/ui.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const consoleDir = join(repo, 'bench', 'dist', 'console');
const { values } = parseArgs({
  options: {
    loads: { type: 'string', default: '6' },
    trace: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});
const loads = Number(values.loads);
if (!Number.isInteger(loads) || loads < 1) throw new Error('--loads needs a whole number of at least 1');

const executablePath = findChromium();
if (!executablePath) throw new Error('No Chromium found: run `node scripts/ensure-chromium.mjs`');
if (!values['no-build']) {
  const { build } = await import('vite');
  await build({
    configFile: join(repo, 'vite.config.ts'),
    root: repo,
    logLevel: 'warn',
    build: { outDir: consoleDir, emptyOutDir: true },
  });
}
const { chromium } = await import('playwright-core');

const profile = await mkdtemp(join(tmpdir(), 'errand-cold-start-'));
const app = await serveStatic(consoleDir);
const launch = () => chromium.launchPersistentContext(profile, { executablePath, headless: true, args: CHROMIUM_ARGS });
let context = await launch();
const counts = [];
try {
  await seedConsole(context, app.url);
  for (let load = 0; load <= loads; load++) {
    if (load > 0) {
      await context.close();
      context = await launch();
    }
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.addInitScript(installObservers);
    // Driven over the DevTools protocol only, as the `ui` rows are: Playwright's own injected
    // script would be compiled in the page.
    const cdp = await context.newCDPSession(page);
    const endTrace = values.trace ? await startTrace(cdp) : undefined;
    await page.goto(`${app.url}#/jobs`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const state = await inPage(cdp, () => ({
      longTasks: window.__benchUi.longTaskLog,
      longFrames: window.__benchUi.longFrames,
    }));
    const traced = endTrace ? longTasksOfLoad(await endTrace(), app.url) : [];
    await page.close();
    // The first load, in the session that seeded the store, only warms the caches.
    const label = load === 0 ? 'seeding session (not counted)' : `new session ${load}`;
    if (load > 0) counts.push(state.longTasks.length);
    console.log(
      `${label}: ${state.longTasks.length} tasks > 50 ms ${JSON.stringify(state.longTasks.map((t) => `${t.ms} ms at ${t.at}`))}`,
    );
    for (const task of traced) {
      console.log(`  traced task of ${task.ms} ms at ${task.at}: ${task.cpuMs} ms on the CPU`);
      const phases = task.phases.slice(0, 6).map((p) => `${p.name} ${p.wallMs} ms (CPU ${p.cpuMs})`);
      if (phases.length > 0) console.log(`    phases: ${phases.join(' | ')}`);
      console.log(`    meanwhile: ${task.otherThreads.map((t) => `${t.thread} ${t.cpuMs} ms`).join(' | ')}`);
    }
    for (const frame of state.longFrames)
      console.log(
        `  frame of ${frame.ms} ms at ${frame.at}: ${
          frame.scripts.map((script) => `${script.invoker} ${script.source} ${script.ms} ms`).join(' | ') || 'no script'
        }`,
      );
  }
} finally {
  await context.close().catch(() => undefined);
  await app.close();
  await rm(profile, { recursive: true, force: true });
}
console.log(
  `\n${counts.filter((n) => n === 0).length} of ${counts.length} loads in a new session had no main-thread task over 50 ms ` +
    `(tasks per load: ${counts.join(', ')}).`,
);
