import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { CONSOLE_DB } from '../e2e/fixtures';
import { callWorker, instrumentContext, workerStatus } from './helpers/errand-page';
import { readJob, readJobs } from './helpers/store-state';
import { enqueueDemo, openConsoleTab } from './helpers/tabs';

/** Opens the Console's database one version up from another page, as newer code would, and closes it. */
async function upgradeFrom(page: Page): Promise<{ from: number; to: number }> {
  return page.evaluate(
    (dbName) =>
      new Promise<{ from: number; to: number }>((resolve, reject) => {
        const probe = indexedDB.open(dbName);
        probe.onerror = () => reject(probe.error ?? new Error('open failed'));
        probe.onsuccess = () => {
          const from = probe.result.version;
          probe.result.close();
          const request = indexedDB.open(dbName, from + 1);
          request.onerror = () => reject(request.error ?? new Error('upgrade failed'));
          request.onsuccess = () => {
            request.result.close();
            resolve({ from, to: from + 1 });
          };
        };
      }),
    CONSOLE_DB,
  );
}

async function upgradedConsole(
  context: BrowserContext,
  beforeUpgrade?: (page: Page) => Promise<void>,
): Promise<{ page: Page; running: string }> {
  await instrumentContext(context);
  const page = await openConsoleTab(context);
  const [running] = await enqueueDemo(page, 1, 40, 200);
  if (running === undefined) throw new Error('No job enqueued');
  await expect.poll(async () => (await readJob(page, running))?.completedSteps ?? 0).toBeGreaterThan(1);
  await beforeUpgrade?.(page);
  const other = await context.newPage();
  await other.goto('/favicon.svg');
  const versions = await upgradeFrom(other);
  console.log(`[upgrade] database upgraded from version ${versions.from} to ${versions.to}`);
  return { page, running };
}

test('an upgrade by newer code: the old worker stops, refuses commands with version, and writes nothing more', async ({
  context,
}) => {
  const { page, running } = await upgradedConsole(context);
  await expect
    .poll(async () => (await workerStatus(page)).outdated, { message: 'the old worker knows it is outdated' })
    .toBe(true);
  expect((await workerStatus(page)).isRunner).toBe(false);
  const refused = await callWorker(page, 'enqueue', [{ type: 'demo_steps', payload: { steps: 1, stepMs: 0 } }]);
  expect(refused.ok ? 'accepted' : refused.error.code).toBe('version');

  const atUpgrade = JSON.stringify(await readJobs(page));
  const job = await readJob(page, running);
  expect(job?.status).toBe('running');
  // Watch for as long as the job needs for several of its 200 ms steps: the old code must write nothing.
  await page.waitForTimeout(1_500);
  expect(JSON.stringify(await readJobs(page)), 'no write from the old code after the upgrade').toBe(atUpgrade);
});

test('an upgrade by newer code: the page asks for a reload', async ({ context }) => {
  const prompt = (page: Page) =>
    page
      .getByRole('button', { name: /reload/i })
      .or(page.getByRole('alert').filter({ hasText: /newer version|reload/i }))
      .or(page.getByRole('status').filter({ hasText: /newer version|reload/i }));
  const { page } = await upgradedConsole(context, async (before) => {
    await expect(prompt(before), 'no reload prompt before the upgrade').toHaveCount(0);
  });
  await expect.poll(async () => (await workerStatus(page)).outdated).toBe(true);
  await expect(prompt(page).first()).toBeVisible({ timeout: 5_000 });
  console.log(`[upgrade] the page says: ${await prompt(page).first().innerText()}`);
});
