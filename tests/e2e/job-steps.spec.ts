import type { Page } from '@playwright/test';
import { CONSOLE_DB, expect, test, writeStore } from './fixtures';

/** Steps seeded before the job's own: as many as a CSV of a few hundred thousand rows journals. */
const SEEDED = 5_000;

/** Counts the page's main-thread tasks over 50 ms from its load on, to report (not to assert). */
async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: number[] = [];
    (window as unknown as { longTasks: number[] }).longTasks = seen;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) seen.push(Math.round(entry.duration));
    }).observe({ type: 'longtask', buffered: true });
  });
}

test('a job page shows a journal of thousands of steps: its counts, the newest steps, and the first on scrolling', async ({
  consoleTab,
  page,
}, testInfo) => {
  const id = await consoleTab.startDemo(3, 0);
  await expect.poll(async () => (await consoleTab.job(id))?.status).toBe('completed');
  // Batches of a long import, an hour ago: some failed, some ran twice, each with an output.
  const start = Date.now() - 3_600_000;
  const output = { csv: 'x'.repeat(2_000) };
  const seeded = Array.from({ length: SEEDED }, (_, i) => ({
    jobId: id,
    name: `Batch ${String(i + 1).padStart(4, '0')}`,
    status: i % 100 === 4 ? 'failed' : 'completed',
    runs: i % 50 === 0 ? 2 : 1,
    output,
    startedAt: start + i * 500,
    finishedAt: start + i * 500 + 400,
  }));
  await writeStore(page, CONSOLE_DB, 'steps', seeded);

  await watchLongTasks(page);
  await page.goto(`/#/jobs/${id}`);
  // A document of its own, so that the long tasks are counted from its load.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo task (3 steps)' })).toBeVisible();

  const total = SEEDED + 3;
  const failed = SEEDED / 100;
  await expect(page.locator('.step-summary')).toContainText(
    `${(total - failed).toLocaleString('en-US')} completed, ${failed} failed, ${SEEDED / 50} run more than once ·`,
  );
  const journal = page.getByRole('table', { name: 'Step journal' });
  await expect(journal).toHaveAttribute('aria-rowcount', String(total + 1));

  // It opens on the newest steps: the job's own, which began last.
  const row = (name: string) => journal.getByRole('row').filter({ hasText: name });
  await expect(row('step 3')).toBeVisible();
  await expect(row('step 3')).toHaveAttribute('aria-rowindex', String(total + 1));
  await expect(row('step 3').getByRole('cell')).toContainText(['step 3', 'Completed', '1']);
  // Only the rows around those in view are on the page, not thousands.
  expect(await journal.getByRole('row').count()).toBeLessThan(150);

  // From the keyboard: the journal takes the focus and Home scrolls it to its first step.
  const viewport = journal.getByRole('rowgroup');
  await viewport.focus();
  await page.keyboard.press('Home');
  await expect(row('Batch 0001')).toBeVisible();
  await expect(row('Batch 0001')).toHaveAttribute('aria-rowindex', '2');
  await expect(row('Batch 0001').getByRole('cell')).toContainText(['Batch 0001', 'Completed', '2']);
  await expect(row('Batch 0005').getByRole('cell').nth(1)).toHaveText('Failed');

  // And back down to the newest, with nothing left unread on the way.
  await page.keyboard.press('End');
  await expect(row('step 3')).toBeVisible();
  await expect(journal.locator('[aria-busy="true"]')).toHaveCount(0);

  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const report = `${longTasks.length} main-thread task(s) over 50 ms on a job page with ${total} steps${
    longTasks.length > 0 ? `: ${longTasks.join(', ')} ms` : ''
  }`;
  testInfo.annotations.push({ type: 'long tasks', description: report });
  console.log(`[job steps] ${report}`);
});
