import { expect, type BrowserContext, type Page } from '@playwright/test';
import { countLocks, RUNNER_LOCK, type LockCount } from '../../e2e/fixtures';
import { callWorkerOk, workerStatus } from './errand-page';

/** Opens the Console in a new tab of the context and waits until its worker answers. */
export async function openConsoleTab(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Background jobs' })).toBeAttached();
  await workerStatus(page);
  return page;
}

/** The tabs whose worker says it is the runner. */
export async function runnerTabs(pages: readonly Page[]): Promise<Page[]> {
  const flags = await Promise.all(
    pages.map(async (page) => (await workerStatus(page).catch(() => undefined))?.isRunner === true),
  );
  return pages.filter((_, i) => flags[i]);
}

/** Enqueues demo jobs in one transaction and returns their ids. */
export async function enqueueDemo(page: Page, count: number, steps: number, stepMs: number): Promise<string[]> {
  const requests = Array.from({ length: count }, () => ({ type: 'demo_steps', payload: { steps, stepMs } }));
  const jobs = await callWorkerOk<{ id: string }[]>(page, 'enqueueMany', [requests]);
  return jobs.map((job) => job.id);
}

/** Runner locks as seen from each tab, in one round. */
export function sampleLocks(pages: readonly Page[]): Promise<LockCount[]> {
  return Promise.all(pages.map((page) => countLocks(page, RUNNER_LOCK)));
}

/**
 * Crashes a tab's renderer (and its worker with it) through the DevTools protocol, and answers
 * when the crash was seen (epoch ms). The renderer crashes itself on its main thread, so a busy
 * tab dies some time after the command: on a loaded machine, up to 2 s.
 */
export async function crashTab(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page);
  const crashed = page.waitForEvent('crash', { timeout: 15_000 }).then(() => Date.now());
  // The renderer dies before it can answer, so the command never resolves.
  void cdp.send('Page.crash').catch(() => undefined);
  return crashed;
}
