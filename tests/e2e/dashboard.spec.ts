import { expect, test, type Locator, type Page } from '@playwright/test';
import { callWorkerOk, instrumentContext } from '../reliability/helpers/errand-page';
import { CONSOLE_DB, readStore, writeStore, type StoredJob } from './fixtures';

type Status = 'completed' | 'failed' | 'cancelled';

/** Writes finished jobs straight into the Console's database (opened by the page first). */
async function seedFinished(
  page: Page,
  jobs: readonly { label: string; type: string; status: Status; agoS: number }[],
): Promise<void> {
  const now = Date.now();
  const records = jobs.map((job, i) => {
    const createdAt = now - job.agoS * 1000 - 2000;
    const completedAt = now - job.agoS * 1000;
    return {
      id: `dash-seed-${i}`,
      type: job.type,
      label: job.label,
      status: job.status,
      priority: 'normal',
      rank: createdAt,
      payload: {},
      progress: job.status === 'completed' ? 1 : 0,
      completedSteps: 0,
      attempts: 1,
      maxAttempts: 3,
      runAt: createdAt,
      createdAt,
      updatedAt: completedAt,
      completedAt,
      history: [
        { status: 'queued', at: createdAt },
        { status: job.status, at: completedAt },
      ],
    };
  });
  await writeStore(page, 'errand-console', 'jobs', records);
}

/** Writes `count` queued demo tasks, each a minute long, straight into the Console's database. */
async function seedQueued(page: Page, count: number): Promise<void> {
  const now = Date.now();
  const records = Array.from({ length: count }, (_, i) => ({
    id: `dash-queued-${i}`,
    type: 'demo_steps',
    label: `Queued ${i}`,
    status: 'queued',
    priority: 'normal',
    rank: now + i,
    payload: { steps: 1, stepMs: 60_000 },
    progress: 0,
    completedSteps: 0,
    attempts: 0,
    maxAttempts: 3,
    runAt: now,
    createdAt: now + i,
    updatedAt: now + i,
    history: [{ status: 'queued', at: now + i }],
  }));
  await writeStore(page, 'errand-console', 'jobs', records);
}

/** The activity chart's text labels that do not lie wholly inside the chart's own box. */
function labelsOutside(chart: Locator): Promise<string[]> {
  return chart.evaluate((svg) => {
    const box = svg.getBoundingClientRect();
    const clip = svg.parentElement?.getBoundingClientRect() ?? box;
    const left = Math.max(box.left, clip.left);
    const right = Math.min(box.right, clip.right);
    return [...svg.querySelectorAll('text')]
      .filter((text) => {
        const each = text.getBoundingClientRect();
        return each.left < left || each.right > right;
      })
      .map((text) => text.textContent ?? '');
  });
}

function typeCard(page: Page, label: string): Locator {
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: label, exact: true }) });
}

/** The number labels of the activity chart's y-axes: the left one's (anchored at their end) and the right one's. */
function yLabels(chart: Locator): Promise<{ left: string[]; right: string[] }> {
  return chart.evaluate((svg) => {
    const text = (each: Element): string => each.textContent?.trim() ?? '';
    const numbers = [...svg.querySelectorAll('text')].filter((each) => /^[\d.,]+$/.test(text(each)));
    return {
      left: numbers.filter((each) => each.getAttribute('text-anchor') === 'end').map(text),
      right: numbers.filter((each) => each.getAttribute('text-anchor') !== 'end').map(text),
    };
  });
}

