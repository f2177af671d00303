import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import {
  cardInSight,
  cardPlace,
  CONSOLE_DB,
  expect,
  readStore,
  test,
  writeStore,
  type StoredJob,
  type StoredStep,
} from './fixtures';

const LABEL = 'Categorize bank-statement.csv';
const SAMPLE_ROWS = 4000;
const UNREADABLE_ROWS = 3;

function pill(page: Page) {
  return page.getByRole('region', { name: 'Background jobs' }).getByRole('progressbar', { name: LABEL });
}

async function percentOf(page: Page): Promise<number> {
  return Number(await pill(page).getAttribute('aria-valuenow'));
}

async function startSample(page: Page): Promise<string> {
  await page.goto('/#/import');
  await page.getByRole('button', { name: 'Use sample statement' }).click();
  await expect(page.getByText(/bank-statement\.csv ·/)).toBeVisible();
  await page.getByRole('button', { name: 'Start categorization' }).click();
  await expect(pill(page)).toHaveAttribute('data-job-id', /.+/);
  return (await pill(page).getAttribute('data-job-id')) as string;
}

async function stepsOf(page: Page, jobId: string): Promise<StoredStep[]> {
  return (await readStore<StoredStep>(page, CONSOLE_DB, 'steps')).filter((step) => step.jobId === jobId);
}

async function jobOf(page: Page, jobId: string): Promise<StoredJob | undefined> {
  return (await readStore<StoredJob>(page, CONSOLE_DB, 'jobs')).find((job) => job.id === jobId);
}

test('categorizes the sample statement with a live pill and a downloadable result', async ({ page }) => {
  await startSample(page);
  await expect.poll(() => percentOf(page)).toBeGreaterThan(0);
  const early = await percentOf(page);
  await expect.poll(() => percentOf(page)).toBeGreaterThan(early);

  const download = page.getByRole('link', { name: 'Download categorized CSV' });
  await expect(download).toBeVisible({ timeout: 60_000 });
  await expect(pill(page)).toHaveCount(0);
  await expect(
    page.getByText(
      `${(SAMPLE_ROWS - UNREADABLE_ROWS).toLocaleString()} of ${SAMPLE_ROWS.toLocaleString()} rows categorized.`,
    ),
  ).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Totals by category' }).getByRole('cell', { name: 'Groceries' }),
  ).toBeVisible();

  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  expect(file.suggestedFilename()).toBe('categorized.csv');
  const lines = (await readFile(await file.path(), 'utf8')).trimEnd().split('\r\n');
  expect(lines[0]).toBe('Date,Description,Amount,Currency,Category');
  expect(lines).toHaveLength(1 + SAMPLE_ROWS - UNREADABLE_ROWS);
  expect(lines.filter((line) => line.endsWith(',Groceries')).length).toBeGreaterThan(500);
});

test('"Use sample statement" pressed from the keyboard keeps the focus while the sample loads', async ({ page }) => {
  await page.goto('/#/import');
  const button = page.getByRole('button', { name: 'Use sample statement' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/bank-statement\.csv ·/)).toBeVisible();
  await expect(button).toBeFocused();
  await expect(button).not.toHaveAttribute('aria-disabled', 'true');
});

