import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startRecordedStub, type RecordedStub } from './helpers/ai-stub';
import { callWorkerOk, instrumentContext, workerStatus } from './helpers/errand-page';
import { readJobs, type JobRow } from './helpers/store-state';
import { openConsoleTab } from './helpers/tabs';

/** How long the test stays offline while watching for a retry storm (the long form: a minute). */
const OFFLINE_MS = Number(process.env['RELIABILITY_OFFLINE_MS'] ?? 6_000);

let stub: RecordedStub;
test.beforeAll(async () => {
  stub = await startRecordedStub();
});
test.afterAll(async () => {
  await stub.close();
});

const recipe = (n: number): string =>
  `Offline soup ${n} ${Date.now()}\n${n + 1} cups water\n2 carrots\nDirections\nSimmer.`;

async function offlineScenario(context: BrowserContext, checkResume: boolean): Promise<void> {
  await instrumentContext(context);
  await stub.attach(context);
  const page = await openConsoleTab(context);
  await callWorkerOk(page, 'putSetting', ['ai', stub.setting]);
  stub.server.control.setLatency(300);

  const enqueue = async (from: number, count: number): Promise<string[]> => {
    const requests = Array.from({ length: count }, (_, i) => ({
      type: 'recipe_parsing',
      payload: { text: recipe(from + i) },
    }));
    return (await callWorkerOk<{ id: string }[]>(page, 'enqueueMany', [requests])).map((job) => job.id);
  };
  const first = await enqueue(0, 4);
  await expect
    .poll(() => stub.server.control.stats().chatRequests, { message: 'the first calls reach the stub' })
    .toBeGreaterThan(0);

  await context.setOffline(true);
  stub.offline = true;
  const ids = [...first, ...(await enqueue(4, 8))];
  const pending = (jobs: JobRow[]): JobRow[] =>
    jobs.filter((job) => ids.includes(job.id) && job.status !== 'completed');
  await expect
    .poll(
      async () =>
        pending(await readJobs(page))
          .map((job) => `${job.status}:${job.waitReason ?? ''}`)
          .filter((state) => state !== 'waiting:offline'),
      {
        timeout: 20_000,
        message: 'every unfinished AI job waits with reason offline',
      },
    )
    .toEqual([]);
  const waiting = pending(await readJobs(page)).length;
  expect(waiting).toBeGreaterThan(0);

  const callsWhenWaiting = stub.server.control.stats().requests;
  const watchUntil = Date.now() + OFFLINE_MS;
  const seen: string[] = [];
  while (Date.now() < watchUntil) {
    const jobs = await readJobs(page);
    for (const job of jobs)
      if (ids.includes(job.id) && job.status === 'failed') seen.push(`${job.id} failed: ${job.error?.code ?? '?'}`);
    await page.waitForTimeout(250);
  }
  expect(seen, 'no job fails for being offline').toEqual([]);
  expect(stub.server.control.stats().requests, 'no provider call while offline').toBe(callsWhenWaiting);

  stub.offline = false;
  await context.setOffline(false);
  if (!checkResume) return;
  const reconnectedAt = Date.now();
  await expect
    .poll(async () => (await workerStatus(page)).online, {
      timeout: 5_000,
      intervals: [50],
      message: 'the worker sees the network back',
    })
    .toBe(true);
  await expect
    .poll(async () => pending(await readJobs(page)).filter((job) => job.status === 'waiting').length, {
      timeout: 5_000,
      intervals: [50],
      message: 'every waiting job resumes within 5 s of reconnecting',
    })
    .toBe(0);
  const resumedMs = Date.now() - reconnectedAt;
  await expect
    .poll(async () => pending(await readJobs(page)).map((job) => job.status), { timeout: 30_000 })
    .toEqual([]);
  const jobs = (await readJobs(page)).filter((job) => ids.includes(job.id));
  expect(jobs.filter((job) => job.history.some((entry) => entry.status === 'failed'))).toEqual([]);
  const calls = stub.server.control.stats().chatRequests;
  console.log(
    `[offline] ${waiting} jobs waited offline for ${OFFLINE_MS} ms; resumed ${resumedMs} ms after reconnecting; ${calls} provider calls in all for ${ids.length} jobs`,
  );
  expect(calls, 'no retry storm: calls stay within one per job').toBeLessThanOrEqual(ids.length);
}

test('offline mid-run: AI jobs wait with reason offline, none fails, no provider call while offline', async ({
  context,
}) => {
  test.setTimeout(120_000);
  await offlineScenario(context, false);
});

test('offline mid-run: every waiting job resumes within 5 s of reconnecting', async ({ context }) => {
  test.setTimeout(120_000);
  await offlineScenario(context, true);
});

test('a brief outage while the running tab closes: the tab that takes over resumes the jobs waiting for the network', async ({
  context,
}) => {
  await instrumentContext(context);
  await stub.attach(context);
  const first = await openConsoleTab(context);
  const second = await openConsoleTab(context);
  await callWorkerOk(first, 'putSetting', ['ai', stub.setting]);

  await context.setOffline(true);
  stub.offline = true;
  const requests = Array.from({ length: 4 }, (_, i) => ({
    type: 'recipe_parsing',
    payload: { text: recipe(100 + i) },
  }));
  const ids = (await callWorkerOk<{ id: string }[]>(second, 'enqueueMany', [requests])).map((job) => job.id);
  const states = async (page: Page) =>
    (await readJobs(page)).filter((job) => ids.includes(job.id)).map((job) => `${job.status}:${job.waitReason ?? ''}`);
  await expect.poll(() => states(second)).toEqual(ids.map(() => 'waiting:offline'));

  // The outage ends right after the takeover: within a second, the worker's poll of
  // `navigator.onLine` may not have seen it at all (emulation sends workers no events).
  const [runner, watcher] = (await workerStatus(first)).isRunner ? [first, second] : [second, first];
  await runner.close();
  await expect.poll(async () => (await workerStatus(watcher)).isRunner).toBe(true);
  stub.offline = false;
  await context.setOffline(false);

  await expect.poll(() => states(watcher), { timeout: 30_000 }).toEqual(ids.map(() => 'completed:'));
  const jobs = (await readJobs(watcher)).filter((job) => ids.includes(job.id));
  expect(jobs.filter((job) => job.history.some((entry) => entry.status === 'failed'))).toEqual([]);
});
