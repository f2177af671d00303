import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { CONSOLE_DB, expect, readStore, test } from './fixtures';

/** The Console's worker script as built: `assets/main-<hash>.js`, started by the page with `new Worker`. */
const WORKER_SCRIPT = /\/assets\/main-[\w-]+\.js$/;

/** Page errors nobody handled (an unhandled rejection included), collected from `page`. */
function uncaughtErrors(page: Page): string[] {
  const uncaught: string[] = [];
  page.on('pageerror', (error) => uncaught.push(error.message));
  return uncaught;
}

/** Opens every page of the Console: each one shows its heading, and `notice` stays. */
async function visitEveryPage(page: Page, notice: Locator): Promise<void> {
  for (const name of ['Jobs', 'Recipes', 'Import CSV', 'Export', 'Settings', 'Dashboard']) {
    await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
    await expect(page.locator('main h1')).toBeVisible();
    await expect(notice).toBeVisible();
  }
}

async function openWithoutWorker(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Background jobs' })).toBeAttached();
}

test('a worker script that does not load: the page says so, commands fail with worker, nothing is stored', async ({
  page,
}) => {
  let blocked = 0;
  await page.route(WORKER_SCRIPT, async (route) => {
    blocked += 1;
    await route.abort('failed');
  });
  const uncaught = uncaughtErrors(page);
  await openWithoutWorker(page);

  const notice = page.locator('[role="alert"][data-worker="failed"]');
  await expect(notice).toContainText("This tab's job runner could not start (its script did not load)");
  // Said once, for the whole page: the dashboard's own reads of the worker do not repeat it.
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(1);
  await expect(notice.getByRole('button', { name: 'Reload' })).toBeVisible();
  expect(blocked).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Start demo task' }).click();
  await expect(page.getByText(/Could not start the demo task: The job worker could not start/)).toBeVisible();
  // Not "Loading job types…" for ever.
  await expect(page.getByText('The job types cannot be shown in this tab (see above).')).toBeVisible();
  expect(await readStore(page, CONSOLE_DB, 'jobs')).toEqual([]);
  await visitEveryPage(page, notice);
  expect(uncaught).toEqual([]);
});

test('a worker that throws as it starts: the page shows its reason, and a reload with the worker back runs jobs', async ({
  page,
}) => {
  await page.route(WORKER_SCRIPT, (route) =>
    route.fulfill({ contentType: 'text/javascript', body: "throw new Error('no storage in this profile');" }),
  );
  await openWithoutWorker(page);
  const notice = page.locator('[role="alert"][data-worker="failed"]');
  await expect(notice).toContainText('no storage in this profile');

  await page.unroute(WORKER_SCRIPT);
  await notice.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('button', { name: 'Start demo task' })).toBeVisible();
  await page.getByRole('button', { name: 'Start demo task' }).click();
  await expect(page.getByRole('progressbar').first()).toBeAttached();
  await expect(page.locator('[data-worker="failed"]')).toHaveCount(0);
});

test('a worker that stops after it started: the page says so, commands fail with worker, a reload starts a new one', async ({
  page,
}) => {
  // Keeps the page's workers at hand, to end one as its own code or the browser might.
  await page.addInitScript(() => {
    const scope = window as unknown as { Worker: typeof Worker; __workers: Worker[] };
    scope.__workers = [];
    scope.Worker = class extends scope.Worker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        scope.__workers.push(this);
      }
    };
  });
  await page.goto('/');
  const start = page.getByRole('button', { name: 'Start demo task' });
  await start.click();
  await expect(page.getByRole('progressbar').first()).toBeAttached();
  await expect(page.locator('[data-worker="failed"]')).toHaveCount(0);

  const uncaught = uncaughtErrors(page);
  await page.evaluate(() => {
    for (const worker of (window as unknown as { __workers: Worker[] }).__workers) worker.terminate();
  });
  const notice = page.locator('[role="alert"][data-worker="failed"]');
  await expect(notice).toContainText("This tab's job runner stopped (it was closed or terminated)");
  await expect(notice).toHaveAttribute('data-phase', 'stopped');
  await expect(page.getByRole('alert')).toHaveCount(1);
  const stored = (await readStore(page, CONSOLE_DB, 'jobs')).length;

  await start.click();
  await expect(page.getByText(/Could not start the demo task: The job worker stopped/)).toBeVisible();
  expect(await readStore(page, CONSOLE_DB, 'jobs')).toHaveLength(stored);
  await visitEveryPage(page, notice);
  expect(uncaught).toEqual([]);

  await notice.getByRole('button', { name: 'Reload' }).click();
  await expect(start).toBeVisible();
  await start.click();
  await expect.poll(async () => (await readStore(page, CONSOLE_DB, 'jobs')).length).toBe(stored + 1);
  await expect(page.locator('[data-worker="failed"]')).toHaveCount(0);
});

/**
 * The Console says once, in its alert, that jobs cannot run here and why (`reason`, the start of
 * it), and the demo task's button says the same when pressed. Returns the alert.
 */
async function expectJobsCannotRun(page: Page, reason: string): Promise<Locator> {
  const notice = page.locator('[role="alert"][data-runner="unsupported"]');
  await expect(notice).toContainText(`Jobs cannot run here: ${reason}`);
  await expect(page.getByRole('alert')).toHaveCount(1);
  await page.getByRole('button', { name: 'Start demo task' }).click();
  await expect(
    page.getByText(`Could not start the demo task: Jobs cannot run in this browser context: ${reason}`),
  ).toBeVisible();
  return notice;
}

test('a context without Web Locks (a page served over http from a LAN address): the page says jobs cannot run here, and an enqueue is refused', async ({
  page,
}) => {
  // As the browser makes a context that is not secure: no `navigator.locks` in the worker.
  await page.route(WORKER_SCRIPT, async (route) => {
    const response = await route.fetch();
    const body = [
      "Object.defineProperty(WorkerNavigator.prototype, 'locks', { get: () => undefined });",
      "Object.defineProperty(self, 'isSecureContext', { value: false });",
      await response.text(),
    ].join('\n');
    await route.fulfill({ response, body });
  });
  const uncaught = uncaughtErrors(page);
  await page.goto('/');
  const notice = await expectJobsCannotRun(
    page,
    'the page is not a secure context; serve it over https, or open it from localhost',
  );
  expect(await readStore(page, CONSOLE_DB, 'jobs')).toEqual([]);
  await visitEveryPage(page, notice);
  expect(uncaught).toEqual([]);
});

test('a browser that lets the site store nothing (cookies and site data blocked): the page says jobs cannot run here, and why', async ({
  userDataDir,
  launchOnProfile,
}) => {
  // The profile's setting "Don't allow sites to save data": IndexedDB's open is denied.
  await mkdir(join(userDataDir, 'Default'), { recursive: true });
  await writeFile(
    join(userDataDir, 'Default', 'Preferences'),
    JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }),
  );
  const browser = await launchOnProfile();
  const page = await browser.context.newPage();
  const uncaught = uncaughtErrors(page);
  await page.goto('/');
  const notice = await expectJobsCannotRun(
    page,
    'the browser does not let this site store data (cookies and site data are blocked for it)',
  );
  await expect(page.getByText('The job types cannot be shown in this tab (see above).')).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByText('The jobs cannot be read in this tab (see above).')).toBeVisible();
  await visitEveryPage(page, notice);
  expect(uncaught).toEqual([]);
});
