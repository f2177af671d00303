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
  // The refusal names the job type as the form does, and is tied to the payload field.
  const refused = page.getByRole('alert');
  await expect(refused).toHaveText('Invalid payload for Demo task: steps must be a whole number from 1 to 100');
  await expect(form.getByLabel('Payload (JSON)')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Payload (JSON)')).toHaveAccessibleDescription(/steps must be a whole number/);
  await expect(form.getByLabel('Payload (JSON)')).toBeFocused();
  await form.getByLabel('Payload (JSON)').fill('{ "steps": 1, "stepMs": 100 }');
  await expect(refused).toHaveCount(0);
  await expect(form.getByLabel('Payload (JSON)')).toHaveAttribute('aria-invalid', 'false');
  await form.getByLabel('Label').fill('Ten-second demo');

  // A pattern that would run every second is refused as it is typed, and when saved: said once, at its field.
  const cronField = form.getByLabel('Cron pattern');
  const tooOften = page.getByText(/runs 1 s apart; a schedule may run at most once every 10 s/);
  await cronField.fill('* * * * * *');
  await expect(tooOften).toBeVisible();
  await expect(cronField).toHaveAttribute('aria-invalid', 'true');
  await expect(cronField).toHaveAccessibleDescription(/runs 1 s apart/);
  await form.getByRole('button', { name: 'Save schedule' }).click();
  await expect(cronField).toBeFocused();
  await expect(form.getByRole('button', { name: 'Save schedule' })).toHaveAttribute('aria-busy', 'false');
  await expect(tooOften).toHaveCount(1);
  await expect(page.getByRole('table', { name: 'Schedules' })).toHaveCount(0);

  await form.getByLabel('Cron pattern').fill('*/10 * * * * *');
  await expect(form.getByText(/^Next runs, in your time \(/)).toBeVisible();
  await form.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved “Ten-second demo”.' })).toBeVisible();

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
  await expect(page.getByRole('status').filter({ hasText: 'Turned off “Ten-second demo”.' })).toBeVisible();
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
  await expect(page.getByRole('status').filter({ hasText: 'Started “Ten-second demo”.' })).toBeVisible();
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
    page.getByRole('status').filter({ hasText: 'Removed “Ten-second demo”. The jobs it started stay.' }),
  ).toBeVisible();
  await expect(page.getByText('No schedules yet. Add one below.')).toBeVisible();
  expect(await labelled()).toBe(runs + 1);
});

test('a pattern refused when saved before its preview came is still said once, at its field', async ({ page }) => {
  await page.goto('/#/schedules');
  const form = page.getByRole('form', { name: 'Add a schedule' });
  await expect(form.getByLabel('Job type')).not.toHaveValue('');
  const cronField = form.getByLabel('Cron pattern');
  await cronField.fill('*/2 * * * * *');
  // Enter at once, inside the preview's pause after typing.
  await page.keyboard.press('Enter');
  const tooOften = page.getByText(/runs 2 s apart/);
  await expect(tooOften).toBeVisible();
  await expect(cronField).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('button', { name: 'Save schedule' })).toHaveAttribute('aria-busy', 'false');
  await expect(tooOften).toHaveCount(1);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await readStore(page, CONSOLE_DB, 'schedules')).toEqual([]);
});