test.describe('on a phone', () => {
  test.use({ hasTouch: true, isMobile: true });

  for (const size of [
    { width: 390, height: 844 },
    { width: 320, height: 640 },
  ]) {
    test(`at ${size.width} px Start brings the progress card into sight, below the header`, async ({ page }) => {
      await page.setViewportSize(size);
      await page.goto('/#/import');
      await page.getByRole('button', { name: 'Use sample statement' }).tap();
      await expect(page.getByText(/bank-statement\.csv ·/)).toBeVisible();
      await page.getByRole('button', { name: 'Start categorization' }).tap();
      const card = page.getByRole('region', { name: 'Categorization' });
      await expect(card.getByRole('progressbar', { name: 'Categorization progress' })).toBeAttached();
      // It scrolls there smoothly: the card is in sight once the scroll is over.
      await expect.poll(() => cardInSight(page, 'Categorization')).toBe(true);
    });
  }

  test('a categorization started in another tab leaves the page where it is; Start here scrolls at once when motion is reduced', async ({
    page,
    context,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto('/#/import');
    const start = page.getByRole('button', { name: 'Start categorization' });
    await start.scrollIntoViewIfNeeded();
    await expect(start).toBeInViewport();

    const other = await context.newPage();
    const first = await startSample(other);
    const here = page.getByRole('region', { name: 'Categorization' });
    await expect(here.getByRole('link', { name: 'Job details' })).toHaveAttribute('href', `#/jobs/${first}`);
    // The card came while the person was at the form: it shows above, out of sight, and the form stays.
    expect(await cardInSight(page, 'Categorization')).toBe(false);
    await expect(start).toBeInViewport();

    // The page's own Start: with motion reduced, the card is in sight as soon as it shows.
    await page.getByRole('button', { name: 'Use sample statement' }).tap();
    await expect(page.getByText(/bank-statement\.csv ·/)).toBeVisible();
    await start.tap();
    await expect(here.getByRole('link', { name: 'Job details' })).not.toHaveAttribute('href', `#/jobs/${first}`);
    expect(await cardInSight(page, 'Categorization')).toBe(true);
  });
});

test('on a wide screen with the card in sight, Start does not scroll the page', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/#/import');
  await page.getByRole('button', { name: 'Use sample statement' }).click();
  await expect(page.getByText(/bank-statement\.csv ·/)).toBeVisible();
  const start = page.getByRole('button', { name: 'Start categorization' });
  await expect(start).toBeInViewport();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await start.click();
  await expect(
    page.getByRole('region', { name: 'Categorization' }).getByRole('progressbar', { name: 'Categorization progress' }),
  ).toBeAttached();
  expect(await cardPlace(page, 'Categorization')).toMatchObject({ scrollY: 0 });
  expect(await cardInSight(page, 'Categorization')).toBe(true);
});

test('the wait text counts down while the page stays open', async ({ page }) => {
  await page.goto('/#/import');
  await expect(page.getByRole('button', { name: 'Start categorization' })).toBeVisible();
  const at = Date.now();
  // A categorization between attempts, as a reload would find it: due in a minute and a half.
  await writeStore(page, CONSOLE_DB, 'jobs', [
    {
      id: 'seed-retry',
      type: 'csv_categorization',
      label: LABEL,
      status: 'waiting',
      waitReason: 'retry',
      priority: 'normal',
      rank: at,
      payload: {},
      progress: 0.25,
      step: 'Batch 10 of 40',
      completedSteps: 10,
      attempts: 1,
      maxAttempts: 3,
      runAt: at + 95_000,
      createdAt: at - 5_000,
      updatedAt: at,
      history: [{ status: 'queued', at: at - 5_000 }],
    },
  ]);
  await page.reload();
  const wait = page.getByRole('region', { name: 'Categorization' }).getByText(/^Retrying in 1:3\d · 25%$/);
  await expect(wait).toBeVisible();
  const before = await wait.textContent();
  await expect.poll(() => wait.textContent()).not.toBe(before);
});

