import type { Locator, Page } from '@playwright/test';
import { expect, seededJob, seedJobs, test } from './fixtures';

function toasts(page: Page): Locator {
  return page.getByRole('region', { name: 'Notifications' });
}

/**
 * A job that fails at `runAt` (its payload is not one), with a label of several lines on a
 * phone: its toast, with the error and a link, is taller than the room at the page's foot.
 */
function failingJob(runAt: number): Record<string, unknown> {
  return seededJob('seed-long-failure', 'Categorize every transaction of the March statements of the joint account', {
    status: 'waiting',
    waitReason: 'scheduled',
    runAt,
    wakeAt: runAt,
    payload: null,
    progress: 0,
    attempts: 0,
    maxAttempts: 1,
  });
}

/** Whether `control` is in the window and wholly above every toast shown. */
async function clearOfToasts(control: Locator): Promise<boolean> {
  return control.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const covers = [...document.querySelectorAll('.toast')]
      .map((toast) => toast.getBoundingClientRect())
      .filter((cover) => cover.height > 0 && cover.left < box.right && cover.right > box.left);
    return box.top >= 0 && covers.every((cover) => box.bottom <= cover.top);
  });
}

/** How much room the page's foot adds for the toasts now (px). */
function footRoom(page: Page): Promise<string> {
  return page.evaluate(() => document.documentElement.style.getPropertyValue('--toasts-room') || '0px');
}

/**
 * The schedule form's payload field focused, and the page scrolled to its end, once the form can
 * be saved: Save is disabled until the job types are read, and Tab passes over it until then.
 */
async function toFormEnd(page: Page): Promise<{ payload: Locator; save: Locator }> {
  await page.goto('/#/schedules');
  const form = page.getByRole('form', { name: 'Add a schedule' });
  const payload = form.getByLabel('Payload (JSON)');
  const save = form.getByRole('button', { name: 'Save schedule' });
  await expect(save).toBeEnabled();
  await payload.focus();
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  return { payload, save };
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 700 } });

  test('the last control of a page, reached with Tab under a toast, is scrolled clear of it; the room made goes after', async ({
    consoleTab: _opened,
    page,
  }) => {
    await seedJobs(page, [failingJob(Date.now())]);
    const toast = toasts(page).getByRole('listitem').filter({ hasText: 'failed' });
    await expect(toast).toBeVisible({ timeout: 15_000 });
    // Held while the pointer rests on the toasts, so that they stay through the checks below.
    const at = (await toasts(page).getByRole('listitem').last().boundingBox())!;
    await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);

    const { payload, save } = await toFormEnd(page);
    await page.keyboard.press('Tab');
    await expect(save).toBeFocused();
    // Another toast may have come meanwhile ("Ready to work offline"): a phone shows the newest.
    await expect(toasts(page).getByRole('listitem').last()).toBeVisible();
    await expect.poll(() => clearOfToasts(save)).toBe(true);

    // Back to the field: the room added at the foot goes with the focus.
    await page.keyboard.press('Shift+Tab');
    await expect(payload).toBeFocused();
    await expect.poll(() => footRoom(page)).toBe('0px');
  });

  test('a toast that comes over the focused control moves the page up clear of it', async ({
    consoleTab: _opened,
    page,
  }) => {
    await seedJobs(page, [failingJob(Date.now() + 4_000)]);
    const { save } = await toFormEnd(page);
    await page.keyboard.press('Tab');
    await expect(save).toBeFocused();
    expect(await clearOfToasts(save)).toBe(true);
    await expect(toasts(page).getByRole('listitem').filter({ hasText: 'failed' })).toBeVisible({ timeout: 15_000 });
    await expect(save).toBeFocused();
    await expect.poll(() => clearOfToasts(save)).toBe(true);
  });
});