test('the help says which patterns the parser takes: five, six or seven fields', async ({ page }) => {
  await page.goto('/#/schedules');
  const form = page.getByRole('form', { name: 'Add a schedule' });
  const cronField = form.getByLabel('Cron pattern');
  await expect(cronField).toHaveAccessibleDescription(/Five fields: .*six with seconds first; seven with a year last/);
  await expect(cronField).not.toHaveAccessibleDescription(/five or six/i);

  await cronField.fill('0 30 9 * * * *');
  await expect(form.getByText(/^Next runs, in your time \(/)).toBeVisible();
  await expect(cronField).toHaveAttribute('aria-invalid', 'false');

  await cronField.fill('0 30 9 * * * * *');
  await expect(
    form.getByText(
      '"0 30 9 * * * * *" is not a cron pattern: write five fields separated by spaces (minute, hour, day of month, month, day of week), such as "0 9 * * *"; a sixth in front gives seconds, a seventh at the end years',
    ),
  ).toBeVisible();
  await expect(cronField).toHaveAttribute('aria-invalid', 'true');
});

test('Save pressed twice saves one schedule; the form goes back to its defaults and focus to the new row', async ({
  page,
}) => {
  await page.goto('/#/schedules');
  const form = page.getByRole('form', { name: 'Add a schedule' });
  const jobType = form.getByLabel('Job type');
  await expect(jobType).not.toHaveValue('');
  const defaults = {
    type: await jobType.inputValue(),
    payload: await form.getByLabel('Payload (JSON)').inputValue(),
    cron: await form.getByLabel('Cron pattern').inputValue(),
    timezone: await form.getByLabel('Time zone').inputValue(),
  };
  const table = page.getByRole('table', { name: 'Schedules' });
  const schedules = () => readStore<{ label: string }>(page, CONSOLE_DB, 'schedules');

  // Two submits in one task: the second comes while the first is surely in flight.
  await jobType.selectOption({ label: 'Demo task' });
  await form.getByLabel('Label').fill('Once only');
  await form.getByLabel('Cron pattern').fill('0 7 * * *');
  await form.evaluate((element: HTMLFormElement) => {
    element.requestSubmit();
    element.requestSubmit();
  });
  await expect(page.getByRole('status').filter({ hasText: 'Saved “Once only”.' })).toBeVisible();
  const first = table.getByRole('row').filter({ hasText: 'Once only' });
  await expect(first).toBeFocused();
  await expect(table.getByRole('row')).toHaveCount(2);

  // Back to its defaults.
  await expect(form.getByLabel('Label')).toHaveValue('');
  await expect(jobType).toHaveValue(defaults.type);
  await expect(form.getByLabel('Payload (JSON)')).toHaveValue(defaults.payload);
  await expect(form.getByLabel('Cron pattern')).toHaveValue(defaults.cron);
  await expect(form.getByLabel('Time zone')).toHaveValue(defaults.timezone);
  await expect(form.getByLabel('Repeat')).toHaveValue(defaults.cron);

  // Enter twice from the keyboard, as a person does it.
  await form.getByLabel('Label').fill('Twice pressed');
  await form.getByLabel('Cron pattern').fill('0 8 * * *');
  await form.getByLabel('Cron pattern').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved “Twice pressed”.' })).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'Twice pressed' })).toBeFocused();
  // Focus left the form, so a third Enter saves nothing either.
  await page.keyboard.press('Enter');
  await expect(form.getByLabel('Label')).toHaveValue('');
  await expect(table.getByRole('row')).toHaveCount(3);
  expect((await schedules()).map((schedule) => schedule.label).sort()).toEqual(['Once only', 'Twice pressed']);
});

for (const width of [360, 320]) {
  test(`nothing on the page is wider than a ${width} px phone`, async ({ page }) => {
    await page.setViewportSize({ width, height: 740 });
    await page.goto('/#/schedules');
    const form = page.getByRole('form', { name: 'Add a schedule' });
    await expect(form.getByLabel('Job type')).not.toHaveValue('');
    await form.getByLabel('Repeat').selectOption({ label: 'On the 1st of each month at 00:00' });
    await expect(form.getByText(/^Next runs, in your time \(/)).toBeVisible();

    /** How far the page scrolls sideways, and the shown elements whose right edge is past the viewport's. */
    const overflow = () =>
      page.evaluate(() => {
        const root = document.documentElement;
        // Text for screen readers only (the list's column headings on a phone) is clipped to nothing.
        const clipped = (element: Element | null): boolean =>
          element !== null && (getComputedStyle(element).clip !== 'auto' || clipped(element.parentElement));
        const cut = [...document.querySelectorAll('main *')]
          .filter((element) => !clipped(element))
          .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 0.5)
          .map((element) => `${element.tagName.toLowerCase()}${element.className ? `.${element.className}` : ''}`);
        return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, cut };
      });
    const empty = await overflow();
    expect(empty.cut).toEqual([]);
    expect(empty.scrollWidth).toBeLessThanOrEqual(empty.clientWidth);

    // The list, read as blocks on a phone, with a long label and a long time zone, and the form editing it.
    await form.getByLabel('Label').fill('Monthly export of every job in the family account, for the accountant');
    await form.getByLabel('Time zone').fill('America/Argentina/ComodRivadavia');
    await form.getByRole('button', { name: 'Save schedule' }).click();
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: 'Saved “Monthly export of every job in the family account, for the accountant”.' }),
    ).toBeVisible();
    await page
      .getByRole('button', { name: 'Edit Monthly export of every job in the family account, for the accountant' })
      .click();
    await expect(page.getByRole('form', { name: 'Edit a schedule' })).toBeVisible();
    const listed = await overflow();
    expect(listed.cut).toEqual([]);
    expect(listed.scrollWidth).toBeLessThanOrEqual(listed.clientWidth);
  });
}