test('Start says beside it why it cannot start yet, stays reachable, and starts nothing until it can', async ({
  page,
}) => {
  await page.goto('/#/import');
  const start = page.getByRole('button', { name: 'Start categorization' });
  await expect(start).toHaveAttribute('aria-disabled', 'true');
  await expect(start).toHaveAccessibleDescription('Choose a CSV file or use the sample statement to start.');

  await page.getByRole('button', { name: 'Use sample statement' }).click();
  await expect(page.getByText(/bank-statement\.csv ·/)).toBeVisible();
  await expect(start).not.toHaveAttribute('aria-disabled', 'true');
  await expect(start).toHaveAccessibleDescription('');

  await page.getByLabel('Pattern of rule 1', { exact: true }).fill('([');
  await expect(start).toHaveAccessibleDescription('Rule 1: This is not a valid regular expression.');
  await expect(page.getByText('Rule 1: This is not a valid regular expression.')).toBeVisible();
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(start).toBeFocused();
  await expect(page.getByRole('region', { name: 'Categorization' })).toHaveCount(0);
  expect(await readStore(page, CONSOLE_DB, 'jobs')).toEqual([]);

  await page.getByLabel('Pattern of rule 1', { exact: true }).fill('^SALARY');
  await page.getByLabel('Category of rule 2', { exact: true }).fill('');
  await expect(page.getByLabel('Category of rule 2', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(start).toHaveAccessibleDescription('Rule 2: Give the rule a category.');
  await page.getByLabel('Category of rule 2', { exact: true }).fill('Rent');
  await page.getByLabel('Category of other rows', { exact: true }).fill(' ');
  await expect(start).toHaveAccessibleDescription('Give a category for the other rows.');
  await page.getByLabel('Category of other rows', { exact: true }).fill('Other');
  await expect(start).not.toHaveAttribute('aria-disabled', 'true');
  await start.click();
  await expect(pill(page)).toHaveAttribute('data-job-id', /.+/);
});

test('a pause between batches set before the statement is chosen is kept', async ({ page }) => {
  await page.goto('/#/import');
  const pause = page.getByLabel('Pause between batches (ms)');
  await page.getByRole('button', { name: 'Use sample statement' }).click();
  await expect(page.getByText(/bank-statement\.csv ·/)).toBeVisible();
  // Not set by the person: the sample's own pace.
  await expect(pause).toHaveValue('150');
  await pause.fill('500');
  await page.getByLabel('CSV file').setInputFiles({
    name: 'mine.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Date,Description,Amount\n2026-12-01,SALARY,100\n'),
  });
  await expect(page.getByText(/mine\.csv ·/)).toBeVisible();
  await expect(pause).toHaveValue('500');
  await page.getByRole('button', { name: 'Use sample statement' }).click();
  await expect(page.getByText(/bank-statement\.csv ·/)).toBeVisible();
  await expect(pause).toHaveValue('500');
  await page.getByRole('button', { name: 'Start categorization' }).click();
  await expect(pill(page)).toHaveAttribute('data-job-id', /.+/);
  const jobId = (await pill(page).getAttribute('data-job-id')) as string;
  expect((await jobOf(page, jobId))?.payload).toMatchObject({ batchDelayMs: 500 });
});

test('Start pressed from the keyboard keeps the focus while the categorization is queued', async ({ page }) => {
  await page.goto('/#/import');
  await page.getByRole('button', { name: 'Use sample statement' }).click();
  await expect(page.getByText(/bank-statement\.csv ·/)).toBeVisible();
  const start = page.getByRole('button', { name: 'Start categorization' });
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('region', { name: 'Categorization' }).getByRole('progressbar', { name: 'Categorization progress' }),
  ).toBeAttached();
  await expect(start).toBeFocused();
  await expect(start).not.toHaveAttribute('aria-disabled', 'true');
});

test('on a 320 px phone every rule field and every column of the totals is in sight', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await startSample(page);
  await expect(page.getByRole('link', { name: 'Download categorized CSV' })).toBeVisible({ timeout: 60_000 });

  expect(
    await page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth),
  ).toBe(0);
  // No table needs scrolling sideways: the totals fit, and each rule's fields sit inside the screen.
  const totals = page.getByRole('table', { name: 'Totals by category' });
  expect(await totals.evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth)).toBe(0);
  for (const field of ['Category', 'Column', 'Match', 'Pattern']) {
    const box = (await page.getByLabel(`${field} of rule 1`, { exact: true }).boundingBox())!;
    expect(box.x, field).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, field).toBeLessThanOrEqual(320);
  }
  const remove = (await page.getByRole('button', { name: 'Remove rule 1', exact: true }).boundingBox())!;
  expect(remove.x + remove.width).toBeLessThanOrEqual(320);
  // Each field shows its whole value: the pattern has a line of its own, and the match its word.
  for (const field of ['Pattern of rule 3', 'Match of rule 3', 'Category of rule 1']) {
    const clipped = await page
      .getByLabel(field, { exact: true })
      .evaluate((element: HTMLInputElement | HTMLSelectElement) => {
        const text = element instanceof HTMLSelectElement ? element.selectedOptions[0]!.text : element.value;
        const probe = document.createElement('span');
        probe.style.font = getComputedStyle(element).font;
        probe.style.whiteSpace = 'pre';
        probe.textContent = text;
        document.body.append(probe);
        const needed = probe.getBoundingClientRect().width;
        probe.remove();
        const style = getComputedStyle(element);
        const room = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return needed > room;
      });
    expect(clipped, field).toBe(false);
  }
});

