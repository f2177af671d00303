import { CONSOLE_DB, expect, readStore, test, type StoredJob } from './fixtures';

test('a schedule is added from the form, starts its job at its times, and can be turned off, run now and removed', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.goto('/#/schedules');
  await expect(page.getByRole('heading', { name: 'Schedules', level: 1 })).toBeVisible();
  await expect(page.getByText('No schedules yet. Add one below.')).toBeVisible();

  const form = page.getByRole('form', { name: 'Add a schedule' });
  await form.getByLabel('Job type').selectOption({ label: 'Demo task' });
  await expect(form.getByLabel('Payload (JSON)')).toHaveValue(/"steps": 5/);
  // A payload the job type refuses is said at Save; the message goes once the payload is changed.
  await form.getByLabel('Payload (JSON)').fill('{ "steps": 0, "stepMs": 100 }');
  await form.getByLabel('Label').fill('Ten-second demo');
  await form.getByRole('button', { name: 'Save schedule' }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'steps must be a whole number from 1 to 100' });
  await expect(refused).toBeVisible();
  await form.getByLabel('Payload (JSON)').fill('{ "steps": 1, "stepMs": 100 }');
  await expect(refused).toHaveCount(0);
  await form.getByLabel('Label').fill('Ten-second demo');

  // A pattern that would run every second is refused as it is typed, and when saved.
  await form.getByLabel('Cron pattern').fill('* * * * * *');
  await expect(form.getByText(/runs 1 s apart; a schedule may run at most once every 10 s/)).toBeVisible();
  await expect(form.getByLabel('Cron pattern')).toHaveAttribute('aria-invalid', 'true');
  await form.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByRole('alert')).toContainText('runs 1 s apart');
  await expect(page.getByRole('table', { name: 'Schedules' })).toHaveCount(0);

  await form.getByLabel('Cron pattern').fill('*/10 * * * * *');
  await expect(form.getByText(/^Next runs, in your time \(/)).toBeVisible();
  await form.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved "Ten-second demo".' })).toBeVisible();

  const row = page.getByRole('table', { name: 'Schedules' }).getByRole('row').filter({ hasText: 'Ten-second demo' });
  await expect(row).toContainText('*/10 * * * * *');
  await expect(row.getByRole('checkbox', { name: 'Ten-second demo On' })).toBeChecked();
  await expect(row.getByRole('cell').nth(4)).toHaveText('1', { timeout: 20_000 });
  const scheduled = (await readStore<StoredJob>(page, CONSOLE_DB, 'jobs')).filter(
    (job) => job.label === 'Ten-second demo',
  );
  expect(scheduled).toHaveLength(1);
  await expect
    .poll(async () => (await readStore<StoredJob>(page, CONSOLE_DB, 'jobs', scheduled[0]?.id))[0]?.status)
    .toBe('completed');

  // Turned off first, so that no run comes between the checks below.
  // From the keyboard: focus stays on the box while the change is saved, and after.
  const onBox = row.getByRole('checkbox', { name: 'Ten-second demo On' });
  await onBox.focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('status').filter({ hasText: 'Turned off "Ten-second demo".' })).toBeVisible();
  await expect(onBox).not.toBeChecked();
  await expect(onBox).toBeFocused();
  await expect(row.getByRole('cell').nth(2)).toHaveText('Off');
  const labelled = async () =>
    (await readStore<StoredJob>(page, CONSOLE_DB, 'jobs')).filter((job) => job.label === 'Ten-second demo').length;
  const runs = await labelled();
  await expect(row.getByRole('cell').nth(4)).toHaveText(String(runs));

  // Edited: a new pattern, the same schedule (its count and its off state kept).
  await row.getByRole('button', { name: 'Edit Ten-second demo' }).click();
  const editing = page.getByRole('form', { name: 'Edit a schedule' });
  await expect(editing.getByRole('heading', { name: 'Edit “Ten-second demo”' })).toBeVisible();
  await expect(editing.getByLabel('Cron pattern')).toHaveValue('*/10 * * * * *');
  await expect(editing.getByLabel('Payload (JSON)')).toHaveValue(/"stepMs": 100/);
  await editing.getByLabel('Cron pattern').fill('0 0 9 * * *');
  await editing.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('form', { name: 'Add a schedule' })).toBeVisible();
  await expect(row).toContainText('0 0 9 * * *');
  await expect(row.getByRole('checkbox', { name: 'Ten-second demo On' })).not.toBeChecked();
  await expect(row.getByRole('cell').nth(4)).toHaveText(String(runs));
  await expect(page.getByRole('table', { name: 'Schedules' }).getByRole('row')).toHaveCount(2);

  const runNow = row.getByRole('button', { name: 'Run now Ten-second demo' });
  await runNow.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Started "Ten-second demo".' })).toBeVisible();
  await expect(runNow).toBeFocused();
  await expect.poll(labelled).toBe(runs + 1);

  await row.getByRole('link').click();
  await expect(page).toHaveURL(/#\/jobs\/[^/]+$/);
  await expect(page.getByRole('heading', { name: 'Ten-second demo', level: 1 })).toBeVisible();

  await page.goto('/#/schedules');
  // Remove asks first: focus on Keep, Escape keeps it and gives focus back to Remove.
  const removeButton = page.getByRole('button', { name: 'Remove Ten-second demo' });
  await removeButton.click();
  const confirm = page.getByRole('group', { name: 'Confirm removal of Ten-second demo' });
  await expect(confirm.getByRole('button', { name: 'Keep' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(removeButton).toBeFocused();
  await expect(page.getByRole('table', { name: 'Schedules' }).getByRole('row')).toHaveCount(2);
  await removeButton.click();
  await confirm.getByRole('button', { name: 'Remove it' }).click();
  await expect(page.getByRole('heading', { name: 'Saved schedules' })).toBeFocused();
  await expect(
    page.getByRole('status').filter({ hasText: 'Removed "Ten-second demo". The jobs it started stay.' }),
  ).toBeVisible();
  await expect(page.getByText('No schedules yet. Add one below.')).toBeVisible();
  expect(await labelled()).toBe(runs + 1);
});
