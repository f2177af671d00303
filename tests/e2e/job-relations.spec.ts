import type { Page } from '@playwright/test';
import { expect, seededJob, seedJobs, test } from './fixtures';

/** A job that waits for its time, an hour away: nothing runs it while the test looks at it. */
function laterJob(id: string, label: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const runAt = Date.now() + 3_600_000;
  return seededJob(id, label, { status: 'waiting', waitReason: 'scheduled', runAt, wakeAt: runAt, ...fields });
}

/** A job waiting for `dependsOn` to complete. */
function dependentJob(id: string, label: string, dependsOn: readonly string[]): Record<string, unknown> {
  return seededJob(id, label, { status: 'waiting', waitReason: 'dependencies', dependsOn, progress: 0 });
}

function related(page: Page) {
  return page.getByRole('region', { name: 'Related jobs' });
}

test("a dependency's page lists the jobs that wait on it, and asks before a cancel or a removal fails them", async ({
  consoleTab: _opened,
  page,
}) => {
  await seedJobs(page, [
    laterJob('seed-fetch', 'Fetch statements'),
    dependentJob('seed-march', 'Categorize March', ['seed-fetch']),
    dependentJob('seed-april', 'Categorize April', ['seed-fetch']),
  ]);
  await page.goto('/#/jobs/seed-fetch');
  await expect(page.getByRole('heading', { level: 1, name: 'Fetch statements' })).toBeVisible();
  const neededBy = related(page).getByRole('list', { name: 'Needed by (2)' });
  await expect(neededBy.getByRole('listitem')).toHaveText([
    /^Categorize April\s+Waiting$/,
    /^Categorize March\s+Waiting$/,
  ]);

  // Remove says what it does to them, and Keep keeps everything.
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  const removal = page.getByRole('group', { name: 'Confirm removal' });
  await expect(removal).toContainText('The 2 unfinished jobs that wait for it to complete will fail.');
  await removal.getByRole('button', { name: 'Keep' }).click();
  await expect(removal).toHaveCount(0);

  // Cancel asks first; Escape keeps the job as it was, and the focus goes back to Cancel.
  const cancel = page.getByRole('button', { name: 'Cancel', exact: true });
  await cancel.click();
  const question = page.getByRole('group', { name: 'Confirm cancel' });
  await expect(question).toHaveText(
    /^Cancel this job\? The 2 unfinished jobs that wait for it to complete will fail\./,
  );
  await expect(question.getByRole('button', { name: 'Keep' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(cancel).toBeFocused();
  await expect(page.locator('.detail-sub .status-badge')).toHaveText('Waiting');

  // Cancelled: the jobs that waited on it fail, and the list shows it as it happens.
  await cancel.click();
  await question.getByRole('button', { name: 'Cancel it' }).click();
  await expect(page.locator('.detail-sub .status-badge')).toHaveText('Cancelled');
  await expect(neededBy.getByRole('listitem')).toHaveText(
    [/^Categorize April\s+Failed$/, /^Categorize March\s+Failed$/],
    {
      timeout: 15_000,
    },
  );

  // A dependent's page names what it depended on, as it is now.
  await neededBy.getByRole('link', { name: 'Categorize March' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Categorize March' })).toBeVisible();
  await expect(related(page).getByRole('list', { name: 'Depends on (1)' }).getByRole('listitem')).toHaveText(
    /^Fetch statements\s+Cancelled$/,
  );
  await expect(page.getByRole('region', { name: 'Error' })).toContainText(
    '“Fetch statements”, which it depends on, was cancelled',
  );
  await expect(page.getByRole('region', { name: 'Error' })).toContainText('dependency-failed');
});

test('a dependent removed in another tab leaves the list, and then Cancel does not ask', async ({
  consoleTab: _opened,
  openTab,
  page,
}) => {
  await seedJobs(page, [
    laterJob('seed-lone', 'Sync contacts'),
    dependentJob('seed-merge', 'Merge contacts', ['seed-lone']),
  ]);
  await page.goto('/#/jobs/seed-lone');
  await expect(related(page).getByRole('list', { name: 'Needed by (1)' })).toHaveText(/^Merge contacts\s+Waiting$/);
  // Its pill, on every page, names the job it waits for.
  await expect(page.locator('[role="progressbar"][data-job-id="seed-merge"]')).toHaveAttribute(
    'aria-valuetext',
    /, Waiting for “Sync contacts”$/,
  );

  const other = await openTab();
  await other.page.goto('/#/jobs/seed-merge');
  // It says by name what it waits for.
  await expect(other.page.locator('.progress-facts')).toContainText('Waiting for “Sync contacts”');
  await other.page.getByRole('button', { name: 'Remove', exact: true }).click();
  await other.page.getByRole('group', { name: 'Confirm removal' }).getByRole('button', { name: 'Remove it' }).click();
  await expect(other.page.getByRole('status').filter({ hasText: 'Removed “Merge contacts”.' })).toBeAttached();

  // Alone now: nothing to list, and nothing for Cancel to warn of.
  await expect(related(page)).toHaveCount(0);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.locator('.detail-sub .status-badge')).toHaveText('Cancelled');
  await expect(page.getByRole('group', { name: 'Confirm cancel' })).toHaveCount(0);
});

test('a cancel question on a job cancelled in another tab goes, and the focus goes to the first command left', async ({
  consoleTab: _opened,
  openTab,
  page,
}) => {
  await seedJobs(page, [
    laterJob('seed-sync', 'Sync calendar'),
    dependentJob('seed-notify', 'Notify team', ['seed-sync']),
  ]);
  await page.goto('/#/jobs/seed-sync');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const question = page.getByRole('group', { name: 'Confirm cancel' });
  await expect(question.getByRole('button', { name: 'Keep' })).toBeFocused();

  const other = await openTab();
  await other.page.goto('/#/jobs/seed-sync');
  await other.page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await other.page.getByRole('group', { name: 'Confirm cancel' }).getByRole('button', { name: 'Cancel it' }).click();

  await expect(page.locator('.detail-sub .status-badge')).toHaveText('Cancelled');
  await expect(question).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Retry', exact: true })).toBeFocused();
  // The job that waited on it failed with it, at once.
  await expect(related(page).getByRole('list', { name: 'Needed by (1)' })).toHaveText(/^Notify team\s+Failed$/);
});

test("a parent's page lists the jobs it enqueued, ten at first, and each names its parent", async ({
  consoleTab: _opened,
  page,
}) => {
  const done = Date.now() - 60_000;
  const finished = {
    status: 'completed',
    progress: 1,
    completedAt: done,
    history: [{ status: 'completed', at: done }],
  };
  await seedJobs(page, [
    seededJob('seed-batch', 'Categorize 2026', finished),
    ...Array.from({ length: 12 }, (_, i) =>
      seededJob(`seed-batch-${String(i + 1).padStart(2, '0')}`, `Batch ${i + 1}`, {
        ...finished,
        parentId: 'seed-batch',
        createdAt: done + i,
      }),
    ),
  ]);
  await page.goto('/#/jobs/seed-batch');
  const children = related(page).getByRole('list', { name: 'Enqueued (12)' });
  await expect(children.getByRole('listitem')).toHaveCount(10);
  const showAll = related(page).getByRole('button', { name: 'Show all 12' });
  // Its name says which list it shows, beside the other lists' buttons.
  await expect(showAll).toHaveAccessibleName('Show all 12 (enqueued)');
  await showAll.click();
  await expect(children.getByRole('listitem')).toHaveCount(12);
  // The same button shows fewer again, and keeps the focus.
  const showFewer = related(page).getByRole('button', { name: 'Show fewer' });
  await expect(showFewer).toBeFocused();
  await expect(showFewer).toHaveAttribute('aria-expanded', 'true');

  await children.getByRole('link', { name: 'Batch 12' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Batch 12' })).toBeVisible();
  await expect(related(page)).toContainText(/Enqueued by\s*Categorize 2026\s+Completed/);
});

test('the job center asks before cancelling selected jobs that others wait on, and says so before removing them', async ({
  consoleTab: _opened,
  page,
}) => {
  await seedJobs(page, [
    laterJob('seed-pull', 'Pull invoices'),
    laterJob('seed-rates', 'Pull exchange rates'),
    dependentJob('seed-ledger', 'Post to ledger', ['seed-pull', 'seed-rates']),
  ]);
  await page.goto('/#/jobs');
  await page.getByRole('checkbox', { name: 'Select Pull invoices' }).check();
  await page.getByRole('checkbox', { name: 'Select Pull exchange rates' }).check();

  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  const removal = page.getByRole('group', { name: 'Confirm removal' });
  await expect(removal).toContainText('“Post to ledger” waits for one of them to complete, and will fail.');
  await removal.getByRole('button', { name: 'Keep' }).click();

  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const question = page.getByRole('group', { name: 'Confirm cancel' });
  await expect(question).toHaveText(
    /^Cancel 2 selected jobs\? “Post to ledger” waits for one of them to complete, and will fail\./,
  );
  await expect(question.getByRole('button', { name: 'Keep' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: /^Cancelled/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await question.getByRole('button', { name: 'Cancel them' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Cancelled 2 jobs.' })).toBeVisible();
  await page.goto('/#/jobs/seed-ledger');
  await expect(page.locator('.detail-sub .status-badge')).toHaveText('Failed', { timeout: 15_000 });
});

test('a bulk cancel question goes once no selected job can be cancelled any more', async ({
  consoleTab: _opened,
  openTab,
  page,
}) => {
  await seedJobs(page, [
    laterJob('seed-backup', 'Back up photos'),
    dependentJob('seed-share', 'Share album', ['seed-backup']),
  ]);
  await page.goto('/#/jobs');
  await page.getByRole('checkbox', { name: 'Select Back up photos' }).check();
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const question = page.getByRole('group', { name: 'Confirm cancel' });
  await expect(question).toContainText('Cancel 1 selected job? “Share album” waits for it to complete, and will fail.');

  const other = await openTab();
  await other.page.goto('/#/jobs/seed-backup');
  await other.page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await other.page.getByRole('group', { name: 'Confirm cancel' }).getByRole('button', { name: 'Cancel it' }).click();

  await expect(question).toHaveCount(0);
});

test('an open bulk question says again what it fails as the jobs that wait on the selection change in another tab', async ({
  consoleTab: _opened,
  openTab,
  page,
}) => {
  await seedJobs(page, [
    laterJob('seed-scan', 'Scan receipts'),
    laterJob('seed-ocr', 'Read receipts'),
    dependentJob('seed-totals', 'Total receipts', ['seed-scan']),
    dependentJob('seed-report', 'Report receipts', ['seed-ocr']),
  ]);
  await page.goto('/#/jobs');
  await page.getByRole('checkbox', { name: 'Select Scan receipts' }).check();
  await page.getByRole('checkbox', { name: 'Select Read receipts' }).check();
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const question = page.getByRole('group', { name: 'Confirm cancel' });
  await expect(question).toContainText('The 2 unfinished jobs that wait for them to complete will fail.');

  const other = await openTab();
  await other.page.goto('/#/jobs/seed-report');
  await other.page.getByRole('button', { name: 'Remove', exact: true }).click();
  await other.page.getByRole('group', { name: 'Confirm removal' }).getByRole('button', { name: 'Remove it' }).click();
  await expect(other.page.getByRole('status').filter({ hasText: 'Removed “Report receipts”.' })).toBeAttached();

  // Still open, and with the focus where it was: the warning now names the one left.
  await expect(question).toHaveText(
    /^Cancel 2 selected jobs\? “Total receipts” waits for one of them to complete, and will fail\./,
  );
  await expect(question.getByRole('button', { name: 'Keep' })).toBeFocused();

  await other.page.goto('/#/jobs/seed-totals');
  await other.page.getByRole('button', { name: 'Remove', exact: true }).click();
  await other.page.getByRole('group', { name: 'Confirm removal' }).getByRole('button', { name: 'Remove it' }).click();
  await expect(other.page.getByRole('status').filter({ hasText: 'Removed “Total receipts”.' })).toBeAttached();
  await expect(question).toHaveText(/^Cancel 2 selected jobs\? Cancel them Keep$/);
});

test("a job's dependents open in the job center, filtered to them, where the other filters and bulk commands apply", async ({
  consoleTab: _opened,
  page,
}) => {
  await seedJobs(page, [
    laterJob('seed-fetch', 'Fetch statements'),
    laterJob('seed-unrelated', 'Water the plants'),
    dependentJob('seed-cat-1', 'Categorize January', ['seed-fetch']),
    dependentJob('seed-cat-2', 'Categorize February', ['seed-fetch']),
    dependentJob('seed-cat-3', 'Categorize March', ['seed-fetch']),
  ]);
  await page.goto('/#/jobs/seed-fetch');
  await related(page).getByRole('link', { name: 'Open in the job center (needed by: 3)' }).click();
  await expect(page).toHaveURL(/#\/jobs\?dependsOn=seed-fetch$/);
  const relation = page.locator('.relation');
  await expect(relation).toContainText('Only the jobs that depend on “Fetch statements”');
  await expect(page.locator('.summary')).toHaveText('3 jobs');
  await expect(page.locator('[role="row"][data-job-id]')).toHaveCount(3);
  await expect(page.getByRole('checkbox', { name: 'Select Water the plants' })).toHaveCount(0);

  // The status filter narrows the same list, and keeps it to the dependents.
  await page.getByLabel('Status').selectOption('completed');
  await expect(page).toHaveURL(/[?&]dependsOn=seed-fetch/);
  await expect(page.getByText('No jobs match these filters.')).toBeVisible();
  await page.getByLabel('Status').selectOption('waiting');
  await expect(page.locator('.summary')).toHaveText('3 jobs');

  // A bulk command acts on them all, and on nothing else.
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Cancelled 3 jobs.' })).toBeVisible();
  await expect(page.locator('.summary')).toHaveText('0 jobs');

  // Every job again, the status filter kept; as after any filter, the focus goes to the page's start.
  await relation.getByRole('button', { name: 'Show every job' }).click();
  await expect(page).toHaveURL(/#\/jobs\?status=waiting$/);
  await expect(page.locator('#main')).toBeFocused();
  await expect(page.locator('.summary')).toHaveText('2 jobs');

  // A job that is gone is named by its id.
  await page.goto('/#/jobs?parentId=seed-gone');
  await expect(page.locator('.relation')).toContainText('Only the jobs enqueued by the removed job seed-gone');
  await expect(page.locator('.summary')).toHaveText('0 jobs');
});

test('an open bulk question drops what it said of a selected job that left the list in another tab', async ({
  consoleTab: _opened,
  openTab,
  page,
}) => {
  await seedJobs(page, [
    laterJob('seed-rent', 'Pay rent'),
    laterJob('seed-power', 'Pay power bill'),
    dependentJob('seed-ledger-rent', 'Record rent', ['seed-rent']),
  ]);
  await page.goto('/#/jobs?status=active');
  await page.getByRole('checkbox', { name: 'Select Pay rent' }).check();
  await page.getByRole('checkbox', { name: 'Select Pay power bill' }).check();
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const question = page.getByRole('group', { name: 'Confirm cancel' });
  await expect(question).toContainText('Cancel 2 selected jobs? “Record rent” waits for one of them to complete');

  // Cancelled elsewhere, "Pay rent" leaves the active list and the selection; "Record rent" fails.
  const other = await openTab();
  await other.page.goto('/#/jobs/seed-rent');
  await other.page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await other.page.getByRole('group', { name: 'Confirm cancel' }).getByRole('button', { name: 'Cancel it' }).click();

  await expect(question).toHaveText(/^Cancel 1 selected job\? Cancel it Keep$/);
});
