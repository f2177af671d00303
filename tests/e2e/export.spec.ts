import { readFile } from 'node:fs/promises';
import { CONSOLE_DB, expect, test, writeStore } from './fixtures';

test('exports the job history as CSV that spreadsheet programs read as UTF-8, one row per job', async ({
  consoleTab,
  page,
}) => {
  const ids = [await consoleTab.startDemo(1, 0), await consoleTab.startDemo(2, 0)];
  for (const id of ids) await expect.poll(async () => (await consoleTab.job(id))?.status).toBe('completed');

  await page.goto('/#/export');
  await page.getByLabel('Format').selectOption({ label: 'CSV' });
  await page.getByRole('button', { name: 'Start export' }).click();
  const result = page.getByRole('region', { name: 'Export' });
  const download = result.getByRole('link', { name: 'Download export' });
  await expect(download).toBeVisible({ timeout: 30_000 });
  await expect(result).toContainText('2 jobs');

  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const bytes = await readFile(await file.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = new TextDecoder('utf-8', { fatal: true }).decode(bytes).trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^id,type,label,status/);
  expect(
    lines
      .slice(1)
      .map((line) => line.split(',')[0])
      .sort(),
  ).toEqual([...ids].sort());
  expect(lines.some((line) => line.includes('Demo task (1 step),completed'))).toBe(true);
});

test('an export started in another tab shows here at once, live, with its download', async ({ page, context }) => {
  await page.goto('/#/export');
  await expect(page.getByRole('button', { name: 'Start export' })).toBeVisible();
  const here = page.getByRole('region', { name: 'Export' });
  await expect(here).toHaveCount(0);

  const other = await context.newPage();
  await other.goto('/#/export');
  await other.getByRole('button', { name: 'Start export' }).click();
  await expect(
    other.getByRole('region', { name: 'Export' }).getByRole('link', { name: 'Download export' }),
  ).toBeVisible({
    timeout: 30_000,
  });
  await expect(here.getByRole('link', { name: 'Download export' })).toBeVisible();
});

test('on a 320 px phone the size of the export reads on one line beside or under its button', async ({
  consoleTab,
  page,
}) => {
  await page.setViewportSize({ width: 320, height: 640 });
  const ids = [await consoleTab.startDemo(1, 0), await consoleTab.startDemo(2, 0), await consoleTab.startDemo(3, 0)];
  for (const id of ids) await expect.poll(async () => (await consoleTab.job(id))?.status).toBe('completed');
  await page.goto('/#/export');
  await page.getByRole('button', { name: 'Start export' }).click();
  const result = page.getByRole('region', { name: 'Export' });
  await expect(result.getByRole('link', { name: 'Download export' })).toBeVisible({ timeout: 30_000 });
  const facts = result.locator('span').filter({ hasText: /^3\s+jobs\s+·\s+[\d.]+\s+(B|KB)$/ });
  await expect(facts).toBeVisible();
  // One box: the count and the size are not split over two lines.
  expect(await facts.evaluate((span) => span.getClientRects().length)).toBe(1);
  expect(
    await page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth),
  ).toBe(0);
});

test('the wait text counts down while the page stays open', async ({ page }) => {
  await page.goto('/#/export');
  await expect(page.getByRole('button', { name: 'Start export' })).toBeVisible();
  const at = Date.now();
  // An export between attempts, as a reload would find it: due in a minute and a half.
  await writeStore(page, CONSOLE_DB, 'jobs', [
    {
      id: 'seed-retry',
      type: 'history_export',
      label: 'Export jobs as JSON',
      status: 'waiting',
      waitReason: 'retry',
      priority: 'normal',
      rank: at,
      payload: { format: 'json', includePayloads: false },
      progress: 0.25,
      completedSteps: 1,
      attempts: 1,
      maxAttempts: 3,
      runAt: at + 95_000,
      createdAt: at - 5_000,
      updatedAt: at,
      history: [{ status: 'queued', at: at - 5_000 }],
    },
  ]);
  await page.reload();
  const wait = page.getByRole('region', { name: 'Export' }).getByText(/^Retrying in 1:3\d$/);
  await expect(wait).toBeVisible();
  const before = await wait.textContent();
  await expect.poll(() => wait.textContent()).not.toBe(before);
});

test('Start pressed from the keyboard keeps the focus while the export is queued', async ({ page }) => {
  await page.goto('/#/export');
  const start = page.getByRole('button', { name: 'Start export' });
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Export' }).getByRole('link', { name: 'Job details' })).toBeVisible();
  await expect(start).toBeFocused();
  await expect(start).not.toHaveAttribute('aria-disabled', 'true');
});
