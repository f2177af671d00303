import type { Locator, Page } from '@playwright/test';
import { CONSOLE_DB, expect, seededJob, seedJobs, test, writeStore } from './fixtures';

function pillBar(page: Page): Locator {
  return page.getByRole('region', { name: 'Background jobs' });
}

function pillOf(page: Page, id: string): Locator {
  return pillBar(page).locator(`[role="progressbar"][data-job-id="${id}"]`);
}

async function valueOf(pill: Locator): Promise<number> {
  return Number(await pill.getAttribute('aria-valuenow'));
}

test('a demo task shows a pill with rising progress and completes with a toast', async ({ consoleTab, page }) => {
  const id = await consoleTab.startDemo(4, 900);
  const pill = pillOf(page, id);
  await expect(pill).toHaveAttribute('data-state', 'running');
  await expect(pill).toHaveAttribute('aria-label', 'Demo task (4 steps)');
  // The link around it is named for the job too, then its progress.
  await expect(pillBar(page).getByRole('link', { name: /^Demo task \(4 steps\), \d+%/ })).toBeVisible();
  await expect(pill).toHaveAttribute('aria-valuemin', '0');
  await expect(pill).toHaveAttribute('aria-valuemax', '100');
  const first = await valueOf(pill);
  await expect.poll(() => valueOf(pill)).toBeGreaterThan(first);

  const toasts = page.getByRole('region', { name: 'Notifications' });
  await expect(toasts.getByText('Demo task (4 steps) completed')).toBeVisible({ timeout: 15_000 });
  await expect(
    toasts
      .getByRole('listitem')
      .filter({ hasText: 'Demo task (4 steps) completed' })
      .getByRole('link', { name: 'View' }),
  ).toBeVisible();
  await expect(pill).toHaveCount(0);
});