test('reloads mid-file, more of them than the job has attempts, each continue from the last finished batch', async ({
  page,
}) => {
  const jobId = await startSample(page);
  // The job type allows 3 attempts; a reload is not the job's fault, so none of these uses one up.
  const reloads = 4;
  let reached = 0;
  for (let reload = 1; reload <= reloads; reload++) {
    // Read often, so each reload comes about 10 points after the last: at the poll's default
    // intervals (up to 1 s), a fast machine's job ran from 78 % to 93 % between two reads, and
    // its last batches finished during the fourth reload, before its pill could show.
    await expect.poll(() => percentOf(page), { intervals: [50] }).toBeGreaterThanOrEqual(reached + 10);
    const before = (await stepsOf(page, jobId)).filter((step) => step.status === 'completed').length;
    expect(before).toBeGreaterThan(0);
    await page.reload();
    await expect(pill(page)).toBeVisible();
    if (reload === 1) await page.screenshot({ path: test.info().outputPath('after-reload.png'), fullPage: true });
    reached = await percentOf(page);
    expect(reached).toBeGreaterThanOrEqual(Math.floor((before * 100) / 40) - 5);
  }
  await expect(page.getByRole('link', { name: 'Download categorized CSV' })).toBeVisible({ timeout: 60_000 });

  const steps = await stepsOf(page, jobId);
  expect(steps).toHaveLength(SAMPLE_ROWS / 100);
  expect(steps.every((step) => step.status === 'completed')).toBe(true);
  // Only the batch in flight at a reload may have started twice; finished batches never run again.
  expect(steps.filter((step) => step.runs > 1).length).toBeLessThanOrEqual(reloads);
  expect(steps.filter((step) => step.runs > 2)).toEqual([]);
  const done = await jobOf(page, jobId);
  expect(done).toMatchObject({ status: 'completed', attempts: 1, interruptions: reloads });
  // Each reload shows in the history as a requeue that says why.
  const history = (done?.history ?? []) as readonly { readonly status: string; readonly code?: string }[];
  expect(history.filter((entry) => entry.code === 'page-exit').map((entry) => entry.status)).toEqual(
    Array.from({ length: reloads }, () => 'queued'),
  );
  await page.goto(`/#/jobs/${jobId}`);
  await expect(page.getByText('after the tab running it closed or reloaded')).toHaveCount(reloads);
});

