import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Page } from '@playwright/test';
import { CONSOLE_DB, expect, readStore, test, type StoredJob, type StoredStep } from './fixtures';

/** The build the preview serves (see playwright.config.ts). */
const OUT_DIR = join(process.cwd(), process.env['E2E_OUTDIR'] ?? 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The built Console on a server of the test's own, so a test can publish a new version: from
 * version 2 on, `sw.js` differs by a few bytes (which is what makes the browser install it) and
 * answers a `version?` message with its version.
 */
async function serveBuild(): Promise<{ origin: string; publish(version: number): void; close(): Promise<void> }> {
  let version = 1;
  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      const file = normalize(join(OUT_DIR, path === '/' ? 'index.html' : path));
      if (!file.startsWith(OUT_DIR + sep)) {
        response.writeHead(403).end();
        return;
      }
      try {
        let body: Buffer | string = await readFile(file);
        if (path === '/sw.js' && version > 1) {
          body = `${body.toString()}\nself.addEventListener('message', (event) => { if (event.data === 'version?') event.ports[0]?.postMessage(${version}); });\n`;
        }
        response.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-cache',
        });
        response.end(body);
      } catch {
        response.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    publish: (next) => {
      version = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The version of the service worker that controls the page (1 for the build as built). */
function controllerVersion(page: Page): Promise<number | undefined> {
  return page.evaluate(
    () =>
      new Promise<number | undefined>((resolve) => {
        const controller = navigator.serviceWorker.controller;
        if (!controller) return resolve(undefined);
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(event.data as number);
        controller.postMessage('version?', [channel.port2]);
        setTimeout(() => resolve(1), 500);
      }),
  );
}

/** Whether the page is still the document it was when `marked` ran (a reload clears the mark). */
async function stillMarked(page: Page): Promise<boolean | 'navigating'> {
  try {
    return await page.evaluate(() => (window as { errandTestMark?: boolean }).errandTestMark === true);
  } catch {
    return 'navigating';
  }
}

async function startDemo(page: Page, steps: number, stepMs: number): Promise<string> {
  await page.goto(page.url().replace(/#.*$/, '') + '#/');
  await page.getByLabel('Steps', { exact: true }).fill(String(steps));
  await page.getByLabel('Step duration (ms)').fill(String(stepMs));
  await page.getByRole('button', { name: 'Start demo task' }).click();
  const link = page.getByRole('link', { name: `Demo task (${steps} steps)` }).first();
  await expect(link).toBeVisible();
  return ((await link.getAttribute('href')) ?? '').replace(/^.*#\/jobs\//, '');
}

async function jobOf(page: Page, id: string): Promise<StoredJob | undefined> {
  return (await readStore<StoredJob>(page, CONSOLE_DB, 'jobs', id))[0];
}

test('once installed, the Console opens and runs jobs with the network off', async ({ context, page }) => {
  await page.goto('/');
  await expect(page.getByText('Ready to work offline')).toBeVisible();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'served by the service worker').toBe(
    true,
  );
  const id = await startDemo(page, 2, 100);
  await expect.poll(async () => (await jobOf(page, id))?.status).toBe('completed');

  for (const [path, heading] of [
    ['#/jobs', 'Jobs'],
    ['#/import', 'Import a bank statement'],
    ['#/export', 'Export job history'],
    ['#/settings', 'Settings'],
  ] as const) {
    await page.goto(page.url().replace(/#.*$/, '') + path);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  }
  await page.goto(page.url().replace(/#.*$/, '') + `#/jobs/${id}`);
  await expect(page.getByRole('heading', { name: 'Demo task (2 steps)', level: 1 })).toBeVisible();
  await context.setOffline(false);
});

test('the visit that installed the app opens its other pages with the network off, without a reload', async ({
  context,
  page,
}) => {
  await page.goto('/');
  await expect(page.getByText('Ready to work offline')).toBeVisible();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await context.setOffline(true);
  for (const [link, heading] of [
    ['Schedules', 'Schedules'],
    ['Jobs', 'Jobs'],
    ['Recipes', 'Recipes'],
    ['Import CSV', 'Import a bank statement'],
    ['Export', 'Export job history'],
    ['Settings', 'Settings'],
  ] as const) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  }
  await context.setOffline(false);
});

test("a click on a job's notification shown through the service worker opens that job's page", async ({
  context,
  page,
}) => {
  await context.grantPermissions(['notifications']);
  await page.goto('/');
  await expect(page.getByText('Ready to work offline')).toBeVisible();
  const id = await startDemo(page, 2, 100);
  await expect.poll(async () => (await jobOf(page, id))?.status).toBe('completed');
  await page.goto(page.url().replace(/#.*$/, '') + '#/jobs');
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();

  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  // The browser's own click cannot be made headless: the same event is dispatched in the worker.
  const clicked = await worker.evaluate(async (jobId) => {
    const scope = self as unknown as {
      registration: ServiceWorkerRegistration;
      dispatchEvent(event: Event): boolean;
    };
    const tag = `errand-job-${jobId}`;
    await scope.registration.showNotification('Demo task (2 steps) completed', { tag, data: { errandJobId: jobId } });
    const [notification] = await scope.registration.getNotifications({ tag });
    if (!notification) return 'no notification shown';
    const NotificationEventType = (
      globalThis as unknown as { NotificationEvent: new (type: string, init: { notification: Notification }) => Event }
    ).NotificationEvent;
    scope.dispatchEvent(new NotificationEventType('notificationclick', { notification }));
    return 'clicked';
  }, id);
  expect(clicked).toBe('clicked');
  await expect(page).toHaveURL(new RegExp(`#/jobs/${id}$`));
  await expect(page.getByRole('heading', { name: 'Demo task (2 steps)', level: 1 })).toBeVisible();
});

/**
 * Publishes a new version while a job runs, agrees to the update, and checks that it waits for
 * the job and then reloads the page into the new version. `controlled`: whether the page was
 * served by the service worker when the update came (a later visit), or not (the visit that
 * installed it, where the new version takes over at once and only the page is left to reload).
 */
async function updateWhileAJobRuns(page: Page, controlled: boolean): Promise<void> {
  const site = await serveBuild();
  try {
    await page.goto(`${site.origin}/`);
    await expect(page.getByText('Ready to work offline')).toBeVisible();
    if (controlled) {
      await page.reload();
      await expect.poll(() => controllerVersion(page)).toBe(1);
    }

    const id = await startDemo(page, 8, 500);
    await expect.poll(async () => (await jobOf(page, id))?.status).toBe('running');
    await page.evaluate(() => {
      (window as { errandTestMark?: boolean }).errandTestMark = true;
    });

    site.publish(2);
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const ready = page.getByRole('listitem').filter({ hasText: 'A new version is ready' });
    await expect(ready).toBeVisible();
    expect(
      await page.getByText('Ready to work offline').count(),
      'a new version is not announced as the first install',
    ).toBeLessThanOrEqual(1);
    await ready.getByRole('button', { name: 'Update' }).click();
    await expect(page.getByText('Update waiting')).toBeVisible();
    const job = await jobOf(page, id);
    expect(job?.status, 'the update waits while the job runs').toBe('running');
    expect(await stillMarked(page), 'no reload while the job runs').toBe(true);

    await expect.poll(() => stillMarked(page), { timeout: 30_000 }).toBe(false);
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
    await expect.poll(() => controllerVersion(page)).toBe(2);
    const done = await jobOf(page, id);
    expect(done?.status).toBe('completed');
    expect(done?.attempts, 'the job ran in one attempt, not cut by the reload').toBe(1);
    const steps = (await readStore<StoredStep>(page, CONSOLE_DB, 'steps')).filter((step) => step.jobId === id);
    expect(steps.map((step) => step.runs)).toEqual(Array.from({ length: 8 }, () => 1));
    expect(
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null),
      'no version left waiting',
    ).toBeNull();
  } finally {
    await site.close();
  }
}

test('a new version installs only once the running job has finished, then the page reloads into it', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await updateWhileAJobRuns(page, true);
});

test('a new version published during the visit that installed the app is offered too, and waits for the job', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await updateWhileAJobRuns(page, false);
});
