import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { CONSOLE_DB } from '../e2e/fixtures';
import { callWorker, instrumentContext, workerStatus } from './helpers/errand-page';
import { enqueueDemo, openConsoleTab } from './helpers/tabs';

function lossAlert(page: Page) {
  return page.getByRole('alert').filter({ hasText: 'This page has stopped running jobs' });
}

/** Whether the browser lists the Console's database (listing it does not create it). */
function storeExists(page: Page): Promise<boolean> {
  return page.evaluate(
    async (name) => (await indexedDB.databases()).some((database) => database.name === name),
    CONSOLE_DB,
  );
}

/** Two Console tabs, one of them running a slow demo job. */
async function twoTabsAtWork(context: BrowserContext): Promise<{ runner: Page; other: Page; running: string }> {
  await instrumentContext(context);
  const runner = await openConsoleTab(context);
  await expect.poll(async () => (await workerStatus(runner)).isRunner).toBe(true);
  const other = await openConsoleTab(context);
  const [running] = await enqueueDemo(runner, 1, 50, 200);
  if (running === undefined) throw new Error('No job enqueued');
  await expect.poll(async () => (await workerStatus(runner)).running).toBe(1);
  return { runner, other, running };
}

/** Each tab says so, its worker refuses with `version` and runs nothing, and nothing reopens the store. */
async function expectStopped(pages: readonly Page[], loss: 'deleted' | 'closed', text: RegExp): Promise<void> {
  for (const page of pages) {
    await expect(lossAlert(page)).toBeVisible();
    await expect(lossAlert(page)).toHaveAttribute('data-loss', loss);
    await expect(lossAlert(page)).toContainText(text);
    await expect.poll(async () => (await workerStatus(page)).storeLost).toBe(loss);
    const status = await workerStatus(page);
    expect(status).toMatchObject({ isRunner: false, outdated: false });
    const refused = await callWorker(page, 'enqueue', [{ type: 'demo_steps', payload: { steps: 1, stepMs: 0 } }]);
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('version');
  }
  // The running handler has been stopped: nothing of the old session is left to write.
  await expect.poll(async () => (await workerStatus(pages[0] as Page)).running).toBe(0);
  expect(await storeExists(pages[0] as Page), 'nothing recreated the database under its old name').toBe(false);
}

test('the job store deleted from another tab: every tab says so and stops, and a reload starts afresh', async ({
  context,
}) => {
  const { runner, other } = await twoTabsAtWork(context);
  await expect(lossAlert(runner)).toHaveCount(0);

  // Every connection closes when told, so the deletion goes through. Chromium may still report
  // it `blocked` first, when a context under load has not yet run its `versionchange` handler;
  // what counts is that it then completes, with nothing left to hold it up.
  const outcome = await other.evaluate(
    (name) =>
      new Promise<string>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = () => resolve('deleted');
        request.onerror = () => reject(request.error ?? new Error('Could not delete the database'));
      }),
    CONSOLE_DB,
  );
  expect(outcome, 'no open connection holds the deletion up').toBe('deleted');
  await expectStopped([runner, other], 'deleted', /saved jobs were deleted/i);

  await lossAlert(runner).getByRole('button', { name: 'Reload' }).click();
  await expect(runner.getByRole('button', { name: 'Start demo task' })).toBeVisible();
  await expect(lossAlert(runner)).toHaveCount(0);
  // The page remembered the store it had: the new one is reported as a loss until dismissed.
  await expect(runner.getByRole('alert').filter({ hasText: 'Saved jobs were lost' })).toBeVisible();
  await expect.poll(async () => (await workerStatus(runner)).isRunner).toBe(true);
  const [fresh] = await enqueueDemo(runner, 1, 1, 0);
  expect(fresh).toBeDefined();
});

test("the site's IndexedDB data cleared while a job runs: each tab says the browser closed the store, and nothing reopens it", async ({
  context,
}) => {
  const { runner, other } = await twoTabsAtWork(context);
  const cdp = await context.newCDPSession(runner);
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(runner.url()).origin, storageTypes: 'indexeddb' });

  await expectStopped([runner, other], 'closed', /browser closed the job store/i);

  await lossAlert(other).getByRole('button', { name: 'Reload' }).click();
  await expect(other.getByRole('button', { name: 'Start demo task' })).toBeVisible();
  await expect(lossAlert(other)).toHaveCount(0);
  await expect.poll(async () => (await workerStatus(other)).isRunner).toBe(true);
  const [fresh] = await enqueueDemo(other, 1, 1, 0);
  expect(fresh).toBeDefined();
});
