import { expect, test, type Locator, type Page } from '@playwright/test';
import { ConsoleTab, readStore, writeStore } from './fixtures';
import { callWorkerOk, instrumentContext } from '../reliability/helpers/errand-page';

type Status = 'queued' | 'running' | 'waiting' | 'paused' | 'completed' | 'failed' | 'cancelled';

interface Seed {
  readonly label: string;
  readonly status: Status;
  readonly type?: string;
  /** Seconds before now. */
  readonly ageS?: number;
  readonly rank?: number;
}

/** A stored job record as the runtime writes it; queued ones carry their queue index key. */
function record(seed: Seed, index: number, now: number): Record<string, unknown> {
  const createdAt = now - (seed.ageS ?? index) * 1000;
  const type = seed.type ?? 'demo_steps';
  const rank = seed.rank ?? createdAt;
  const done = seed.status === 'completed' || seed.status === 'failed' || seed.status === 'cancelled';
  return {
    id: `seed-${index}-${seed.label.replace(/\W+/g, '-').toLowerCase()}`,
    type,
    label: seed.label,
    status: seed.status,
    priority: 'normal',
    rank,
    payload: { steps: 1, stepMs: 100 },
    progress: seed.status === 'completed' ? 1 : 0,
    completedSteps: 0,
    attempts: seed.status === 'failed' ? 3 : 0,
    maxAttempts: 3,
    runAt: createdAt,
    createdAt,
    updatedAt: createdAt,
    history: [{ status: 'queued', at: createdAt }, ...(done ? [{ status: seed.status, at: createdAt + 500 }] : [])],
    ...(seed.status === 'completed' && { completedAt: createdAt + 500, result: { steps: 1 } }),
    ...(seed.status === 'failed' && {
      completedAt: createdAt + 500,
      error: { name: 'PermanentJobError', code: 'seeded-failure', message: 'Seeded failure', retryable: false },
    }),
    ...(seed.status === 'queued' && { queueKey: [type, 1, rank, createdAt] }),
  };
}

/** Opens the Console (which creates the database) and writes jobs straight into IndexedDB. */
async function seed(page: Page, seeds: readonly Seed[]): Promise<void> {
  await page.goto('/#/jobs');
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Jobs' })).toBeVisible();
  const now = Date.now();
  const records = seeds.map((s, i) => record(s, i, now));
  await writeStore(page, 'errand-console', 'jobs', records);
  // Written past the app (no change event tells of it), the rows are read afresh: a list read
  // before the write and a count read after it would otherwise disagree until the next change.
  await page.reload();
}

/** The list offset the current history entry remembers. */
function rememberedOffset(page: Page): Promise<number | undefined> {
  return page.evaluate(() => (history.state as { errandListScroll?: number } | null)?.errandListScroll);
}

function table(page: Page): Locator {
  return page.getByRole('table', { name: 'Jobs' });
}

function rowOf(page: Page, label: string): Locator {
  return table(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: label, exact: true }) });
}

async function labels(page: Page): Promise<string[]> {
  return table(page).locator('[role="row"][data-job-id] [role="cell"] a').allTextContents();
}