test('a cancelled categorization is retried from the page and carries on after its last finished batch', async ({
  page,
}) => {
  const jobId = await startSample(page);
  await expect.poll(() => percentOf(page)).toBeGreaterThanOrEqual(15);
  const result = page.getByRole('region', { name: 'Categorization' });
  await result.getByRole('button', { name: 'Cancel categorization' }).click();
  await expect(result.getByText('The categorization was cancelled.')).toBeVisible();
  // The pressed button is gone: the focus went to the command offered in its place.
  await expect(result.getByRole('button', { name: 'Retry categorization' })).toBeFocused();
  const finished = (await stepsOf(page, jobId)).filter((step) => step.status === 'completed').length;
  expect(finished).toBeGreaterThan(0);

  await result.getByRole('link', { name: 'Job details' }).click();
  await expect(page.locator('.detail-sub .status-badge')).toHaveText('Cancelled');
  await expect(page.getByText('No result: the job was cancelled.')).toBeVisible();
  await page.goto('/#/import');
  await expect(result.getByText('The categorization was cancelled.')).toBeVisible();
  await result.getByRole('button', { name: 'Retry categorization' }).click();
  await expect(pill(page)).toBeVisible();
  await expect(result.getByRole('button', { name: 'Retry categorization' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Download categorized CSV' })).toBeVisible({ timeout: 60_000 });

  const steps = await stepsOf(page, jobId);
  expect(steps).toHaveLength(SAMPLE_ROWS / 100);
  expect(steps.filter((step) => step.runs > 1).length).toBeLessThanOrEqual(1);
  expect(await jobOf(page, jobId)).toMatchObject({ status: 'completed' });
});

test('pauses mid-file and resumes where it stopped', async ({ page }) => {
  const jobId = await startSample(page);
  await expect.poll(() => percentOf(page)).toBeGreaterThanOrEqual(10);
  await page.getByRole('button', { name: 'Pause categorization' }).press('Enter');
  await expect(pill(page)).toHaveAttribute('data-state', 'paused');
  expect(await jobOf(page, jobId)).toMatchObject({ status: 'paused' });
  await expect(page.getByRole('region', { name: 'Categorization' }).getByText(/^Paused · \d+%$/)).toBeVisible();
  // The button pressed turned into Resume and kept the focus.
  await expect(page.getByRole('button', { name: 'Resume categorization' })).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(pill(page)).not.toHaveAttribute('data-state', 'paused');
  await expect(page.getByRole('link', { name: 'Download categorized CSV' })).toBeVisible({ timeout: 60_000 });
  const steps = await stepsOf(page, jobId);
  expect(steps).toHaveLength(SAMPLE_ROWS / 100);
  expect(steps.filter((step) => step.runs > 1).length).toBeLessThanOrEqual(1);
  expect(await jobOf(page, jobId)).toMatchObject({ status: 'completed' });
});

test('a categorization started in another tab is followed live, unless this tab follows one still under way', async ({
  page,
  context,
}) => {
  const here = page.getByRole('region', { name: 'Categorization' });
  const details = here.getByRole('link', { name: 'Job details' });
  await page.goto('/#/import');
  await expect(page.getByRole('button', { name: 'Start categorization' })).toBeVisible();
  await expect(here).toHaveCount(0);

  const other = await context.newPage();
  const first = await startSample(other);
  await expect(details).toHaveAttribute('href', `#/jobs/${first}`);
  const progress = here.getByRole('progressbar', { name: 'Categorization progress' });
  await expect.poll(async () => Number(await progress.getAttribute('value'))).toBeGreaterThan(0);
  await here.getByRole('button', { name: 'Pause categorization' }).click();
  await expect(here.getByText(/^Paused · \d+%$/)).toBeVisible();

  // The job followed here is paused, not finished: a newer one from the other tab leaves it be.
  const started = other.getByRole('region', { name: 'Categorization' }).getByRole('link', { name: 'Job details' });
  await other.getByRole('button', { name: 'Start categorization' }).click();
  await expect(started).not.toHaveAttribute('href', `#/jobs/${first}`);
  const second = ((await started.getAttribute('href')) as string).replace('#/jobs/', '');
  const bar = page.getByRole('region', { name: 'Background jobs' });
  await expect(bar.locator(`[data-job-id="${second}"]`)).toBeVisible();
  await expect(details).toHaveAttribute('href', `#/jobs/${first}`);
  await expect(here.getByText(/^Paused · \d+%$/)).toBeVisible();

  // Once it is over, the next one started elsewhere takes its place.
  await here.getByRole('button', { name: 'Cancel categorization' }).click();
  await expect(here.getByText('The categorization was cancelled.')).toBeVisible();
  await other.getByRole('button', { name: 'Start categorization' }).click();
  await expect(started).not.toHaveAttribute('href', `#/jobs/${second}`);
  const third = (await started.getAttribute('href')) as string;
  await expect(details).toHaveAttribute('href', third);
  await expect(here.getByRole('button', { name: 'Pause categorization' })).toBeVisible();
});

test('a file that is not a statement is refused at once and nothing is queued', async ({ page }) => {
  await page.goto('/#/import');
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('Shopping list\nmilk\neggs\n') });
  await page.getByRole('button', { name: 'Start categorization' }).click();
  await expect(page.getByRole('alert')).toContainText(/^The CSV needs the columns Date, Description, Amount/);
  await expect(page.getByRole('region', { name: 'Background jobs' }).getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Categorization' })).toHaveCount(0);
});

test('a statement with semicolons and decimal commas is read, totalled and written back in its own form', async ({
  page,
}) => {
  const statement = [
    'Date;Description;Amount;Currency',
    '02.01.2025;TESCO Filiale 12;-3,50;EUR',
    '03.01.2025;Gehalt Januar;2.450,00;EUR',
    '04.01.2025;TESCO Filiale 7;-1.234,56;EUR',
  ].join('\r\n');
  await page.goto('/#/import');
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'kontoauszug.csv', mimeType: 'text/csv', buffer: Buffer.from(statement) });
  await page.getByRole('button', { name: 'Start categorization' }).click();

  const download = page.getByRole('link', { name: 'Download categorized CSV' });
  await expect(download).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('3 of 3 rows categorized.')).toBeVisible();
  const totals = page.getByRole('table', { name: 'Totals by category' });
  const groceries = totals.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Groceries', exact: true }) });
  await expect(groceries.getByRole('cell').nth(1)).toHaveText('2');
  await expect(groceries.getByRole('cell').nth(2)).toContainText(/1,238\.06|1\.238,06/);
  await expect(groceries.getByRole('cell').nth(2)).toContainText('EUR');

  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const lines = (await readFile(await file.path(), 'utf8')).trimEnd().split('\r\n');
  expect(lines).toEqual([
    'Date;Description;Amount;Currency;Category',
    '02.01.2025;TESCO Filiale 12;-3,50;EUR;Groceries',
    '03.01.2025;Gehalt Januar;2.450,00;EUR;Uncategorized',
    '04.01.2025;TESCO Filiale 7;-1.234,56;EUR;Groceries',
  ]);
});

