#!/usr/bin/env node
/**
 * `npm run bench:cold-start`: the Console opened in a new browser session several times, as a
 * returning user opens it after the browser was closed (see lib/new-session.mjs). `npm run
 * bench` measures the same loads in its `cold` rows; this script prints each load.
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
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findChromium } from '../scripts/find-chromium.mjs';
import { newSessions } from './lib/new-session.mjs';
import { serveConsole } from './lib/ui.mjs';

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

const app = await serveConsole(consoleDir);
const sessions = await newSessions({ executablePath, url: app.url });
const counts = [];
try {
  for (let load = 0; load <= loads; load++) {
    const figures = await sessions.load({ trace: values.trace });
    // The first load, in the session that seeded the store, only warms the caches.
    const label = load === 0 ? 'seeding session (not counted)' : `new session ${load}`;
    if (load > 0) counts.push(figures['cold.longTasks']);
    const log = figures['cold.longTaskLog'];
    console.log(
      `${label}: ${log.length} tasks > 50 ms ${JSON.stringify(log.map((t) => `${t.ms} ms at ${t.at}`))}, ` +
        `${figures['cold.longTasksBeforeScripts']} of them before the page's scripts ran`,
    );
    for (const task of figures['cold.traced'] ?? []) {
      console.log(`  traced task of ${task.ms} ms at ${task.at}: ${task.cpuMs} ms on the CPU`);
      const phases = task.phases.slice(0, 6).map((p) => `${p.name} ${p.wallMs} ms (CPU ${p.cpuMs})`);
      if (phases.length > 0) console.log(`    phases: ${phases.join(' | ')}`);
      console.log(`    meanwhile: ${task.otherThreads.map((t) => `${t.thread} ${t.cpuMs} ms`).join(' | ')}`);
    }
    for (const frame of figures['cold.longFrames'])
      console.log(
        `  frame of ${frame.ms} ms at ${frame.at}: ${
          frame.scripts.map((script) => `${script.invoker} ${script.source} ${script.ms} ms`).join(' | ') || 'no script'
        }`,
      );
  }
} finally {
  await sessions.close();
  await app.close();
}
console.log(
  `\n${counts.filter((n) => n === 0).length} of ${counts.length} loads in a new session had no main-thread task over 50 ms ` +
    `(tasks per load: ${counts.join(', ')}).`,
);
