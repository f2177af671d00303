import { readFile } from 'node:fs/promises';
import { cardInSight, cardPlace, CONSOLE_DB, expect, test, writeStore } from './fixtures';

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

  // Its page: the file's link is named by the file alone (the arrow before it is drawn, not read),
  // and a finished job with no steps does not wait for some.
  await here.getByRole('link', { name: 'Job details' }).click();
  await expect(page.getByRole('link', { name: /^job-history\.(csv|json)$/ })).toBeVisible();
  await expect(page.getByText('No steps recorded.', { exact: true })).toBeVisible();
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
  // A screen reader is told the job waits, not every second of the countdown.
  await expect(page.locator('main p[aria-live="polite"].visually-hidden')).toHaveText('Export: Waiting');
  await expect(page.getByRole('region', { name: 'Export' }).locator('[aria-live]')).toHaveCount(0);
});

test("a screen reader hears this page's export start: the live region is on the page before it", async ({ page }) => {
  await page.goto('/#/export');
  const live = page.locator('main p[aria-live="polite"].visually-hidden');
  // There before any job, and empty: a region that came with the card, already filled, was not heard.
  await expect(live).toHaveCount(1);
  await expect(live).toHaveText('');
  await page.getByRole('button', { name: 'Start export' }).click();
  await expect(live).toHaveText(/^Export: /);
  await expect(live).toHaveText('Export: Completed', { timeout: 30_000 });
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

test.describe('on a phone', () => {
  test.use({ hasTouch: true, isMobile: true });

  // Upright at 390 px the card is in sight already; on a narrow phone it is under the header,
  // and on a phone on its side all but its last line is.
  for (const size of [
    { width: 320, height: 640 },
    { width: 844, height: 390 },
  ]) {
    test(`at ${size.width}×${size.height} a second export, started from the foot of the page, brings its card into sight below the header`, async ({
      page,
    }) => {
      await page.setViewportSize(size);
      await page.goto('/#/export');
      const start = page.getByRole('button', { name: 'Start export' });
      const card = page.getByRole('region', { name: 'Export' });
      const details = card.getByRole('link', { name: 'Job details' });
      await start.tap();
      await expect(card.getByRole('link', { name: 'Download export' })).toBeVisible();
      const first = (await details.getAttribute('href')) as string;

      // The person goes down to the form again, under the card of the first export.
      await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
      await start.tap();
      await expect(details).not.toHaveAttribute('href', first);
      // It scrolls there smoothly: the card is in sight once the scroll is over.
      await expect.poll(() => cardInSight(page, 'Export')).toBe(true);
    });
  }

  test('an export started in another tab leaves the page where it is; Start here scrolls at once when motion is reduced', async ({
    page,
    context,
  }) => {
    await page.setViewportSize({ width: 844, height: 390 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto('/#/export');
    const start = page.getByRole('button', { name: 'Start export' });
    const here = page.getByRole('region', { name: 'Export' });
    const details = here.getByRole('link', { name: 'Job details' });
    await start.tap();
    await expect(here.getByRole('link', { name: 'Download export' })).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
    await expect(start).toBeInViewport();

    const other = await context.newPage();
    await other.goto('/#/export');
    const before = (await details.getAttribute('href')) as string;
    const formAt = (await start.boundingBox())!.y;
    await here.evaluate((card) => Object.assign(window, { shownCard: card }));
    await other.getByRole('button', { name: 'Start export' }).click();
    await expect(details).not.toHaveAttribute('href', before);
    const first = (await details.getAttribute('href')) as string;
    // The card is the same one, showing the other export: it was not taken away and drawn again
    // in between (a card drawn anew has no height before to keep the form's place against).
    expect(await here.evaluate((card) => card === (window as unknown as { shownCard: Element }).shownCard)).toBe(true);
    // The card shows the other tab's export above the form, and the form stays where it was on
    // screen: as drawn, once a frame has been painted with the change (a read in between sees
    // the layout before the page keeps its place).
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(Math.abs((await start.boundingBox())!.y - formAt)).toBeLessThanOrEqual(1);
    await expect(start).toBeInViewport();

    // The page's own Start: with motion reduced, the card is in sight as soon as it shows.
    await start.tap();
    await expect(details).not.toHaveAttribute('href', first);
    expect(await cardInSight(page, 'Export')).toBe(true);
  });
});

test('on a wide screen with the card in sight, Start does not scroll the page', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/#/export');
  const start = page.getByRole('button', { name: 'Start export' });
  await expect(start).toBeInViewport();
  await start.click();
  await expect(page.getByRole('region', { name: 'Export' }).getByRole('link', { name: 'Job details' })).toBeVisible();
  expect(await cardPlace(page, 'Export')).toMatchObject({ scrollY: 0 });
  expect(await cardInSight(page, 'Export')).toBe(true);
});