test('shows counts per job type and status, the activity chart and storage', async ({ page }) => {
  await page.goto('/');
  await expect(typeCard(page, 'Demo task')).toBeVisible();
  await seedFinished(page, [
    { label: 'Demo one', type: 'demo_steps', status: 'completed', agoS: 30 },
    { label: 'Demo two', type: 'demo_steps', status: 'completed', agoS: 90 },
    { label: 'Demo three', type: 'demo_steps', status: 'failed', agoS: 100 },
    { label: 'Statement', type: 'csv_categorization', status: 'cancelled', agoS: 200 },
    { label: 'Old demo', type: 'demo_steps', status: 'completed', agoS: 3600 },
  ]);
  await page.reload();

  const demo = typeCard(page, 'Demo task');
  await expect(demo.getByRole('link', { name: '4 jobs' })).toBeVisible();
  await expect(demo.getByRole('link', { name: 'Completed 3' })).toBeVisible();
  await expect(demo.getByRole('link', { name: 'Failed 1' })).toBeVisible();
  await expect(demo.getByRole('link', { name: 'Running 0' })).toBeVisible();
  const csv = typeCard(page, 'Categorize CSV');
  await expect(csv.getByRole('link', { name: 'Cancelled 1' })).toBeVisible();
  await expect(csv.getByRole('link', { name: 'Completed 0' })).toBeVisible();

  const tiles = page.getByRole('list', { name: 'Jobs by status' });
  await expect(tiles.getByRole('link', { name: 'Completed 3' })).toHaveAttribute('href', '#/jobs?status=completed');

  await demo.getByRole('link', { name: 'Failed 1' }).click();
  await expect(page).toHaveURL(/#\/jobs\?type=demo_steps&status=failed$/);
  await expect(page.getByRole('link', { name: 'Demo three' })).toBeVisible();
  await page.goBack();

  const storage = page.getByRole('region', { name: 'Storage' });
  await expect(storage.getByText(/used of \d/)).toBeVisible();
  await expect(storage.getByRole('meter', { name: 'Storage used' })).toBeVisible();
  await expect(storage.getByText(/^(Persistent|Not persistent):/)).toBeVisible();
  const ask = storage.getByRole('button', { name: 'Make storage persistent' });
  if (await ask.isVisible()) {
    await ask.click();
    await expect(storage.getByRole('status')).toHaveText(/The browser agreed|The browser declined/);
  }
});

test('the activity chart counts every completion of a burst, as the runner counted it', async ({ page }) => {
  await instrumentContext(page.context());
  await page.goto('/');
  const chart = page.getByRole('img', { name: /Over the last 15 minutes/ });
  await expect(chart).toHaveAccessibleName(/15 minutes, 0 jobs completed/);
  // More jobs than any page of recent jobs holds, and a failure, which is not a completion.
  const burst = Array.from({ length: 260 }, () => ({ type: 'demo_steps', payload: { steps: 1, stepMs: 0 } }));
  await callWorkerOk(page, 'enqueueMany', [burst]);
  const tiles = page.getByRole('list', { name: 'Jobs by status' });
  await expect(tiles.getByRole('link', { name: 'Completed 260' })).toBeVisible({ timeout: 30_000 });
  await expect(chart).toHaveAccessibleName(/15 minutes, 260 jobs completed/);
  // The count is the store's: a reload shows the same.
  await page.reload();
  await expect(chart).toHaveAccessibleName(/15 minutes, 260 jobs completed/);
});

test('the demo panel starts a task and the counts follow it', async ({ page }) => {
  await page.goto('/');
  const panel = page.getByRole('region', { name: 'Try a demo task' });
  // The status is rendered, empty, before the task starts: a live region that is not displayed
  // until its text comes is one a screen reader may not announce.
  const status = panel.locator('[role="status"]');
  await expect(status).toHaveText('');
  expect(await status.evaluate((element) => getComputedStyle(element).display)).not.toBe('none');
  await panel.getByLabel('Steps', { exact: true }).fill('2');
  await panel.getByLabel('Step duration (ms)').fill('300');
  // From the keyboard: the button keeps the focus while the task starts.
  await panel.getByRole('button', { name: 'Start demo task' }).focus();
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('status')).toHaveText('Started Demo task (2 steps).');
  await expect(panel.getByRole('link', { name: 'Demo task (2 steps)' })).toHaveAttribute('href', /^#\/jobs\/.+/);
  await expect(panel.getByRole('button', { name: 'Start demo task' })).toBeFocused();

  const tiles = page.getByRole('list', { name: 'Jobs by status' });
  await expect(tiles.getByRole('link', { name: 'Completed 1' })).toBeVisible({ timeout: 15_000 });
  await expect(typeCard(page, 'Demo task').getByRole('link', { name: 'Completed 1' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('img', { name: /Over the last 15 minutes/ })).toHaveAccessibleName(
    /15 minutes, 1 job completed, at most 1 in one minute of the clock, about 1 in the last 60 seconds\./,
  );
});

test('a tile for every status, the cancelled one too, each opening its list', async ({ page }) => {
  await page.goto('/');
  await expect(typeCard(page, 'Demo task')).toBeVisible();
  await seedFinished(page, [
    { label: 'Called off', type: 'demo_steps', status: 'cancelled', agoS: 30 },
    { label: 'Called off too', type: 'csv_categorization', status: 'cancelled', agoS: 60 },
    { label: 'Done', type: 'demo_steps', status: 'completed', agoS: 90 },
  ]);
  await page.reload();

  const tiles = page.getByRole('list', { name: 'Jobs by status' });
  await expect(tiles.getByRole('link')).toHaveCount(7);
  const cancelled = tiles.getByRole('link', { name: 'Cancelled 2' });
  await expect(cancelled).toHaveAttribute('href', '#/jobs?status=cancelled');
  await cancelled.click();
  await expect(page).toHaveURL(/#\/jobs\?status=cancelled$/);
  await expect(page.getByRole('link', { name: 'Called off', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Called off too' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Done', exact: true })).toHaveCount(0);
});

test('the activity chart labels its axes with whole numbers, none twice, from an empty store on', async ({ page }) => {
  await instrumentContext(page.context());
  await page.goto('/');
  const chart = page.getByRole('img', { name: /Over the last 15 minutes/ });
  await expect(chart).toHaveAccessibleName(/0 jobs completed, .* Queued or waiting now 0\./);
  // No completion and no queue: the shared baseline 0 and nothing else (it read 1 and 0 twice).
  expect(await yLabels(chart)).toEqual({ left: ['0'], right: [] });
  await expect(chart).toHaveAccessibleName(/at most 0 in one minute/);

  await callWorkerOk(page, 'enqueueMany', [
    Array.from({ length: 3 }, () => ({ type: 'demo_steps', payload: { steps: 1, stepMs: 0 } })),
  ]);
  const tiles = page.getByRole('list', { name: 'Jobs by status' });
  await expect(tiles.getByRole('link', { name: 'Completed 3' })).toBeVisible({ timeout: 15_000 });
  await expect(chart).toHaveAccessibleName(/3 jobs completed/);
  const { left, right } = await yLabels(chart);
  for (const side of [left, right]) {
    expect(new Set(side).size).toBe(side.length);
    expect(side.every((label) => /^\d+$/.test(label))).toBe(true);
  }
  expect(left[0]).toBe('0');
  expect(right).not.toContain('0');
});

test('two Enters in the Steps field start one demo task', async ({ page }) => {
  await page.goto('/');
  const panel = page.getByRole('region', { name: 'Try a demo task' });
  const steps = panel.getByLabel('Steps', { exact: true });
  await steps.fill('2');
  await panel.getByLabel('Step duration (ms)').fill('0');
  // Chromium's Enter submits only while the button is enabled, so the second Enter that gets
  // through is one before the page has rendered the first one's busy state: both submits here
  // come in one task, as implicit submission makes them.
  await steps.evaluate((input: HTMLInputElement) => {
    input.form?.requestSubmit();
    input.form?.requestSubmit();
  });
  await expect(panel.getByRole('status')).toHaveText('Started Demo task (2 steps).');
  await expect(panel.getByRole('button', { name: 'Start demo task' })).toBeEnabled();

  // Once the first is answered, another Enter starts another task. It reaches the worker after
  // any second enqueue of the two submits, so once it is stored, that one would be too.
  await steps.fill('3');
  await steps.press('Enter');
  await expect(panel.getByRole('status')).toHaveText('Started Demo task (3 steps).');
  const labels = (await readStore<StoredJob>(page, CONSOLE_DB, 'jobs')).map((job) => job.label).sort();
  expect(labels).toEqual(['Demo task (2 steps)', 'Demo task (3 steps)']);
});

for (const width of [1280, 320]) {
  test(`at ${width} px the activity chart's axis labels fit it whole with 10,000 jobs queued`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/');
    await expect(typeCard(page, 'Demo task')).toBeVisible();
    await seedQueued(page, 10_010);
    await page.reload();
    const tiles = page.getByRole('list', { name: 'Jobs by status' });
    await expect(tiles.getByRole('link', { name: /^Queued 10,0\d\d$/ })).toBeVisible({ timeout: 20_000 });
    const chart = page.getByRole('img', { name: /Over the last 15 minutes/ });
    // Grouped as the tile groups it, in the legend and in what a screen reader reads.
    await expect(chart).toHaveAccessibleName(/Queued or waiting now 10,0\d\d\.$/);
    await expect(page.locator('.legend').getByText(/^10,0\d\d$/)).toBeVisible();
    const { left, right } = await yLabels(chart);
    expect([...left, ...right].some((label) => label.length >= 6)).toBe(true);
    expect(await labelsOutside(chart)).toEqual([]);
  });
}

test('a step duration off the hundreds (250 ms) starts its task', async ({ page }) => {
  await page.goto('/');
  const panel = page.getByRole('region', { name: 'Try a demo task' });
  await panel.getByLabel('Steps', { exact: true }).fill('1');
  await panel.getByLabel('Step duration (ms)').fill('250');
  await panel.getByRole('button', { name: 'Start demo task' }).click();
  await expect(panel.getByRole('status')).toHaveText('Started Demo task (1 step).');
  const jobs = await readStore<StoredJob>(page, CONSOLE_DB, 'jobs');
  expect(jobs.map((job) => job.payload)).toEqual([{ steps: 1, stepMs: 250 }]);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 320, height: 800 }, hasTouch: true, isMobile: true });

  test('every link and button of the page is at least 24 px each way', async ({ page }) => {
    await page.goto('/');
    await expect(typeCard(page, 'Demo task')).toBeVisible();
    const small = await page.getByRole('main').evaluate((main) =>
      [...main.querySelectorAll('a, button, input')]
        .map((target) => ({ name: target.textContent?.trim() ?? '', box: target.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && (box.width < 24 || box.height < 24))
        .map(({ name, box }) => `${name} ${Math.round(box.width)}×${Math.round(box.height)}`),
    );
    expect(small).toEqual([]);
  });
});

test("the chart's legend counts the last 60 s, which do not fall to nothing as a minute turns", async ({ page }) => {
  const noon = Date.UTC(2026, 5, 19, 12, 0, 0);
  await page.clock.setFixedTime(noon + 15_000);
  await page.goto('/');
  const chart = page.getByRole('img', { name: /Over the last 15 minutes/ });
  await expect(chart).toBeVisible();
  await writeStore(page, CONSOLE_DB, 'meta', [
    {
      key: 'completionsPerMinute',
      value: [
        { minute: noon - 60_000, count: 120 },
        { minute: noon, count: 10 },
      ],
    },
  ]);
  await page.reload();
  const legend = page.locator('.legend').getByText(/Completed in the last 60 s/);
  // 15 s into the minute: its 10, and three quarters of the 120 of the minute before.
  await expect(legend).toHaveText('Completed in the last 60 s 100');
  await expect(chart).toHaveAccessibleName(
    /130 jobs completed, at most 120 in one minute of the clock, about 100 in the last 60 seconds\./,
  );
  // A second into the next minute, which has none yet: nearly all of the minute before.
  await page.clock.setFixedTime(noon + 61_000);
  await expect(legend).toHaveText('Completed in the last 60 s 10', { timeout: 15_000 });
});

test('storage made persistent says so once, and the focus goes to that line as the button goes', async ({ page }) => {
  // A browser that grants the request (whether it does is the browser's to decide).
  await page.addInitScript(() => {
    let granted = false;
    navigator.storage.persisted = () => Promise.resolve(granted);
    navigator.storage.persist = () => Promise.resolve((granted = true));
  });
  await page.goto('/');
  const storage = page.getByRole('region', { name: 'Storage' });
  await expect(storage.getByText(/^Not persistent:/)).toBeVisible();
  await storage.getByRole('button', { name: 'Make storage persistent' }).click();
  await expect(storage.getByRole('status')).toHaveText(
    'The browser agreed: it will not clear your jobs to free space.',
  );
  const line = storage.getByText('Persistent: the browser keeps this data under storage pressure.');
  await expect(line).toBeFocused();
  await expect(storage.getByText(/persistent/i)).toHaveCount(1);
});