test('filters by status and type from the selects and the hash, and searches by label', async ({ page }) => {
  await seed(page, [
    { label: 'Invoice run March', status: 'completed' },
    { label: 'Invoice run April', status: 'failed' },
    { label: 'Statement import', status: 'failed', type: 'csv_categorization' },
    { label: 'History export', status: 'cancelled', type: 'history_export' },
  ]);
  await page.reload();
  await expect(page.getByText('4 jobs', { exact: true })).toBeVisible();

  await page.getByLabel('Status').selectOption('failed');
  await expect(page).toHaveURL(/#\/jobs\?status=failed$/);
  await expect.poll(() => labels(page)).toEqual(['Invoice run April', 'Statement import']);

  await page.getByLabel('Type').selectOption('csv_categorization');
  await expect(page).toHaveURL(/status=failed&type=csv_categorization/);
  await expect.poll(() => labels(page)).toEqual(['Statement import']);
  await expect(rowOf(page, 'Statement import').getByText('Failed')).toBeVisible();

  await page.goto('/#/jobs?status=completed');
  await expect(page.getByLabel('Status')).toHaveValue('completed');
  await expect(page.getByLabel('Type')).toHaveValue('');
  await expect.poll(() => labels(page)).toEqual(['Invoice run March']);

  // A type no job type of the app has (a mistyped link, or one an older version defined) is said to be unknown.
  await page.goto('/#/jobs?type=nope');
  await expect(page.getByLabel('Type')).toHaveValue('nope');
  await expect(page.getByLabel('Type').locator('option:checked')).toHaveText('nope (not a type of this app)');

  await page.goto('/#/jobs');
  await page.getByLabel('Search').fill('invoice');
  await expect.poll(() => labels(page)).toEqual(['Invoice run March', 'Invoice run April']);
  await expect(page.getByText('2 matches')).toBeVisible();
  // The search is in the address: a reload keeps it, and a filter chosen beside it keeps it too.
  await expect(page).toHaveURL(/#\/jobs\?q=invoice$/);
  await page.reload();
  await expect(page.getByLabel('Search')).toHaveValue('invoice');
  await expect.poll(() => labels(page)).toEqual(['Invoice run March', 'Invoice run April']);
  await page.getByLabel('Status').selectOption('failed');
  await expect(page).toHaveURL(/#\/jobs\?status=failed&q=invoice$/);
  await expect.poll(() => labels(page)).toEqual(['Invoice run April']);
  await page.goBack();
  await expect(page).toHaveURL(/#\/jobs\?q=invoice$/);
  await expect.poll(() => labels(page)).toEqual(['Invoice run March', 'Invoice run April']);
  await page.getByLabel('Search').fill('no such job');
  await expect(page.getByText('No jobs match these filters.')).toBeVisible();
});

test('removing jobs found by a search takes them off the matches, and a new search drops a selection it hides', async ({
  page,
}) => {
  await seed(page, [
    { label: 'Invoice run 1', status: 'completed' },
    { label: 'Invoice run 2', status: 'failed' },
    { label: 'Invoice run 3', status: 'cancelled' },
    { label: 'Statement import', status: 'completed' },
  ]);
  await page.goto('/#/jobs');
  await page.getByLabel('Search').fill('invoice');
  await expect.poll(() => labels(page)).toEqual(['Invoice run 1', 'Invoice run 2', 'Invoice run 3']);
  await expect(page.getByText('3 matches')).toBeVisible();

  await page.getByRole('checkbox', { name: 'Select Invoice run 1' }).check();
  await page.getByRole('checkbox', { name: 'Select Invoice run 3' }).check();
  await expect(page.getByText('2 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByRole('group', { name: 'Confirm removal' })).toContainText('Remove 2 selected jobs?');
  await page.getByRole('button', { name: 'Remove them' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Removed 2 jobs.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove', exact: true })).toBeFocused();
  await expect.poll(() => labels(page)).toEqual(['Invoice run 2']);
  await expect(page.getByText('1 match', { exact: true })).toBeVisible();
  await expect(page.getByText(/\d+ selected/)).toHaveCount(0);

  // A selection made under one search is not carried, unseen, into the next.
  await page.getByRole('checkbox', { name: 'Select Invoice run 2' }).check();
  await expect(page.getByText('1 selected')).toBeVisible();
  await page.getByLabel('Search').fill('statement');
  await expect.poll(() => labels(page)).toEqual(['Statement import']);
  await expect(page.getByText(/\d+ selected/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Remove', exact: true })).toBeDisabled();

  // "Active" with none active is a filter that matches nothing, not an empty store.
  await page.goto('/#/jobs?status=active');
  await expect(page.getByText('No jobs match these filters.')).toBeVisible();
  await expect(page.getByText('No jobs yet.')).toHaveCount(0);
});

test('selects several failed jobs and retries them together, and says what it skipped', async ({ page }) => {
  await seed(page, [
    { label: 'Failed upload A', status: 'failed' },
    { label: 'Failed upload B', status: 'failed' },
    { label: 'Failed upload C', status: 'failed' },
    { label: 'Finished upload', status: 'completed' },
  ]);
  await page.goto('/#/jobs?status=failed');
  await expect.poll(() => labels(page)).toEqual(['Failed upload A', 'Failed upload B', 'Failed upload C']);

  await page.getByRole('checkbox', { name: 'Select Failed upload A' }).check();
  await page.getByRole('checkbox', { name: 'Select Failed upload B' }).check();
  await expect(page.getByText('2 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Retry', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Retried 2 jobs.' })).toBeVisible();
  await expect.poll(() => labels(page)).toEqual(['Failed upload C']);

  await page.goto('/#/jobs');
  await expect(rowOf(page, 'Failed upload A').getByText('Completed')).toBeVisible({ timeout: 15_000 });
  await expect(rowOf(page, 'Failed upload B').getByText('Completed')).toBeVisible({ timeout: 15_000 });

  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await expect(page.getByText('4 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Retry', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Retried 1 job. Skipped 3: 3 completed.' })).toBeVisible();
});

test('bulk commands say which selected jobs they apply to, and one that applies to none says why and keeps the focus', async ({
  page,
}) => {
  await seed(page, [
    { label: 'Broken export', status: 'failed' },
    { label: 'Done export', status: 'completed' },
  ]);
  await page.reload();
  await expect.poll(() => labels(page).then((all) => all.length)).toBe(2);
  const pause = page.getByRole('button', { name: 'Pause', exact: true });
  const retry = page.getByRole('button', { name: 'Retry', exact: true });
  await expect(pause).toHaveAttribute('aria-disabled', 'true');
  await expect(pause).toHaveAttribute('title', 'Select jobs first');

  await page.getByRole('checkbox', { name: 'Select Broken export' }).check();
  await page.getByRole('checkbox', { name: 'Select Done export' }).check();
  await expect(page.getByText('2 selected')).toBeVisible();
  await expect(pause).toHaveAttribute('aria-disabled', 'true');
  await expect(pause).toHaveAttribute('title', 'None of the 2 selected jobs can be paused: 1 failed, 1 completed.');
  // Retry applies to one of the two: the button shows the count, its name stays "Retry".
  await expect(retry).toHaveAttribute('aria-disabled', 'false');
  await expect(retry.locator('.applies')).toHaveText('1');
  await expect(retry).toHaveAttribute('title', 'Retry 1 of the 2 selected jobs; the others cannot be retried');
  // The same words are the buttons' descriptions, for a screen reader and for the keyboard, which no tooltip reaches.
  await expect(retry).toHaveAccessibleDescription('Retry 1 of the 2 selected jobs; the others cannot be retried');
  await expect(pause).toHaveAccessibleDescription('None of the 2 selected jobs can be paused: 1 failed, 1 completed.');
  await expect(page.getByRole('button', { name: 'Remove', exact: true })).not.toHaveAttribute('title', /.+/);

  await pause.focus();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('status').filter({ hasText: 'None of the 2 selected jobs can be paused: 1 failed, 1 completed.' }),
  ).toBeVisible();
  await expect(pause).toBeFocused();
  await expect(page.getByText('2 selected', { exact: true })).toBeVisible();

  await retry.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Retried 1 job. Skipped 1' })).toBeVisible();
  await expect(page.getByText(/\d+ selected/)).toHaveCount(0);
  // The selection is gone and the command with it, but the focus stays where it was.
  await expect(retry).toHaveAttribute('aria-disabled', 'true');
  await expect(retry).toBeFocused();

  // A selection a change of filter drops is said to be gone.
  await page.getByRole('checkbox', { name: 'Select Done export' }).check();
  await page.getByLabel('Status').selectOption('completed');
  await expect(
    page.getByRole('status').filter({ hasText: 'The selection of 1 job was cleared: it belonged to the list before.' }),
  ).toBeVisible();
  await expect(page.getByText(/\d+ selected/)).toHaveCount(0);
});

test('reorders queued jobs with the keyboard and keeps the order', async ({ page }) => {
  // A type no runner handles, so these stay queued.
  const type = 'parked_example';
  await seed(
    page,
    ['First', 'Second', 'Third', 'Fourth'].map((label, i) => ({
      label,
      status: 'queued' as const,
      type,
      rank: 1000 + i,
    })),
  );
  await page.goto('/#/jobs?status=queued');
  await expect.poll(() => labels(page)).toEqual(['First', 'Second', 'Third', 'Fourth']);

  await page.getByRole('button', { name: 'Reorder Third' }).focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => labels(page)).toEqual(['First', 'Third', 'Second', 'Fourth']);
  await expect(page.getByRole('button', { name: 'Reorder Third' })).toBeFocused();

  // The buttons name their job, and the focus stays on the one pressed while it can be pressed again.
  await page.getByRole('button', { name: 'Move First down' }).click();
  await expect.poll(() => labels(page)).toEqual(['Third', 'First', 'Second', 'Fourth']);
  await expect(page.getByRole('button', { name: 'Move First down' })).toBeFocused();
  await page.getByRole('button', { name: 'Move Fourth up' }).click();
  await expect.poll(() => labels(page)).toEqual(['Third', 'First', 'Fourth', 'Second']);
  await expect(page.getByRole('button', { name: 'Move Fourth up' })).toBeFocused();
  // At the top its "Move up" is disabled: the focus goes to the job's handle.
  await page.getByRole('button', { name: 'Move First up' }).click();
  await expect.poll(() => labels(page)).toEqual(['First', 'Third', 'Fourth', 'Second']);
  await expect(page.getByRole('button', { name: 'Reorder First' })).toBeFocused();

  await page.reload();
  await expect.poll(() => labels(page)).toEqual(['First', 'Third', 'Fourth', 'Second']);
});

test('a queued job dragged to the top runs first', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  const demo = page.getByRole('region', { name: 'Try a demo task' });
  const start = async (steps: number, stepMs: number) => {
    await demo.getByLabel('Steps', { exact: true }).fill(String(steps));
    await demo.getByLabel('Step duration (ms)').fill(String(stepMs));
    await demo.getByRole('button', { name: 'Start demo task' }).click();
    await expect(demo.getByRole('status')).toHaveText(`Started Demo task (${steps} steps).`);
  };
  // Three running jobs fill the Console's concurrency, and hold it until one is cancelled.
  await start(2, 60_000);
  await start(3, 60_000);
  await start(4, 60_000);
  for (const steps of [5, 6, 7, 8]) await start(steps, 8000);

  await page.goto('/#/jobs?status=queued');
  const queued = ['Demo task (5 steps)', 'Demo task (6 steps)', 'Demo task (7 steps)', 'Demo task (8 steps)'];
  await expect.poll(() => labels(page)).toEqual(queued);

  const handle = page.getByRole('button', { name: 'Reorder Demo task (8 steps)' });
  const from = await handle.boundingBox();
  const top = await rowOf(page, 'Demo task (5 steps)').boundingBox();
  if (!from || !top) throw new Error('rows are not laid out');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, top.y + 20, { steps: 8 });
  await page.mouse.move(from.x + from.width / 2, top.y + 4, { steps: 2 });
  await page.mouse.up();
  await expect.poll(() => labels(page)).toEqual([queued[3], queued[0], queued[1], queued[2]]);

  // When a slot frees, the moved job starts and the others still wait.
  await page.goto('/#/jobs?status=running');
  await page.getByRole('link', { name: 'Demo task (2 steps)', exact: true }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('.detail-sub .status-badge')).toHaveText('Cancelled');
  await page.goto('/#/jobs?status=queued');
  await expect.poll(() => labels(page)).toEqual(queued.slice(0, 3));
  await page.goto('/#/jobs?status=running');
  await expect(rowOf(page, 'Demo task (8 steps)')).toBeVisible();
  await expect(rowOf(page, 'Demo task (5 steps)')).toHaveCount(0);
});

test('opens and scrolls 100,000 stored jobs, reporting main-thread long tasks', async ({ page }) => {
  test.setTimeout(300_000);
  const TOTAL = 100_000;
  await page.addInitScript(() => {
    const tasks: { start: number; duration: number }[] = [];
    Object.assign(window, { __longTasks: tasks });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await seed(page, []);
  await page.evaluate(async (total) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('errand-console');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('Could not open the database'));
    });
    const types = ['demo_steps', 'csv_categorization', 'history_export'];
    const now = Date.now();
    for (let start = 0; start < total; start += 5_000) {
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('jobs', 'readwrite');
        const store = tx.objectStore('jobs');
        for (let i = start; i < Math.min(total, start + 5_000); i++) {
          const createdAt = now - i * 1000;
          const status = i % 20 === 0 ? 'failed' : i % 20 === 1 ? 'cancelled' : 'completed';
          store.put({
            id: `bulk-${String(i).padStart(6, '0')}`,
            type: types[i % 3],
            label: `Bulk job ${i}`,
            status,
            priority: 'normal',
            rank: createdAt,
            payload: { steps: 1, stepMs: 0, note: 'seeded for the scrolling test' },
            progress: status === 'completed' ? 1 : 0.4,
            completedSteps: 1,
            attempts: 1,
            maxAttempts: 3,
            runAt: createdAt,
            createdAt,
            updatedAt: createdAt + 900,
            startedAt: createdAt + 100,
            completedAt: createdAt + 900,
            history: [
              { status: 'queued', at: createdAt },
              { status: 'running', at: createdAt + 100 },
              { status, at: createdAt + 900 },
            ],
            ...(status === 'failed' && {
              error: { name: 'Error', code: 'seeded', message: 'Seeded failure', retryable: true },
            }),
          });
        }
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('Could not write the jobs'));
      });
    }
    db.close();
  }, TOTAL);

  await page.reload();
  await expect(page.getByText('100,000 jobs', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[role="row"][aria-rowindex="2"][data-job-id]')).toBeVisible();
  const opened = await page.evaluate(
    () => (window as unknown as { __longTasks: { duration: number }[] }).__longTasks.length,
  );

  const marks: Record<string, number> = { listShown: await page.evaluate(() => performance.now()) };
  const viewport = table(page).getByRole('rowgroup');
  const box = await viewport.boundingBox();
  if (!box) throw new Error('the list is not laid out');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 80; i++) {
    await page.mouse.wheel(0, 1500);
    await page.waitForTimeout(30);
  }
  marks.wheelDone = await page.evaluate(() => performance.now());
  for (const share of [0.25, 0.5, 0.75, 1]) {
    await viewport.evaluate(
      (element, s) => (element.scrollTop = s * (element.scrollHeight - element.clientHeight)),
      share,
    );
    await expect(page.locator('[role="row"][aria-busy="true"]')).toHaveCount(0, { timeout: 20_000 });
  }
  await expect(page.locator(`[role="row"][aria-rowindex="${TOTAL + 1}"][data-job-id]`)).toBeVisible();
  expect(await page.locator('[role="row"][aria-rowindex]').count()).toBeLessThan(100);

  const tasks = await page.evaluate(
    () => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks,
  );
  const worst = Math.max(0, ...tasks.map((task) => task.duration));
  const scrolling = tasks.slice(opened);
  const worstScrolling = Math.max(0, ...scrolling.map((task) => task.duration));
  const report =
    `long tasks with ${TOTAL} jobs: ${tasks.length} in all, worst ${worst.toFixed(0)} ms; ` +
    `${opened} while opening, ${scrolling.length} while scrolling (worst ${worstScrolling.toFixed(0)} ms); ` +
    `marks ${JSON.stringify(marks, (_, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}; ` +
    `[start ms, duration ms]: ${JSON.stringify(tasks.map((task) => [Math.round(task.start), Math.round(task.duration)]))}`;
  console.log(report);
  test.info().annotations.push({ type: 'long tasks', description: report });
});

test("a running job's status dot is still in the list, which may show dozens, and pulses on the job's page", async ({
  page,
}) => {
  const tab = new ConsoleTab(page);
  await tab.open();
  await tab.startDemo(2, 60_000);
  const dotAnimation = (badge: Locator) =>
    badge.evaluate((element) => getComputedStyle(element, '::before').animationName);

  await page.goto('/#/jobs?status=running');
  const listed = rowOf(page, 'Demo task (2 steps)').locator('.status-badge');
  await expect(listed).toHaveText('Running');
  expect(await dotAnimation(listed)).toBe('none');

  await page.getByRole('link', { name: 'Demo task (2 steps)', exact: true }).click();
  const shown = page.locator('.detail-sub .status-badge');
  await expect(shown).toHaveText('Running');
  expect(await dotAnimation(shown)).not.toBe('none');
});

test('the active filter lists the jobs of the pill bar: running, waiting and paused', async ({ page }) => {
  await seed(page, [
    { label: 'Paused sync', status: 'paused' },
    { label: 'Waiting upload', status: 'waiting' },
    { label: 'Done export', status: 'completed' },
    { label: 'Broken import', status: 'failed' },
  ]);
  // The seed wrote past Dexie, so load the page afresh rather than only change the hash.
  await page.goto('/#/jobs?status=active');
  await page.reload();
  await expect(page.getByLabel('Status')).toHaveValue('active');
  await expect.poll(() => labels(page).then((all) => all.sort())).toEqual(['Paused sync', 'Waiting upload']);
});

test('the active filter pages through more active jobs than one read holds, to the oldest', async ({ page }) => {
  // Waiting for dependencies (no wake-up time) and paused: active jobs the worker leaves as they are.
  const TOTAL = 1_300;
  const seeds: Seed[] = [
    ...Array.from({ length: TOTAL }, (_, i): Seed => ({
      label: `Active ${i}`,
      status: i % 2 === 0 ? 'paused' : 'waiting',
      ageS: TOTAL - i,
    })),
    { label: 'Done export', status: 'completed', ageS: 0 },
    { label: 'Oldest failure', status: 'failed', ageS: TOTAL + 1 },
  ];
  await seed(page, seeds);
  await page.goto('/#/jobs?status=active');
  await page.reload();
  await expect(page.getByText('1,300 jobs', { exact: true })).toBeVisible();
  await expect(table(page).locator('[role="row"][aria-rowindex="2"][data-job-id] a')).toHaveText('Active 1299');

  const viewport = table(page).getByRole('rowgroup');
  await viewport.evaluate((element) => (element.scrollTop = element.scrollHeight));
  const last = table(page).locator(`[role="row"][aria-rowindex="${TOTAL + 1}"][data-job-id]`);
  await expect(last.locator('a')).toHaveText('Active 0');
  await expect(last.getByText('Paused')).toBeVisible();
  expect(await page.locator('[role="row"][aria-rowindex]').count()).toBeLessThan(100);

  // A new filter starts at the top of its list, not where the last one was scrolled to.
  await page.getByLabel('Status').selectOption('');
  await expect(page.getByText('1,302 jobs', { exact: true })).toBeVisible();
  await expect.poll(() => viewport.evaluate((element) => element.scrollTop)).toBe(0);
  await viewport.evaluate((element) => (element.scrollTop = element.scrollHeight));

  await page.getByLabel('Search').fill('active 12');
  await expect(page.getByText('111 matches')).toBeVisible();
});

test('selected jobs that leave the list leave the selection, so a command never reaches them', async ({ page }) => {
  await instrumentContext(page.context());
  await page.goto('/#/');
  const demo = (steps: number, stepMs: number) =>
    callWorkerOk<{ id: string }>(page, 'enqueue', [{ type: 'demo_steps', payload: { steps, stepMs } }]);
  const short = [await demo(5, 300), await demo(6, 300)];
  // Held until the selection is made, so they cannot finish and leave the list before it.
  await callWorkerOk(page, 'pause', [short.map((job) => job.id)]);
  await demo(60, 1_000);
  await page.goto('/#/jobs?status=active');
  await expect.poll(() => labels(page).then((all) => all.length)).toBe(3);
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await expect(page.getByText('3 selected')).toBeVisible();

  // The two short jobs resume, complete and leave "Active": they leave the selection too.
  await callWorkerOk(page, 'resume', [short.map((job) => job.id)]);
  await expect.poll(() => labels(page), { timeout: 20_000 }).toEqual(['Demo task (60 steps)']);
  await expect(page.getByText('1 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByRole('group', { name: 'Confirm removal' })).toContainText('Remove 1 selected job?');
  await page.getByRole('button', { name: 'Keep' }).click();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const report = page.getByRole('status').filter({ hasText: 'Paused 1 job.' });
  await expect(report).toBeVisible();
  await expect(report).not.toContainText('Skipped');

  await page.goto('/#/jobs');
  await expect.poll(() => labels(page).then((all) => all.length)).toBe(3);
  await expect(rowOf(page, 'Demo task (5 steps)').getByText('Completed')).toBeVisible();
  await expect(rowOf(page, 'Demo task (6 steps)').getByText('Completed')).toBeVisible();
  await expect(rowOf(page, 'Demo task (60 steps)').getByText('Paused')).toBeVisible();
});

test('Back from a job page finds the list where it was; the Jobs link opens it at the top', async ({ page }) => {
  await seed(
    page,
    Array.from({ length: 300 }, (_, i): Seed => ({ label: `Finished ${i}`, status: 'completed', ageS: i })),
  );
  await page.reload();
  await expect(page.getByText('300 jobs', { exact: true })).toBeVisible();
  const viewport = table(page).getByRole('rowgroup');
  // Row 151 of the list (newest first) at the top of the viewport.
  await viewport.evaluate((element) => (element.scrollTop = 150 * 60));
  const link = page.getByRole('link', { name: 'Finished 150', exact: true });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page.getByRole('heading', { name: 'Finished 150', level: 1 })).toBeVisible();

  await page.goBack();
  await expect(page.getByText('300 jobs', { exact: true })).toBeVisible();
  await expect.poll(() => viewport.evaluate((element) => element.scrollTop)).toBe(150 * 60);
  await expect(link).toBeVisible();

  // Left by another way than a job link: the list remembers where it came to rest.
  await viewport.evaluate((element) => (element.scrollTop = 200 * 60));
  await expect.poll(() => rememberedOffset(page)).toBe(200 * 60);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  await page.goBack();
  await expect.poll(() => viewport.evaluate((element) => element.scrollTop)).toBe(200 * 60);

  // Another view of the list opens at the top; Back to this one finds it where it was.
  await viewport.evaluate((element) => (element.scrollTop = 100 * 60));
  await expect.poll(() => rememberedOffset(page)).toBe(100 * 60);
  await page.getByLabel('Status').selectOption('completed');
  await expect(page).toHaveURL(/status=completed/);
  await expect.poll(() => viewport.evaluate((element) => element.scrollTop)).toBe(0);
  await page.goBack();
  await expect(page).not.toHaveURL(/status=/);
  await expect.poll(() => viewport.evaluate((element) => element.scrollTop)).toBe(100 * 60);
  await expect.poll(() => rememberedOffset(page)).toBe(100 * 60);

  // A new visit to the list, not Back: it opens at the top.
  await viewport.evaluate((element) => (element.scrollTop = 150 * 60));
  await link.click();
  await expect(page.getByRole('heading', { name: 'Finished 150', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Finished 0', exact: true })).toBeVisible();
  expect(await viewport.evaluate((element) => element.scrollTop)).toBe(0);
});

test('"Select all" takes every job of the list, not only the rows in sight, and a command reaches them all', async ({
  page,
}) => {
  await seed(page, [
    ...Array.from({ length: 130 }, (_, i): Seed => ({ label: `Failed ${i}`, status: 'failed', ageS: i })),
    { label: 'Finished upload', status: 'completed', ageS: 200 },
  ]);
  await page.goto('/#/jobs?status=failed');
  await page.reload();
  await expect(page.getByText('130 jobs', { exact: true })).toBeVisible();
  const selectAll = page.getByRole('button', { name: 'Select all 130 jobs' });
  await expect(selectAll).toHaveCount(0);
  // By keyboard: the button goes once it has done its work, and the focus moves to the count.
  // (The check box is disabled until the first rows are drawn: the count may come before them.)
  const allShown = page.getByRole('checkbox', { name: 'Select all shown' });
  await expect(allShown).toBeEnabled();
  await allShown.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await expect(selectAll).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('130 selected')).toBeFocused();
  await expect(selectAll).toHaveCount(0);
  await page.getByRole('button', { name: 'Retry', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Retried 130 jobs.' })).toBeVisible();
  await expect(page.getByText('0 jobs', { exact: true })).toBeVisible();

  // A search's matches, the same way.
  await page.goto('/#/jobs?q=failed%201');
  await expect(page.getByText('41 matches')).toBeVisible({ timeout: 20_000 });
  // The report was about the list left behind.
  await expect(page.getByText('Retried 130 jobs.')).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await page.getByRole('button', { name: 'Select all 41 matches' }).click();
  await expect(page.getByText('41 selected')).toBeVisible();
});

test('"Select all shown" selects the rows in sight, not the ones drawn beyond the edges of the list', async ({
  page,
}) => {
  await seed(
    page,
    Array.from({ length: 40 }, (_, i): Seed => ({ label: `Finished ${i}`, status: 'completed' })),
  );
  await page.reload();
  await expect(page.getByText('40 jobs', { exact: true })).toBeVisible();
  const inSight = await page.locator('.jobs-viewport').evaluate((list) => Math.round(list.clientHeight / 60));
  expect(inSight).toBeLessThan(40);
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await expect(page.getByText(`${inSight} selected`)).toBeVisible();
});

test('on a phone the rows line up: progress and times sit at one place in every row', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await seed(page, [
    { label: 'Fresh export', status: 'completed', ageS: 1 },
    { label: 'Old import with a long name that does not fit', status: 'cancelled', ageS: 3 * 3600 },
    { label: 'Yesterday backup', status: 'failed', ageS: 30 * 3600 },
  ]);
  // The seed writes past the page's live reads: a reload reads it (going to the same address does not).
  await page.reload();
  await expect.poll(() => labels(page).then((all) => all.length)).toBe(3);
  const lefts = (selector: string) =>
    page
      .locator(`.jobs-viewport [role="row"] ${selector}`)
      .evaluateAll((cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().left)));
  // Distinct left edges of each column's cells: one each when the rows line up.
  const edges = async () => {
    const [progress, created] = await Promise.all([lefts('.c-progress'), lefts('.c-created')]);
    return { rows: progress.length, progress: new Set(progress).size, created: new Set(created).size };
  };
  await expect.poll(edges).toEqual({ rows: 3, progress: 1, created: 1 });
  // A job a day old or more shows its day and time whole, not cut short to part of a long date.
  const clippedTimes = () =>
    page
      .locator('.jobs-viewport [role="row"] .c-created')
      .evaluateAll((cells) =>
        cells.filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent),
      );
  expect(await clippedTimes()).toEqual([]);
  await expect(rowOf(page, 'Yesterday backup').locator('.c-created')).toHaveText(/\d\d:\d\d/);
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await clippedTimes()).toEqual([]);
});

test('the search follows the address: Back, the Jobs link and a pill each leave it', async ({ page }) => {
  await seed(page, [
    { label: 'Invoice run 1', status: 'completed' },
    { label: 'Invoice run 2', status: 'failed' },
    { label: 'Statement import', status: 'failed' },
  ]);
  await page.reload();
  await expect(page.getByText('3 jobs', { exact: true })).toBeVisible();
  const search = page.getByLabel('Search');

  // Back, from a search typed beside a filter, to the list before the filter.
  await page.getByLabel('Status').selectOption('failed');
  await expect.poll(() => labels(page)).toEqual(['Invoice run 2', 'Statement import']);
  await search.fill('statement');
  await expect(page).toHaveURL(/#\/jobs\?status=failed&q=statement$/);
  await expect(page.getByText('1 match', { exact: true })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/#\/jobs$/);
  await expect(search).toHaveValue('');
  await expect(page.getByText('3 jobs', { exact: true })).toBeVisible();
  await expect.poll(() => labels(page)).toEqual(['Invoice run 1', 'Invoice run 2', 'Statement import']);

  // The Jobs link, from a search.
  await search.fill('invoice');
  await expect(page.getByText('2 matches')).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page).toHaveURL(/#\/jobs$/);
  await expect(search).toHaveValue('');
  await expect(page.getByText('3 jobs', { exact: true })).toBeVisible();

  // The Jobs link pressed while a search is still being typed (before it runs) drops it.
  await search.fill('invoice');
  await page.getByRole('navigation').getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(search).toHaveValue('');
  await expect(page.getByText('3 jobs', { exact: true })).toBeVisible();
  await expect(page).toHaveURL(/#\/jobs$/);
  // Past the search's typing pause (250 ms), nothing runs it.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 400)));
  await expect(page).toHaveURL(/#\/jobs$/);
  await expect(page.getByText('3 jobs', { exact: true })).toBeVisible();

  // A link to a filtered list (the pill bar's "more" link goes to `status=active`).
  await search.fill('invoice');
  await expect(page.getByText('2 matches')).toBeVisible();
  await page.evaluate(() => (location.hash = '#/jobs?status=failed'));
  await expect(search).toHaveValue('');
  await expect(page.getByText('2 jobs', { exact: true })).toBeVisible();
  await expect.poll(() => labels(page)).toEqual(['Invoice run 2', 'Statement import']);
});

test('a search takes in the jobs that come to match it while it is shown', async ({ page }) => {
  await instrumentContext(page.context());
  await seed(page, [
    { label: 'Nightly report 1', status: 'completed' },
    { label: 'Statement import', status: 'completed' },
  ]);
  await page.reload();
  await page.getByLabel('Search').fill('nightly');
  await expect(page.getByText('1 match', { exact: true })).toBeVisible();

  const enqueue = (label: string) =>
    callWorkerOk(page, 'enqueue', [{ type: 'demo_steps', payload: { steps: 1, stepMs: 100 }, options: { label } }]);
  await enqueue('Nightly report 2');
  await enqueue('Weekly report');
  await expect.poll(() => labels(page)).toEqual(['Nightly report 2', 'Nightly report 1']);
  await expect(page.getByText('2 matches', { exact: true })).toBeVisible();
  // It follows its job to completion like any match, and the one that does not match stays out.
  await expect(rowOf(page, 'Nightly report 2').getByText('Completed')).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => labels(page)).toEqual(['Nightly report 2', 'Nightly report 1']);
});

test('on the narrowest phones nothing runs off the side of the list page', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await seed(page, [{ label: 'Fresh export', status: 'completed' }]);
  await page.goto('/#/jobs?status=active');
  await expect(page.getByLabel('Status')).toHaveValue('active');
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await expect.poll(overflow).toBe(0);
  await page.goto('/#/jobs?status=queued');
  await expect(page.getByLabel('Status')).toHaveValue('queued');
  await expect.poll(overflow).toBe(0);
});

test('at 320 px the bulk commands keep their words and counts whole, and each row has room for its type and status, and its label a line', async ({
  page,
}) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await seed(page, [
    { label: 'Paused import', status: 'paused' },
    { label: 'Failed export', status: 'failed' },
    { label: 'Cancelled backup', status: 'cancelled' },
    { label: 'Waiting report', status: 'queued', type: 'parked_example' },
    { label: 'Finished export of every customer invoice', status: 'completed' },
  ]);
  await page.reload();
  await expect.poll(() => labels(page).then((all) => all.length)).toBe(5);
  const toolbar = page.getByRole('toolbar', { name: 'Selected jobs' });
  const height = async () => Math.round((await toolbar.boundingBox())?.height ?? 0);
  const before = await height();

  // A mixed selection: each command but Remove shows how many of the jobs it applies to.
  // Rows take three lines here: the fifth is below the list's fold, and selected with the rest.
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await page.getByRole('button', { name: 'Select all 5 jobs' }).click();
  await expect(page.getByText('5 selected')).toBeVisible();
  await expect(toolbar.locator('.applies')).toHaveCount(4);
  const buttons = await toolbar.locator('[data-action]').evaluateAll((elements) => {
    const boxes = elements.map((element) => ({
      name: element.textContent ?? '',
      box: element.getBoundingClientRect(),
      clipped: element.scrollWidth > element.clientWidth,
    }));
    const overlapping = boxes.filter(({ box: a }, i) =>
      boxes.some(
        ({ box: b }, j) => i !== j && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom,
      ),
    );
    return {
      clipped: boxes.filter(({ clipped }) => clipped).map(({ name }) => name),
      overlapping: overlapping.map(({ name }) => name),
      outside: boxes.filter(({ box }) => box.right > document.documentElement.clientWidth).map(({ name }) => name),
    };
  });
  expect(buttons).toEqual({ clipped: [], overlapping: [], outside: [] });
  // The counts fit the lines the commands had: the rows below do not move under the finger.
  expect(await height()).toBe(before);

  // The type has a few words' width; the label has a line of its own, so that labels that differ
  // at their end read apart, and a long one ends within the row.
  await seed(page, [
    { label: 'Demo task (4 steps)', status: 'completed' },
    { label: 'Demo task (20 steps)', status: 'failed' },
  ]);
  await page.reload();
  await expect.poll(() => labels(page).then((all) => all.length)).toBe(7);
  const rows = await table(page)
    .locator('[role="row"][data-job-id]')
    .evaluateAll((elements) =>
      elements.map((row) => {
        const box = (selector: string) => {
          const part = row.querySelector(selector);
          if (!part) throw new Error(`no ${selector} in the row`);
          return part.getBoundingClientRect();
        };
        const link = row.querySelector('.c-label a');
        return {
          label: link?.textContent ?? '',
          typeWidth: Math.round(box('.c-type').width),
          labelWhole: link !== null && link.scrollWidth <= link.clientWidth,
          labelInside: box('.c-label a').right <= row.getBoundingClientRect().right,
          labelClear: box('.c-label a').bottom <= box('.status-badge').top,
        };
      }),
    );
  expect(rows).toHaveLength(7);
  for (const row of rows) {
    expect(row.typeWidth, row.label).toBeGreaterThanOrEqual(50);
    expect(row.labelInside, row.label).toBe(true);
    expect(row.labelClear, row.label).toBe(true);
    expect(row.labelWhole, row.label).toBe(row.label !== 'Finished export of every customer invoice');
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(
    0,
  );
});

test.describe('on a phone', () => {
  test.use({ hasTouch: true, isMobile: true });

  for (const size of [
    { width: 320, height: 640 },
    { width: 390, height: 844 },
  ]) {
    test(`at ${size.width} px run order is changed by tapping a job's Move up / Move down buttons`, async ({
      page,
    }) => {
      await page.setViewportSize(size);
      const order = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth'];
      await seed(
        page,
        order.map((label, i) => ({ label, status: 'queued' as const, type: 'parked_example', rank: 1000 + i })),
      );
      await page.goto('/#/jobs?status=queued');
      await page.reload();
      // Six rows are more than the list shows at once, and all of them are drawn (its overscan).
      await expect.poll(() => labels(page)).toEqual(order);

      const row = rowOf(page, 'Second');
      const up = page.getByRole('button', { name: 'Move Second up' });
      const down = page.getByRole('button', { name: 'Move Second down' });
      await expect(up).toBeVisible();
      await expect(down).toBeVisible();
      // At 320 × 640 the list starts below the fold.
      await row.scrollIntoViewIfNeeded();
      await expect(up).toBeInViewport();
      await expect(down).toBeInViewport();
      // Each of the row's cells and controls is in the row, in sight, apart from the others, and
      // wide enough to read (a time or status whole).
      const layout = await row.evaluate((element) => {
        const parts = [
          '.c-select input',
          '.grip',
          '[data-nudge="up"]',
          '[data-nudge="down"]',
          '.c-label a',
          '.c-type',
          '.status-badge',
          '.c-progress',
          '.c-created time',
        ].map((selector) => {
          const part = element.querySelector<HTMLElement>(selector);
          if (!part) throw new Error(`no ${selector} in the row`);
          const box = part.getBoundingClientRect();
          return { selector, box, clipped: part.scrollWidth > part.clientWidth };
        });
        const rowBox = element.getBoundingClientRect();
        const outside = parts
          .filter(
            ({ box }) =>
              box.left < rowBox.left || box.right > rowBox.right || box.top < rowBox.top || box.bottom > rowBox.bottom,
          )
          .map(({ selector }) => selector);
        const overlaps: string[] = [];
        for (const [i, a] of parts.entries()) {
          for (const b of parts.slice(i + 1)) {
            const apart =
              a.box.right <= b.box.left ||
              b.box.right <= a.box.left ||
              a.box.bottom <= b.box.top ||
              b.box.bottom <= a.box.top;
            if (!apart) overlaps.push(`${a.selector} / ${b.selector}`);
          }
        }
        const width = (selector: string) =>
          Math.round(parts.find((part) => part.selector === selector)?.box.width ?? 0);
        const nudges = parts.filter(({ selector }) => selector.startsWith('[data-nudge'));
        return {
          outside,
          overlaps,
          smallestNudge: Math.min(...nudges.flatMap(({ box }) => [box.width, box.height])),
          rowInPage: rowBox.left >= 0 && rowBox.right <= document.documentElement.clientWidth,
          readable: ['.c-label a', '.c-type', '.c-progress'].every((selector) => width(selector) >= 40),
          whole: parts
            .filter(({ selector }) => selector === '.status-badge' || selector === '.c-created time')
            .every(({ clipped }) => !clipped),
        };
      });
      expect(layout).toMatchObject({ outside: [], overlaps: [], rowInPage: true, readable: true, whole: true });
      expect(layout.smallestNudge).toBeGreaterThanOrEqual(24);
      const overflow = () =>
        page.evaluate(() => {
          const root = document.scrollingElement;
          return root ? root.scrollWidth - root.clientWidth : -1;
        });
      expect(await overflow()).toBe(0);

      // The list is laid out at the height its rows are drawn at: all of them reach its end.
      const list = page.locator('.jobs-viewport');
      const rowHeight = (await row.boundingBox())?.height ?? 0;
      expect(await list.evaluate((element) => element.scrollHeight)).toBe(Math.round(rowHeight * order.length));

      await down.tap();
      await expect.poll(() => labels(page)).toEqual(['First', 'Third', 'Second', 'Fourth', 'Fifth', 'Sixth']);
      await expect(down).toBeFocused();

      // Down to the end of the list, beyond its edge: the list follows the job, and once its
      // "Move down" is disabled the focus goes to its handle.
      const moved = ['First', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Second'];
      for (const place of [3, 4, 5]) {
        await down.tap();
        await expect.poll(() => labels(page)).toEqual([...moved.slice(0, place), 'Second', ...moved.slice(place, -1)]);
      }
      await expect(down).toBeDisabled();
      const handle = page.getByRole('button', { name: 'Reorder Second' });
      await expect(handle).toBeFocused();
      await expect(handle).toBeInViewport();
      await expect(rowOf(page, 'Second')).toBeInViewport();
      expect(await overflow()).toBe(0);

      await page.reload();
      await expect.poll(() => labels(page)).toEqual(moved);
      // The order is stored: the runner takes the jobs by rank (all have one priority).
      const stored = await readStore<{ label: string; rank: number }>(page, 'errand-console', 'jobs');
      expect(stored.sort((a, b) => a.rank - b.rank).map((job) => job.label)).toEqual(moved);
    });
  }
});

test('a job that leaves the list while its row has the focus hands the focus to the row now in its place', async ({
  page,
  context,
}) => {
  await seed(page, [
    { label: 'First failure', status: 'failed', ageS: 30 },
    { label: 'Second failure', status: 'failed', ageS: 20 },
    { label: 'Third failure', status: 'failed', ageS: 10 },
  ]);
  await page.goto('/#/jobs?status=failed');
  await expect.poll(() => labels(page)).toEqual(['Third failure', 'Second failure', 'First failure']);
  const second = rowOf(page, 'Second failure');
  const id = (await second.getAttribute('data-job-id')) as string;
  await second.getByRole('link', { name: 'Second failure' }).focus();

  // Another tab retries it: it is no longer failed, and leaves this list.
  const other = await context.newPage();
  await other.goto(`/#/jobs/${id}`);
  await other.getByRole('button', { name: 'Retry' }).click();
  await expect.poll(() => labels(page)).toEqual(['Third failure', 'First failure']);
  await expect(rowOf(page, 'First failure').getByRole('link', { name: 'First failure' })).toBeFocused();
  await expect(page.getByText('“Second failure” left this list.')).toBeAttached();
  await other.close();
});

test('a job removed in another tab while its page has the focus leaves the focus on "Job not found"', async ({
  page,
  context,
}) => {
  await seed(page, [{ label: 'Soon gone', status: 'failed' }]);
  await page.goto('/#/jobs');
  const id = (await rowOf(page, 'Soon gone').getAttribute('data-job-id')) as string;
  await page.goto(`/#/jobs/${id}`);
  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(
    page.getByRole('group', { name: 'Confirm removal' }).getByRole('button', { name: 'Keep' }),
  ).toBeFocused();

  const other = await context.newPage();
  await other.goto(`/#/jobs/${id}`);
  await other.getByRole('button', { name: 'Remove' }).click();
  await other.getByRole('button', { name: 'Remove it' }).click();
  await expect(other).toHaveURL(/#\/jobs$/);
  await expect(page.getByRole('heading', { name: 'Job not found' })).toBeFocused();
  await other.close();
});

/** Elements other than the page itself that scroll vertically, as "tag.class height/content". */
function innerScrollers(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((element) => {
        const { overflowY } = getComputedStyle(element);
        return ['auto', 'scroll'].includes(overflowY) && element.scrollHeight > element.clientHeight + 1;
      })
      .map((element) => `${element.tagName}.${element.className} ${element.clientHeight}/${element.scrollHeight}`),
  );
}

/** Where what covers the top of the window ends (px): the header, or the commands kept in sight under it. */
function coveredTo(page: Page): Promise<number> {
  return page.evaluate(() =>
    Math.max(
      0,
      ...['.app-top', '.controls.stuck']
        .map((selector) => document.querySelector(selector))
        .filter((element) => element !== null && ['sticky', 'fixed'].includes(getComputedStyle(element).position))
        .map((element) => element!.getBoundingClientRect().bottom),
    ),
  );
}

/** The top of a job's row, from the top of the window (px). */
async function rowTop(page: Page, label: string): Promise<number> {
  return (await rowOf(page, label).boundingBox())?.y ?? Number.NaN;
}

/** How far apart two places are (px): a header's height may be a fraction of a pixel. */
function distance(a: number, b: number): number {
  return Math.abs(a - b);
}

/** Scrolls the page to bring a job's row (at `index` in the list, of rows `rowHeight` high) to just below the app's header. */
async function scrollRowToTop(page: Page, index: number, rowHeight: number): Promise<void> {
  await page.evaluate(
    ({ index, rowHeight }) => {
      const list = document.querySelector('.jobs-viewport')!;
      const cover = document.querySelector('.app-top')!.getBoundingClientRect().bottom;
      window.scrollBy({ top: list.getBoundingClientRect().top + index * rowHeight - cover, behavior: 'instant' });
    },
    { index, rowHeight },
  );
}

test.describe('where the page scrolls the rows', () => {
  const finished = (count: number) =>
    Array.from({ length: count }, (_, i): Seed => ({ label: `Finished ${i}`, status: 'completed', ageS: i }));

  test('at 320 px the rows scroll with the page, not in a box of their own, and the page reaches the last of them', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await seed(page, finished(60));
    await expect(page.getByText('60 jobs', { exact: true })).toBeVisible();
    expect(await innerScrollers(page)).toEqual([]);
    await page.evaluate(() => window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' }));
    await expect(page.getByRole('link', { name: 'Finished 59', exact: true })).toBeInViewport();
    // Only the rows near the window are drawn.
    expect(await table(page).locator('[role="row"][data-job-id]').count()).toBeLessThan(25);
    // The header stayed; nothing of the last row is under it.
    expect(await rowTop(page, 'Finished 59')).toBeGreaterThanOrEqual(await coveredTo(page));
  });

  test('a selection keeps the commands in sight under the header, and "Select all shown" takes the rows in sight below them', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await seed(page, finished(80));
    await expect(page.getByText('80 jobs', { exact: true })).toBeVisible();
    const toolbar = page.getByRole('toolbar', { name: 'Selected jobs' });
    await scrollRowToTop(page, 40, 60);
    await expect(page.getByRole('link', { name: 'Finished 40', exact: true })).toBeInViewport();
    await expect(toolbar).not.toBeInViewport();

    await rowOf(page, 'Finished 42').getByRole('checkbox').check();
    await expect(page.getByText('1 selected')).toBeVisible();
    await expect(toolbar).toBeInViewport();
    const header = await page.locator('.app-top').evaluate((top) => top.getBoundingClientRect().bottom);
    await expect.poll(async () => distance((await toolbar.boundingBox())!.y, header)).toBeLessThanOrEqual(1);
    await expect(toolbar.getByRole('button', { name: 'Remove', exact: true })).toBeInViewport();
    // The row just selected, which the commands came over, is brought clear of them.
    const commandsEnd = Math.round((await toolbar.boundingBox())!.y + (await toolbar.boundingBox())!.height);
    await expect.poll(() => rowTop(page, 'Finished 42')).toBeGreaterThanOrEqual(commandsEnd);

    // The rows whose greater part is in sight, below the commands, and no others (a row about
    // half under them may go either way).
    // Where the commands end as they are pressed: once every row in sight is selected, they offer
    // "Select all 80 jobs" and may take another line, over the rows below them.
    const cover = await page.locator('.controls').evaluate((controls) => controls.getBoundingClientRect().bottom);
    await page.getByRole('checkbox', { name: 'Select all shown' }).check();
    const rows = await table(page)
      .locator('[role="row"][data-job-id]')
      .evaluateAll((elements, cover) => {
        return elements.map((row) => {
          const box = row.getBoundingClientRect();
          const middle = (box.top + box.bottom) / 2;
          const place =
            middle > cover + 5 && middle < window.innerHeight - 5
              ? 'in sight'
              : middle < cover - 5 || middle > window.innerHeight + 5
                ? 'out of sight'
                : 'at an edge';
          return { place, checked: row.querySelector<HTMLInputElement>('input[type="checkbox"]')!.checked };
        });
      }, cover);
    const inSight = rows.filter((row) => row.place === 'in sight');
    expect(inSight.length).toBeGreaterThan(5);
    expect(inSight.every((row) => row.checked)).toBe(true);
    expect(rows.filter((row) => row.place === 'out of sight' && row.checked)).toEqual([]);
    const checked = rows.filter((row) => row.checked).length;
    expect(checked).toBeLessThanOrEqual(inSight.length + 2);
    await expect(page.getByText(`${checked} selected`)).toBeVisible();

    // A command that empties the selection keeps them in sight while it has the focus, with its
    // report; they go back to their place above the list once the focus leaves them.
    await toolbar.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('button', { name: 'Remove them', exact: true }).click();
    await expect(page.getByText(/selected$/)).toHaveCount(0);
    const report = page.getByRole('status').filter({ hasText: `Removed ${checked} jobs.` });
    await expect(report).toBeInViewport();
    await expect(toolbar.getByRole('button', { name: 'Remove', exact: true })).toBeFocused();
    await expect(toolbar).toBeInViewport();
    const below = await table(page).locator('[role="row"][data-job-id] [role="cell"] a').last().textContent();
    const next = page.getByRole('link', { name: below!, exact: true });
    await next.focus();
    await expect(next).toBeFocused();
    await expect(next).toBeInViewport();
    await expect(toolbar).not.toBeInViewport();
  });

  test('Back from a job page finds the page where it was, and a turned phone keeps the row at the top', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await seed(page, finished(200));
    await expect(page.getByText('200 jobs', { exact: true })).toBeVisible();
    await scrollRowToTop(page, 120, 60);
    const header = await page.locator('.app-top').evaluate((top) => top.getBoundingClientRect().bottom);
    await expect.poll(async () => distance(await rowTop(page, 'Finished 120'), header)).toBeLessThanOrEqual(1);
    // The rows gone up under the header, as a list scrolled in a box would remember them.
    await expect.poll(async () => distance((await rememberedOffset(page)) ?? 0, 120 * 60)).toBeLessThanOrEqual(1);

    await page.getByRole('link', { name: 'Finished 120', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Finished 120', level: 1 })).toBeVisible();
    await page.goBack();
    await expect(page.getByText('200 jobs', { exact: true })).toBeVisible();
    await expect.poll(async () => distance(await rowTop(page, 'Finished 120'), header)).toBeLessThanOrEqual(1);
    await page.reload();
    await expect(page.getByText('200 jobs', { exact: true })).toBeVisible();
    await expect.poll(async () => distance(await rowTop(page, 'Finished 120'), header)).toBeLessThanOrEqual(1);

    // Wider, the list scrolls in its own box again, from the same row; narrower, the page does.
    await page.setViewportSize({ width: 1280, height: 800 });
    const viewport = table(page).getByRole('rowgroup');
    await expect
      .poll(async () => distance(await viewport.evaluate((element) => element.scrollTop), 120 * 60))
      .toBeLessThanOrEqual(1);
    await expect(page.getByRole('link', { name: 'Finished 120', exact: true })).toBeInViewport();
    await viewport.evaluate((element) => (element.scrollTop = 150 * 60));
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(async () => distance(await rowTop(page, 'Finished 150'), header)).toBeLessThanOrEqual(1);
    expect(await innerScrollers(page)).toEqual([]);
  });

  test('a phone turned on its side and back keeps the row that was at the top', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await seed(page, finished(200));
    await expect(page.getByText('200 jobs', { exact: true })).toBeVisible();
    await scrollRowToTop(page, 100, 60);
    const header = await page.locator('.app-top').evaluate((top) => top.getBoundingClientRect().bottom);
    await expect.poll(async () => distance(await rowTop(page, 'Finished 100'), header)).toBeLessThanOrEqual(1);
    // On its side the window is short: the header scrolls away, and the row is at the very top.
    await page.setViewportSize({ width: 844, height: 390 });
    await expect.poll(async () => distance(await rowTop(page, 'Finished 100'), 0)).toBeLessThanOrEqual(1);
    expect(await innerScrollers(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(async () => distance(await rowTop(page, 'Finished 100'), header)).toBeLessThanOrEqual(1);
  });

  test('a job dragged by its handle to the foot of the window scrolls the page, and drops where it was let go', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const order = Array.from({ length: 30 }, (_, i) => `Parked ${i}`);
    await seed(
      page,
      order.map((label, i) => ({ label, status: 'queued' as const, type: 'parked_example', rank: 1000 + i })),
    );
    await page.goto('/#/jobs?status=queued');
    await expect(page.getByText('30 jobs', { exact: true })).toBeVisible();
    // A run-order row on a phone is 84 px high (a third line for its up/down buttons).
    await scrollRowToTop(page, 0, 84);
    const handle = page.getByRole('button', { name: 'Reorder Parked 0' });
    await expect(handle).toBeInViewport();
    const from = (await handle.boundingBox())!;
    const foot = page.viewportSize()!.height - 10;
    // The row under the foot of the window before the page moves.
    const footRow = await page.evaluate(
      (foot) => Math.floor((foot - document.querySelector('.jobs-viewport')!.getBoundingClientRect().top) / 84),
      foot,
    );
    const x = from.x + from.width / 2;
    await page.mouse.move(x, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(x, foot, { steps: 5 });
    for (let i = 0; i < 40; i++) await page.mouse.move(x, foot - (i % 2));
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    await page.mouse.up();

    const placeOf = async () => {
      const stored = await readStore<{ label: string; rank: number }>(page, 'errand-console', 'jobs');
      return stored.sort((a, b) => a.rank - b.rank).findIndex((job) => job.label === 'Parked 0');
    };
    await expect.poll(placeOf).toBeGreaterThan(footRow);
  });

  test('zoomed to 200 % (a short window), the header scrolls away with the rows, and a selection keeps the commands at the top', async ({
    browser,
  }) => {
    const context = await browser.newContext({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await seed(page, finished(40));
    await expect(page.getByText('40 jobs', { exact: true })).toBeVisible();
    expect(await innerScrollers(page)).toEqual([]);
    await scrollRowToTop(page, 20, 60);
    await expect(page.getByRole('link', { name: 'Finished 20', exact: true })).toBeInViewport();
    expect(await page.locator('.app-top').evaluate((top) => top.getBoundingClientRect().bottom)).toBeLessThanOrEqual(0);

    await rowOf(page, 'Finished 22').getByRole('checkbox').check();
    const toolbar = page.getByRole('toolbar', { name: 'Selected jobs' });
    await expect.poll(async () => distance((await toolbar.boundingBox())!.y, 0)).toBeLessThanOrEqual(1);
    await page.evaluate(() => window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' }));
    await expect(page.getByRole('link', { name: 'Finished 39', exact: true })).toBeInViewport();
    await context.close();
  });
});