test('a US statement with month-first dates and its own column names is read in full', async ({ page }) => {
  const statement = [
    'Transaction Date,Post Date,Details,Type,Amount',
    '12/31/2025,01/02/2026,TESCO 12,Sale,-3.50',
    '01/02/2026,01/02/2026,Payroll,Credit,"2,450.00"',
    '01/15/2026,01/16/2026,TESCO 7,Sale,-1.25',
  ];
  await page.goto('/#/import');
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'statement.csv', mimeType: 'text/csv', buffer: Buffer.from(statement.join('\n')) });
  await page.getByRole('button', { name: 'Start categorization' }).click();
  await expect(page.getByRole('link', { name: 'Download categorized CSV' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('3 of 3 rows categorized.')).toBeVisible();
  const totals = page.getByRole('table', { name: 'Totals by category' });
  const groceries = totals.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Groceries', exact: true }) });
  await expect(groceries.getByRole('cell').nth(1)).toHaveText('2');
});

test('a statement with money out and money in columns is totalled as signed amounts', async ({ page }) => {
  const statement = [
    'Date,Description,Paid out,Paid in,Balance',
    '01/02/2025,TESCO 12,3.50,,96.50',
    '02/02/2025,Payroll,,"2,450.00",2546.50',
    '03/02/2025,TESCO 7,1.25,,2545.25',
  ];
  await page.goto('/#/import');
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'statement.csv', mimeType: 'text/csv', buffer: Buffer.from(statement.join('\n')) });
  await page.getByRole('button', { name: 'Start categorization' }).click();
  await expect(page.getByRole('link', { name: 'Download categorized CSV' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('3 of 3 rows categorized.')).toBeVisible();
  const totals = page.getByRole('table', { name: 'Totals by category' });
  const groceries = totals.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Groceries', exact: true }) });
  await expect(groceries.getByRole('cell').nth(2)).toContainText(/-4[.,]75|−4[.,]75/);
});

test('a Windows-1252 statement with a quote left open: its accents survive, and only the broken line is left out', async ({
  page,
}) => {
  const lines = ['Date,Description,Amount'];
  for (let day = 1; day <= 20; day++) lines.push(`2025-03-${String(day).padStart(2, '0')},CAFÉ ${day},-${day}.00`);
  lines[3] = '2025-03-03,"CAFÉ 3,-3.00';
  // Written as a spreadsheet program on Windows saves it: É is the one byte 0xC9.
  const bytes = Buffer.from(Uint8Array.from(lines.join('\r\n'), (char) => (char === 'É' ? 0xc9 : char.charCodeAt(0))));
  await page.goto('/#/import');
  await page.getByLabel('CSV file').setInputFiles({ name: 'releve.csv', mimeType: 'text/csv', buffer: bytes });
  await page.getByRole('button', { name: 'Start categorization' }).click();

  const download = page.getByRole('link', { name: 'Download categorized CSV' });
  await expect(download).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('19 of 20 rows categorized.')).toBeVisible();
  await page.getByText('1 row could not be read').click();
  await expect(page.getByText('Line 4: a quote (") opened on this line is not closed on it')).toBeVisible();

  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const written = await readFile(await file.path());
  expect([...written.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = new TextDecoder('utf-8', { fatal: true }).decode(written).trimEnd().split('\r\n');
  expect(rows).toHaveLength(20);
  expect(rows[1]).toBe('2025-03-01,CAFÉ 1,-1.00,Uncategorized');
  expect(rows.some((row) => row.startsWith('2025-03-03'))).toBe(false);
  expect(rows[19]).toBe('2025-03-20,CAFÉ 20,-20.00,Uncategorized');
});
