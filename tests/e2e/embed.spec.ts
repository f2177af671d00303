import { expect, test } from '@playwright/test';

/** The example app that embeds the kit (examples/embed), served beside the Console. */
const EMBED_URL = `http://127.0.0.1:${Number(process.env['E2E_PORT'] ?? 4173) + 1}/`;

test('an app of its own embeds the pill bar and toasts, with its own links', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(EMBED_URL);
  const bar = page.getByRole('region', { name: 'Background jobs' });
  await expect(bar).toContainText('No background jobs running');

  // A long import runs; the type runs one at a time, so a second one waits its turn.
  await page.getByLabel('Files').fill('50');
  await page.getByRole('button', { name: 'Import notes' }).click();
  const pill = bar.getByRole('progressbar', { name: 'Import notes' });
  await expect(pill).toHaveAttribute('data-state', 'running');
  const first = await pill.getAttribute('data-job-id');
  expect(first).not.toBeNull();
  await page.getByLabel('Files').fill('2');
  await page.getByRole('button', { name: 'Import notes' }).click();
  const queued = bar.getByRole('link', { name: '1 queued job' });
  await expect(queued).toHaveAttribute('href', '#queued');

  // The pill links to its job in the app's own address scheme, and the app shows the job there.
  const link = bar.locator(`a[href="#job=${first}"]`);
  await expect(link).toHaveAccessibleName(/^Import notes/);
  await link.click();
  const shown = page.getByRole('region', { name: 'Job' });
  await expect(shown.getByRole('status')).toHaveText('running');
  await shown.getByRole('button', { name: 'Cancel import' }).click();
  await expect(shown.getByRole('status')).toHaveText('cancelled');

  // The second runs and completes: its toast's View link leads to it in the app's scheme.
  await expect(page.getByText('Import notes completed')).toBeVisible({ timeout: 30_000 });
  const view = page.getByRole('link', { name: 'View' });
  await expect(view).toHaveAttribute('href', /^#job=/);
  expect(await view.getAttribute('href')).not.toBe(`#job=${first}`);
  await view.click();
  await expect(shown.getByRole('status')).toHaveText('completed');
  await expect(bar).toContainText('No background jobs running');
  await expect(queued).toHaveCount(0);

  // The kit's styles came with it: the bar is laid out as a row of pills, not as a bare list.
  await expect(bar).toHaveCSS('display', 'flex');
  expect(errors).toEqual([]);
});