test('pause and resume from the detail page reached through the pill', async ({ consoleTab, page }) => {
  // Steps long enough that the job is still running when the test pauses it, however loaded the machine.
  const id = await consoleTab.startDemo(8, 2_000);
  const pill = pillOf(page, id);
  await expect.poll(() => valueOf(pill)).toBeGreaterThan(0);

  await pill.click();
  await expect(page).toHaveURL(new RegExp(`#/jobs/${id}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Demo task (8 steps)' })).toBeVisible();
  // The tab's title names the job and its status, so the tab can be told from others.
  await expect(page).toHaveTitle('Demo task (8 steps) (running) · Errand Job Console');
  await expect(page.getByRole('button', { name: 'Resume' })).toHaveCount(0);
  // The journal lists the steps begun: the one running is named so, not counted as a total.
  await expect(page.locator('.step-summary')).toContainText(/^\s*[1-7] completed, 1 running ·/);
  await expect(page.getByText(/Step [2-8] of 8/).first()).toBeVisible();

  // From the keyboard: the command that replaces the pressed one takes its focus.
  await page.getByRole('button', { name: 'Pause' }).focus();
  await page.keyboard.press('Enter');
  await expect(pill).toHaveAttribute('data-state', 'paused');
  await expect(pill).toHaveAttribute('aria-valuetext', /Paused/);
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Resume' })).toBeFocused();
  // Where it stopped says "Paused" once, not again beside it. The step is the one the job
  // reported ("Step 3 of 8"), or the journaled step it finished last ("step 2"), where the pause
  // came between the two writes.
  await expect(page.locator('.progress-facts')).toContainText(/Paused at: step \d/i);
  await expect(page.locator('.progress-facts > span').filter({ hasText: /^Paused$/ })).toHaveCount(0);
  const pausedAt = await valueOf(pill);
  expect((await consoleTab.job(id))?.status).toBe('paused');
  await expect(page).toHaveTitle('Demo task (8 steps) (paused) · Errand Job Console');

  await page.keyboard.press('Enter');
  await expect(pill).toHaveAttribute('data-state', 'running');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeFocused();
  await expect.poll(() => valueOf(pill)).toBeGreaterThan(pausedAt);
  await expect(page.locator('.detail-sub .status-badge')).toHaveText('Completed', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  // Pause had the focus when the job finished on its own and took it away: the focus goes on.
  await expect(page.getByRole('button', { name: 'Remove' })).toBeFocused();
  // The toast tells the news here too, without a link to the page it is on.
  const toast = page.getByRole('region', { name: 'Notifications' }).getByRole('listitem').filter({
    hasText: 'Demo task (8 steps) completed',
  });
  await expect(toast).toBeVisible();
  await expect(toast.getByRole('link', { name: 'View' })).toHaveCount(0);
});

test('cancel a running job from its detail page, then remove it', async ({ consoleTab, page }) => {
  const id = await consoleTab.startDemo(20, 1000);
  const pill = pillOf(page, id);
  await expect(pill).toHaveAttribute('data-state', 'running');
  await pill.click();

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(pill).toHaveCount(0);
  await expect(page.locator('.detail-sub .status-badge')).toHaveText('Cancelled');
  await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  expect((await consoleTab.job(id))?.status).toBe('cancelled');

  await page.getByRole('button', { name: 'Remove' }).click();
  // It asks first, and "Keep" keeps the job.
  const confirm = page.getByRole('group', { name: 'Confirm removal' });
  await expect(confirm).toContainText('cannot be undone');
  // Focus is on the answer that deletes nothing, so a second Enter keeps the job; Escape too.
  await expect(confirm.getByRole('button', { name: 'Keep' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Remove' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Remove' })).toBeFocused();
  expect((await consoleTab.job(id))?.status).toBe('cancelled');
  await page.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove it' }).click();
  await expect(page).toHaveURL(/#\/jobs$/);
  await expect.poll(() => consoleTab.job(id)).toBeUndefined();
  // The list it leads to says the job was removed, once: a change of filter clears it.
  const removed = page.getByRole('status').filter({ hasText: 'Removed “Demo task (20 steps)”.' });
  await expect(removed).toBeVisible();
  await expect(page).toHaveTitle('Jobs · Errand Job Console');
  await page.getByLabel('Status').selectOption('completed');
  await expect(removed).toHaveCount(0);
  await page.getByLabel('Status').selectOption('');
  await expect(removed).toHaveCount(0);
  // The removed job's page took the place of its history entry: Back does not lead to "Job not found".
  await page.goBack();
  await expect(page).not.toHaveURL(new RegExp(id));
  await expect(page.getByRole('heading', { name: 'Job not found' })).toHaveCount(0);
});

test('a second tab shows the same pill progress live', async ({ consoleTab, openTab, page }) => {
  const second = await openTab();
  const id = await consoleTab.startDemo(6, 1_500);
  const there = pillOf(second.page, id);
  await expect(there).toHaveAttribute('data-state', 'running');
  await expect(there).toHaveAttribute('aria-label', 'Demo task (6 steps)');
  const first = await valueOf(there);
  await expect.poll(() => valueOf(there)).toBeGreaterThan(first);
  await expect(pillOf(page, id)).toHaveAttribute('data-state', 'running');
  await expect(there).toHaveCount(0, { timeout: 30_000 });
  await expect(
    second.page.getByRole('region', { name: 'Notifications' }).getByText('Demo task (6 steps) completed'),
  ).toBeVisible();
});

test('every tab hears committed job changes on the change feed, without payloads', async ({ consoleTab, openTab }) => {
  const second = await openTab();
  await second.page.evaluate((db) => {
    const heard: { id: string; status: string; progress: number; hasPayload: boolean }[] = [];
    Object.assign(window, { heardFeed: heard });
    new BroadcastChannel(`errand-jobs:${db}`).addEventListener('message', (event: MessageEvent) => {
      const data = event.data as { jobs: Record<string, unknown>[] };
      for (const job of data.jobs) {
        heard.push({
          id: String(job.id),
          status: String(job.status),
          progress: Number(job.progress),
          hasPayload: 'payload' in job,
        });
      }
    });
  }, CONSOLE_DB);
  const id = await consoleTab.startDemo(4, 400);
  const heard = () =>
    second.page.evaluate(
      (jobId) =>
        (
          window as unknown as { heardFeed: { id: string; status: string; progress: number; hasPayload: boolean }[] }
        ).heardFeed.filter((job) => job.id === jobId),
      id,
    );
  await expect.poll(async () => (await heard()).some((job) => job.status === 'running' && job.progress > 0)).toBe(true);
  await expect
    .poll(async () => (await heard()).some((job) => job.status === 'completed'), { timeout: 15_000 })
    .toBe(true);
  expect((await heard()).some((job) => job.hasPayload)).toBe(false);
});

test('waiting and paused pills say why in words, with a countdown that ticks', async ({ consoleTab, page }) => {
  const at = Date.now();
  await seedJobs(page, [
    seededJob('seed-retry', 'Upload receipts', { status: 'waiting', waitReason: 'retry', runAt: at + 95_000 }),
    seededJob('seed-deps', 'Build report', { status: 'waiting', waitReason: 'dependencies' }),
    seededJob('seed-paused', 'Import March', { status: 'paused' }),
  ]);
  await consoleTab.open();
  const retry = pillOf(page, 'seed-retry');
  await expect(retry).toHaveAttribute('data-state', 'waiting');
  await expect(retry).toHaveAttribute('aria-valuenow', '30');
  await expect(retry).toContainText(/Retrying in 1:3\d/);
  const before = await retry.getAttribute('aria-valuetext');
  await expect.poll(() => retry.getAttribute('aria-valuetext')).not.toBe(before);
  await expect(pillOf(page, 'seed-deps')).toContainText('Waiting for other jobs');
  await expect(pillOf(page, 'seed-paused')).toHaveAttribute('data-state', 'paused');
  await expect(pillOf(page, 'seed-paused')).toContainText('Paused');
});

/**
 * The share of a progress track its fill covers on screen: the fill slides in from the left, and
 * the track hides the part outside it (-1 when it does not).
 */
function shownShare(track: Locator): Promise<number> {
  return track.evaluate((element) => {
    const fill = element.firstElementChild;
    if (!fill || !['hidden', 'clip'].includes(getComputedStyle(element).overflowX)) return -1;
    const box = element.getBoundingClientRect();
    const right = Math.min(box.right, Math.max(box.left, fill.getBoundingClientRect().right));
    return Math.round(((right - box.left) / box.width) * 100);
  });
}

test('progress bars show the share done in the pill, the job list and the detail page', async ({
  consoleTab,
  page,
}) => {
  await seedJobs(page, [seededJob('seed-bar', 'Import April', { status: 'paused', progress: 0.3 })]);
  await consoleTab.open();
  const pill = pillOf(page, 'seed-bar');
  await expect(pill).toHaveAttribute('aria-valuenow', '30');
  await expect.poll(() => shownShare(pill.locator('.pill-track'))).toBe(30);

  await page.goto('/#/jobs');
  const row = page.locator('[role="row"][data-job-id="seed-bar"]');
  await expect(row).toContainText('30%');
  await expect.poll(() => shownShare(row.locator('.track'))).toBe(30);

  await page.goto('/#/jobs/seed-bar');
  await expect(page.getByRole('heading', { name: 'Progress' })).toBeVisible();
  await expect.poll(() => shownShare(page.locator('.meter'))).toBe(30);
});

test("a finished job's detail page does not show its last step as if it were still at it", async ({
  consoleTab,
  page,
}) => {
  const done = Date.now() - 1_000;
  await seedJobs(page, [
    seededJob('seed-done', 'Import May', {
      status: 'completed',
      progress: 1,
      step: 'Writing categorized.csv',
      completedAt: done,
      history: [{ status: 'completed', at: done }],
    }),
    seededJob('seed-failed', 'Import June', {
      status: 'failed',
      step: 'Rows 301–400',
      error: { name: 'Error', code: 'handler-error', message: 'The bank said no', retryable: false },
      history: [{ status: 'failed', at: done }],
    }),
    seededJob('seed-running', 'Import July', {
      status: 'paused',
      step: 'Rows 101–200',
      history: [{ status: 'paused', at: done }],
    }),
    seededJob('seed-retrying', 'Import August', {
      status: 'waiting',
      waitReason: 'retry',
      runAt: done + 3_600_000,
      wakeAt: done + 3_600_000,
      step: 'Waiting for the AI answer',
      error: { name: 'AiProviderError', code: 'handler-error', message: 'The AI server answered 500', retryable: true },
      history: [
        { status: 'running', at: done - 1_000 },
        { status: 'waiting', at: done, waitReason: 'retry', code: 'handler-error' },
      ],
    }),
    seededJob('seed-limited', 'Import September', {
      status: 'waiting',
      waitReason: 'rate_limit',
      runAt: done + 3_600_000,
      wakeAt: done + 3_600_000,
      attempts: 0,
      maxAttempts: 5,
      error: { name: 'RateLimitError', code: 'rate-limited', message: 'Too many requests', retryable: true },
      history: [
        { status: 'running', at: done - 1_000 },
        { status: 'waiting', at: done, waitReason: 'rate_limit', code: 'rate-limited' },
      ],
    }),
  ]);
  await consoleTab.open();
  const facts = page.locator('.progress-facts');
  await page.goto('/#/jobs/seed-done');
  await expect(page.getByRole('heading', { name: 'Import May', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Progress' })).toBeVisible();
  await expect(facts).not.toContainText('Writing categorized.csv');
  await page.goto('/#/jobs/seed-failed');
  await expect(page.getByRole('heading', { name: 'Import June', level: 1 })).toBeVisible();
  await expect(facts).toContainText('Stopped at: Rows 301–400');
  // The error in words first; its code and kind only behind "Technical details".
  const errorCard = page.getByRole('region', { name: 'Error' });
  await expect(errorCard).toContainText('The bank said no');
  await expect(errorCard).toContainText('The task ran into an error · retrying will likely fail the same way');
  await expect(errorCard.getByText('handler-error')).toBeHidden();
  await errorCard.getByText('Technical details').click();
  await expect(errorCard.getByText('handler-error')).toBeVisible();
  await page.goto('/#/jobs/seed-running');
  await expect(page.getByRole('heading', { name: 'Import July', level: 1 })).toBeVisible();
  await expect(facts).toContainText('Paused at: Rows 101–200');
  await expect(facts).not.toContainText('Stopped at');
  // Between attempts: where the last one stopped, what went wrong, and that it runs again.
  await page.goto('/#/jobs/seed-retrying');
  await expect(page.getByRole('heading', { name: 'Import August', level: 1 })).toBeVisible();
  await expect(facts).toContainText('Stopped at: Waiting for the AI answer');
  await expect(errorCard).toContainText('The AI service failed or could not be reached · it will be tried again');
  await expect(page.getByRole('region', { name: 'History' })).toContainText('to retry · the task ran into an error');
  await page.goto('/#/jobs/seed-limited');
  await expect(page.getByRole('heading', { name: 'Import September', level: 1 })).toBeVisible();
  await expect(errorCard).toContainText('The service asked to slow down · it runs again when the limit lifts');
  await expect(page.getByRole('region', { name: 'Details' })).toContainText(
    /0 of 5\s\(runs cut short by a pause, a rate limit or a closed tab do not count\)/,
  );
});

test("a finished job's page keeps its times current while it stays open", async ({ consoleTab: _opened, page }) => {
  const done = Date.now();
  await seedJobs(page, [
    seededJob('seed-just-done', 'Import September', {
      status: 'completed',
      progress: 1,
      completedAt: done,
      history: [{ status: 'completed', at: done }],
    }),
  ]);
  await page.goto('/#/jobs/seed-just-done');
  const finished = page.locator('dt:text-is("Finished") + dd');
  await expect(finished).toHaveText('just now');
  // No change to the job: only the clock moves the time on.
  await expect(finished).toHaveText(/^\d+ s ago$/, { timeout: 15_000 });
});

test("a job's page fits a 320 px phone: a long step, its dependencies and its step journal", async ({
  consoleTab: _opened,
  page,
}) => {
  await page.setViewportSize({ width: 320, height: 640 });
  const done = Date.now() - 60_000;
  await seedJobs(page, [
    seededJob('seed-upload', 'Upload exports', {
      status: 'failed',
      step: 'Uploading https://storage.example.com/buckets/errand-exports/2026/12/06/object-key.json',
      completedAt: done,
      dependsOn: ['seed-export-long-name', '0192f3a5-1111-7222-8333-444455556666'],
      error: { name: 'Error', code: 'handler-error', message: 'The bucket said no', retryable: false },
      history: [{ status: 'failed', at: done }],
    }),
    seededJob('seed-export-long-name', 'Export of every categorized transaction of the year 2026 to one file', {
      status: 'completed',
      progress: 1,
      completedAt: done,
      history: [{ status: 'completed', at: done }],
    }),
  ]);
  await writeStore(
    page,
    CONSOLE_DB,
    'steps',
    ['rows-0-to-99-categorize', 'upload-to-remote-storage-with-retries'].map((name, index) => ({
      jobId: 'seed-upload',
      name,
      status: index === 0 ? 'completed' : 'failed',
      runs: index + 1,
      startedAt: done - 5_000,
      finishedAt: done,
    })),
  );
  await page.goto('/#/jobs/seed-upload');
  await expect(page.getByRole('heading', { name: 'Upload exports', level: 1 })).toBeVisible();
  const journal = page.getByRole('table', { name: 'Step journal' });
  await expect(journal.getByRole('row')).toHaveCount(3);

  // Nothing widens the page past the screen.
  expect(
    await page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth),
  ).toBe(0);
  // Every column of the journal is in sight without scrolling it sideways, and still read as a table.
  expect(await journal.evaluate((region) => region.scrollWidth - region.clientWidth)).toBe(0);
  await expect(journal.getByRole('columnheader')).toHaveText(['Step', 'Status', 'Runs', 'Started', 'Took']);
  await expect(journal.getByRole('row').nth(2).getByRole('cell')).toHaveCount(5);
  // Two dependencies are two rows: a long label wraps within the card, a removed one shows its id.
  const dependencies = page.getByRole('region', { name: 'Related jobs' }).getByRole('list', { name: /^Depends on/ });
  await expect(dependencies.getByRole('listitem')).toHaveText([
    /^Export of every .* Completed$/,
    /^0192f3a5-1111-7222-8333-444455556666\s+removed$/,
  ]);
  const [first, second] = await dependencies
    .getByRole('listitem')
    .evaluateAll((items) => items.map((item) => item.getBoundingClientRect().toJSON() as DOMRect));
  expect(second!.top).toBeGreaterThanOrEqual(first!.bottom);
});

test('a job that fails while the page is open gets an error toast; an old failure does not', async ({
  consoleTab,
  page,
}) => {
  const at = Date.now();
  await seedJobs(page, [
    seededJob('seed-old-failure', 'Old failure', {
      status: 'failed',
      completedAt: at - 1_000,
      error: { name: 'PermanentJobError', code: 'seeded', message: 'Failed long ago', retryable: false },
    }),
    seededJob('seed-bad-payload', 'Broken demo', {
      status: 'waiting',
      waitReason: 'scheduled',
      runAt: at + 4_000,
      wakeAt: at + 4_000,
      payload: null,
      progress: 0,
      attempts: 0,
      maxAttempts: 1,
    }),
  ]);
  await consoleTab.open();
  await expect(pillOf(page, 'seed-bad-payload')).toContainText(/Starts in \d s/);
  const toasts = page.getByRole('region', { name: 'Notifications' });
  await expect(toasts.getByText('Broken demo failed')).toBeVisible({ timeout: 15_000 });
  await expect(toasts.getByText('Old failure failed')).toHaveCount(0);
});

test('forty jobs finishing together get three toasts and one that counts the rest', async ({ consoleTab, page }) => {
  const at = Date.now();
  await writeStore(page, CONSOLE_DB, 'settings', [{ key: 'limits', value: { concurrency: 100 } }]);
  // Due together a few seconds after the page opens, so the page sees each of them finish.
  await seedJobs(
    page,
    Array.from({ length: 40 }, (_, i) =>
      seededJob(`burst-${String(i).padStart(2, '0')}`, `Burst ${i}`, {
        status: 'waiting',
        waitReason: 'scheduled',
        runAt: at + 4_000,
        wakeAt: at + 4_000,
        payload: { steps: 1, stepMs: 100 },
        progress: 0,
        step: undefined,
        completedSteps: 0,
        attempts: 0,
        history: [{ status: 'waiting', at }],
      }),
    ),
  );
  await consoleTab.open();
  const toasts = page.getByRole('region', { name: 'Notifications' });
  // The pointer on the toasts holds them, as it would for someone reading them.
  await toasts.getByRole('listitem').first().hover({ timeout: 20_000 });
  const counting = toasts.getByRole('listitem').filter({ hasText: /more jobs completed/ });
  await expect(counting).toContainText('37 more jobs completed');
  // Three told one by one, the rest in the one toast, which leads to the completed jobs.
  await expect(toasts.getByRole('listitem')).toHaveCount(4);
  await expect(toasts.getByRole('listitem').filter({ hasText: /Burst \d+ completed/ })).toHaveCount(3);
  await counting.getByRole('link', { name: 'View' }).click();
  await expect(page).toHaveURL(/#\/jobs\?status=completed$/);
});

test('the pill bar stays on one line with a "+N more" pill on a phone', async ({ consoleTab, page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  for (let i = 0; i < 3; i++) await consoleTab.startDemo(30, 1000);
  const bar = pillBar(page);
  await expect(bar.getByRole('link', { name: /more background jobs/ })).toBeVisible();
  const pills = await bar.getByRole('progressbar').all();
  const tops = await Promise.all(pills.map(async (pill) => (await pill.boundingBox())?.y ?? -1));
  expect(new Set(tops).size).toBe(1);
  await bar.getByRole('link', { name: /more background jobs/ }).click();
  await expect(page).toHaveURL(/#\/jobs\?status=active$/);
});

test('on a phone the keyboard going back up a page never leaves the focus under the header and pill bar', async ({
  consoleTab: _opened,
  page,
}) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto('/#/import');
  await page.getByLabel('Pause between batches (ms)').focus();
  const top = page.locator('.app-top');
  for (let presses = 0; presses < 30; presses++) {
    await page.keyboard.press('Shift+Tab');
    const [focused, bar] = await page.evaluate(() => [
      document.activeElement!.getBoundingClientRect().top,
      document.querySelector('.app-top')!.getBoundingClientRect().bottom,
    ]);
    expect(focused, `after ${presses + 1} presses`).toBeGreaterThanOrEqual(bar);
  }
  // The bar's own links are always in sight: taking the focus does not scroll the page.
  await page.evaluate(() => window.scrollTo(0, 800));
  await top.getByRole('link', { name: 'Settings' }).focus();
  expect(await page.evaluate(() => window.scrollY)).toBe(800);
});

test('with 70 jobs running at once the bar shows the oldest and counts every one of them', async ({
  consoleTab,
  page,
}) => {
  const at = Date.now() - 10_000;
  // More running jobs than the bar reads records of (50 per status): the rest are counted.
  await writeStore(page, CONSOLE_DB, 'settings', [{ key: 'limits', value: { concurrency: 100 } }]);
  await seedJobs(
    page,
    Array.from({ length: 70 }, (_, i) => {
      const createdAt = at + i;
      return seededJob(`many-${String(i).padStart(2, '0')}`, `Demo ${i}`, {
        status: 'queued',
        payload: { steps: 10, stepMs: 6_000 },
        progress: 0,
        step: undefined,
        completedSteps: 0,
        attempts: 0,
        rank: createdAt,
        runAt: createdAt,
        createdAt,
        updatedAt: createdAt,
        history: [{ status: 'queued', at: createdAt }],
        queueKey: ['demo_steps', 1, createdAt, createdAt],
      });
    }),
  );
  await consoleTab.open();
  const bar = pillBar(page);
  await expect(bar).toHaveAttribute('data-count', '70', { timeout: 15_000 });
  const pills = bar.getByRole('progressbar');
  await expect(pills.first()).toHaveAttribute('data-job-id', 'many-00');
  await expect(pills.first()).toHaveAttribute('data-state', 'running');
  // The pills' ids in one read, retried while the bar shows none. The fixture's page already ran
  // the Console, whose runner can start the seeded jobs (it looks every 5 s) before `open` reloads
  // it; the new page then gives back the attempts its predecessor left (running, queued with
  // `page-exit`, running again), and for that moment the bar rightly shows no pill.
  let ids: (string | null)[] = [];
  await expect
    .poll(async () => {
      ids = await pills.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-job-id')));
      return ids.length;
    })
    .toBeGreaterThan(0);
  expect(ids.length).toBeLessThan(70);
  expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => `many-${String(i).padStart(2, '0')}`));
  await expect(bar.getByRole('link', { name: `${70 - ids.length} more background jobs` })).toBeVisible();
});

test('jobs waiting their turn have no pill but one link that counts them', async ({ consoleTab, page }) => {
  // A type no runner handles: they stay queued.
  const queued = (i: number) =>
    seededJob(`seed-queued-${i}`, `Parked ${i}`, {
      type: 'parked_example',
      status: 'queued',
      progress: 0,
      step: undefined,
      completedSteps: 0,
      attempts: 0,
      queueKey: ['parked_example', 1, i, i],
    });
  await seedJobs(page, [queued(1), queued(2), queued(3)]);
  await consoleTab.open();
  const link = pillBar(page).getByRole('link', { name: '3 queued jobs' });
  await expect(link).toHaveText('3 queued');
  await expect(pillBar(page).getByText('No background jobs running')).toBeVisible();
  await expect(pillBar(page).getByRole('progressbar')).toHaveCount(0);
  await link.click();
  await expect(page).toHaveURL(/#\/jobs\?status=queued$/);
  await expect(page.getByText('3 jobs', { exact: true })).toBeVisible();

  // One less once one is removed.
  await page.getByRole('checkbox', { name: 'Select Parked 1' }).check();
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await page.getByRole('button', { name: 'Remove it' }).click();
  await expect(pillBar(page).getByRole('link', { name: '2 queued jobs' })).toHaveText('2 queued');
});

test('the page says at once when the connection drops, and stops saying it when it returns', async ({
  consoleTab,
  context,
  page,
}) => {
  await consoleTab.open();
  const offline = page.locator('[data-state="offline"]');
  await expect(offline).toHaveCount(0);
  await context.setOffline(true);
  await expect(page.getByRole('status').filter({ hasText: 'Offline.' })).toContainText(
    'Jobs that need the network wait and start again when the connection returns',
  );
  await page.goto('/#/jobs');
  await expect(offline).toBeVisible();
  await context.setOffline(false);
  await expect(offline).toHaveCount(0);
});

test("the page's scripts ask Chromium to compile them whole as they load: the first screen's and each page's", async ({
  page,
}) => {
  const html = await (await page.request.get('/')).text();
  const initial = [
    ...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="([^"]+)"/g),
  ].map((match) => match[1] ?? '');
  expect(initial.length).toBeGreaterThanOrEqual(2);
  // A page's chunk too, loaded when the page is opened: the job center's.
  const entry = await (await page.request.get(initial[0] ?? '')).text();
  const lazy = /import\(`\.\/(JobCenter-[\w-]+\.js)`\)/.exec(entry)?.[1];
  expect(lazy).toBeDefined();
  for (const src of [...initial, `/assets/${lazy}`]) {
    const code = await (await page.request.get(src)).text();
    expect(code.split('\n', 1)[0], src).toBe('//# allFunctionsCalledOnLoad');
  }
});
