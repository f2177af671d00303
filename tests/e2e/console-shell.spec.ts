import { expect, test, type Page } from '@playwright/test';

async function startDemo(page: Page, steps: number, stepMs: number): Promise<void> {
  await page.getByLabel('Steps', { exact: true }).fill(String(steps));
  await page.getByLabel('Step duration (ms)').fill(String(stepMs));
  await page.getByRole('button', { name: 'Start demo task' }).click();
}

function pillBar(page: Page) {
  return page.getByRole('region', { name: 'Background jobs' });
}

function valueOf(page: Page, name: string): Promise<number> {
  return pillBar(page)
    .getByRole('progressbar', { name })
    .getAttribute('aria-valuenow')
    .then((value) => Number(value));
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(pillBar(page)).toBeVisible();
});

test('a demo task shows a pill with rising progress and completes with a toast', async ({ page }) => {
  await startDemo(page, 4, 900);
  const pill = pillBar(page).getByRole('progressbar', { name: 'Demo task (4 steps)' });
  await expect(pill).toHaveAttribute('data-state', 'running');
  await expect(pill).toHaveAttribute('data-job-id', /.+/);
  await expect(pill).toHaveAttribute('aria-valuemin', '0');
  await expect(pill).toHaveAttribute('aria-valuemax', '100');
  const first = await valueOf(page, 'Demo task (4 steps)');
  await expect.poll(() => valueOf(page, 'Demo task (4 steps)')).toBeGreaterThan(first);

  const toasts = page.getByRole('region', { name: 'Notifications' });
  await expect(toasts.getByText('Demo task (4 steps) completed')).toBeVisible({ timeout: 15_000 });
  await expect(pill).toHaveCount(0);
});

test('pause and resume from the detail page reached through the pill', async ({ page }) => {
  await startDemo(page, 8, 700);
  const pill = pillBar(page).getByRole('progressbar', { name: 'Demo task (8 steps)' });
  await expect.poll(() => valueOf(page, 'Demo task (8 steps)')).toBeGreaterThan(0);
  const id = await pill.getAttribute('data-job-id');

  await pill.click();
  await expect(page).toHaveURL(new RegExp(`#/jobs/${id}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Demo task (8 steps)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resume' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(pill).toHaveAttribute('data-state', 'paused');
  await expect(pill).toHaveAttribute('aria-valuetext', /Paused/);
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  const pausedAt = await valueOf(page, 'Demo task (8 steps)');

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(pill).toHaveAttribute('data-state', 'running');
  await expect.poll(() => valueOf(page, 'Demo task (8 steps)')).toBeGreaterThan(pausedAt);
  await expect(page.locator('.detail-sub .status-badge')).toHaveText('Completed', { timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Remove' })).toBeVisible();
});

test('cancel a running job from its detail page', async ({ page }) => {
  await startDemo(page, 20, 1000);
  const pill = pillBar(page).getByRole('progressbar', { name: 'Demo task (20 steps)' });
  await expect(pill).toHaveAttribute('data-state', 'running');
  await pill.click();

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(pill).toHaveCount(0);
  await expect(page.locator('.detail-sub .status-badge')).toHaveText('Cancelled');
  await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(page).toHaveURL(/#\/jobs$/);
});

test('a second tab shows the same pill progress live', async ({ page, context }) => {
  const second = await context.newPage();
  await second.goto('/#/jobs');
  await expect(pillBar(second)).toBeVisible();

  await startDemo(page, 6, 800);
  const here = pillBar(page).getByRole('progressbar', { name: 'Demo task (6 steps)' });
  const there = pillBar(second).getByRole('progressbar', { name: 'Demo task (6 steps)' });
  await expect(there).toHaveAttribute('data-state', 'running');
  await expect(there).toHaveAttribute('data-job-id', (await here.getAttribute('data-job-id')) ?? '');
  const first = await valueOf(second, 'Demo task (6 steps)');
  await expect.poll(() => valueOf(second, 'Demo task (6 steps)')).toBeGreaterThan(first);
  await expect(there).toHaveCount(0, { timeout: 15_000 });
});

test('the pill bar stays on one line with a "+N more" pill on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  for (let i = 0; i < 3; i++) await startDemo(page, 30, 1000);
  const bar = pillBar(page);
  await expect(bar.getByRole('link', { name: /more background jobs/ })).toBeVisible();
  const pills = await bar.getByRole('progressbar').all();
  const tops = await Promise.all(pills.map(async (pill) => (await pill.boundingBox())?.y ?? -1));
  expect(new Set(tops).size).toBe(1);
  await bar.getByRole('link', { name: /more background jobs/ }).click();
  await expect(page).toHaveURL(/#\/jobs\?status=active$/);
});
