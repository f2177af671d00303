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

  // Two imports: the type runs one at a time, so the second waits its turn.
  await page.getByLabel('Files').fill('3');
  await page.getByRole('button', { name: 'Import notes' }).click();
  const pill = bar.getByRole('progressbar', { name: 'Import notes' });
  await expect(pill).toHaveAttribute('data-state', 'running');
  await page.getByRole('button', { name: 'Import notes' }).click();
  const queued = bar.getByRole('link', { name: '1 queued job' });
  await expect(queued).toHaveAttribute('href', '#queued');

  // The pill links to the job in the app's own address scheme, and the app shows it there.
  const id = await pill.getAttribute('data-job-id');
  expect(id).not.toBeNull();
  const link = bar.getByRole('link', { name: /^Import notes/ }).first();
  await expect(link).toHaveAttribute('href', `#job=${id}`);
  await link.click();
  await expect(page.getByRole('region', { name: 'Job' }).getByRole('heading', { name: 'Import notes' })).toBeVisible();

  // Each outcome comes as a toast whose View link leads to the job in the app's scheme.
  const toasts = page.getByRole('link', { name: 'View' });
  await expect(toasts).toHaveCount(2, { timeout: 30_000 });
  await expect(toasts.first()).toHaveAttribute('href', `#job=${id}`);
  await expect(page.getByText('Import notes completed').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Job' }).getByRole('status')).toHaveText('completed');
  await expect(bar).toContainText('No background jobs running');
  await expect(queued).toHaveCount(0);

  // The kit's styles came with it: the bar is laid out as a row of pills, not as a bare list.
  await expect(bar).toHaveCSS('display', 'flex');
  expect(errors).toEqual([]);
});