test('a form left for another page of the app comes back as it was typed', async ({ page }) => {
  await page.goto('/#/schedules');
  const form = page.getByRole('form', { name: 'Add a schedule' });
  await form.getByLabel('Job type').selectOption({ label: 'Demo task' });
  await form.getByLabel('Label').fill('Half-typed');
  await form.getByLabel('Cron pattern').fill('15 7 * * 1');
  await form.getByLabel('Payload (JSON)').fill('{ "steps": 3, "stepMs": 100 }');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  await page.goBack();
  await expect(form.getByLabel('Label')).toHaveValue('Half-typed');
  await expect(form.getByLabel('Cron pattern')).toHaveValue('15 7 * * 1');
  await expect(form.getByLabel('Payload (JSON)')).toHaveValue('{ "steps": 3, "stepMs": 100 }');
  await expect(form.getByText(/^Next runs, in your time/)).toBeVisible();

  // Saved, the form is back to its defaults, and so it is after the next visit elsewhere.
  await form.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved “Half-typed”.' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await page.goBack();
  await expect(form.getByLabel('Label')).toHaveValue('');
});

test('the next runs have their line before the worker answers: Save stays where it is as they come, and as an error takes their place', async ({
  page,
}) => {
  // Where Save is in its form, at every frame from the first one that draws it.
  await page.addInitScript(() => {
    const seen: { top: number; preview: string }[] = [];
    (window as unknown as { saveTops: typeof seen }).saveTops = seen;
    const read = () => {
      const form = document.querySelector('form.schedule-form');
      const save = form?.querySelector('button[type="submit"]');
      if (form && save) {
        const top = Math.round(save.getBoundingClientRect().top - form.getBoundingClientRect().top);
        const preview = document.getElementById('cron-preview')?.textContent?.trim() ?? '';
        const last = seen.at(-1);
        if (last?.top !== top || last.preview !== preview) seen.push({ top, preview });
      }
      requestAnimationFrame(read);
    };
    requestAnimationFrame(read);
  });
  const tops = () =>
    page.evaluate(() => (window as unknown as { saveTops: { top: number; preview: string }[] }).saveTops);
  await page.goto('/#/schedules');
  const form = page.getByRole('form', { name: 'Add a schedule' });
  const preview = form.locator('#cron-preview');
  await expect(preview).toHaveText(/^Next runs, in your time \(.+\): .+\d/);
  await expect(preview).toHaveAttribute('aria-busy', 'false');

  // A pattern refused as it is typed: its error takes the line of the runs.
  await form.getByLabel('Cron pattern').fill('* * * * * *');
  await expect(preview).toHaveText(/runs 1 s apart/);
  await form.getByLabel('Cron pattern').fill('0 9 * * 1');
  await expect(preview).toHaveText(/^Next runs, in your time \(.+\): .+\d/);

  const seen = await tops();
  // The runs and the error were drawn (the line before the first answer, when a frame came before it).
  expect(seen.some((frame) => frame.preview.includes('runs 1 s apart'))).toBe(true);
  expect(seen.filter((frame) => /^Next runs.*\d/.test(frame.preview)).length).toBeGreaterThanOrEqual(2);
  expect(new Set(seen.map((frame) => frame.top)), JSON.stringify(seen)).toEqual(new Set([seen[0]?.top]));
});
