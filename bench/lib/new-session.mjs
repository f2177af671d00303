/**
 * The Console opened in a new browser session, as a returning user opens it after the browser
 * was closed: the `cold` rows of `npm run bench` and `npm run bench:cold-start`.
 *
 * The `ui` rows measure a page that follows a page of the same app in a running browser, whose
 * renderer process may already hold the app's compiled code. Here the store is seeded once
 * (100,000 stored jobs, 1,000 demo_steps jobs queued), and every measured load starts a new
 * browser on the same profile (database, HTTP cache and service worker kept), so the app's
 * scripts are compiled and its first layout, locale data and storage are reached afresh. The
 * jobs left running by the previous session are taken over by the new one, as after a restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from '../../scripts/find-chromium.mjs';
import { longTasksOfLoad, startTrace } from './trace.mjs';
import { tasksBeforeScripts } from './long-tasks.mjs';
import { inPage, installObservers, readLongTasks, seedConsole, waitInPage } from './ui.mjs';

/** How long after navigating to `#/jobs` a load is watched. */
export const NEW_SESSION_WATCH_MS = 3_000;

/**
 * Seeds a new profile's store in a first browser session; `load()` then closes the browser,
 * starts a new one on the profile and measures one load of `#/jobs` in it.
 * @param {{ executablePath: string, url: string }} options
 */
export async function newSessions({ executablePath, url }) {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'errand-new-session-'));
  const launch = () =>
    chromium.launchPersistentContext(profile, { executablePath, headless: true, args: CHROMIUM_ARGS });
  let context = await launch();
  let first = true;
  await seedConsole(context, url);
  return {
    /**
     * One load. The first runs in the seeding session and only warms the caches; each later
     * one in a new browser session. With `trace`, the load is traced and its long tasks broken
     * down (see trace.mjs); tracing costs CPU itself.
     * @param {{ trace?: boolean }} [options]
     */
    async load({ trace = false } = {}) {
      if (!first) {
        await context.close();
        context = await launch();
      }
      first = false;
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.addInitScript(installObservers);
      // Driven over the DevTools protocol only, as the `ui` rows are: Playwright's own injected
      // script would be compiled in the page.
      const cdp = await context.newCDPSession(page);
      const run = (fn, arg) => inPage(cdp, fn, arg);
      const endTrace = trace ? await startTrace(cdp) : undefined;
      const navigated = Date.now();
      await page.goto(`${url}#/jobs`);
      await waitInPage(run, '[aria-label="Jobs"] [role="row"][data-job-id]', 60_000, true);
      const left = NEW_SESSION_WATCH_MS - (Date.now() - navigated);
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
      const state = await run(readLongTasks);
      const longTasks = state.longTaskLog.map((task) => task.ms);
      const traced = endTrace ? longTasksOfLoad(await endTrace(), url) : undefined;
      await page.close();
      return {
        'cold.longTasks': longTasks.length,
        'cold.longTasksBeforeScripts': tasksBeforeScripts(state),
        'cold.worstTask': longTasks.length > 0 ? Math.max(...longTasks) : 0,
        // Not in the table: when each long task came, and the long frames that held them.
        'cold.longTaskLog': state.longTaskLog,
        'cold.longFrames': state.longFrames,
        ...(traced ? { 'cold.traced': traced } : {}),
      };
    },
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
