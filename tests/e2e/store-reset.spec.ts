import type { Page } from '@playwright/test';
import { CONSOLE_DB, expect, test } from './fixtures';

const MARKER = `errand:store:${CONSOLE_DB}`;

function resetNotice(page: Page) {
  return page.getByRole('alert').filter({ has: page.getByText('Saved jobs were lost') });
}

/** The marker's file in the origin private file system, or null where there is none. */
function marker(page: Page): Promise<string | null> {
  return page.evaluate(async (key) => {
    try {
      const directory = await navigator.storage.getDirectory();
      return await (await (await directory.getFileHandle(`${encodeURIComponent(key)}.json`)).getFile()).text();
    } catch {
      return null;
    }
  }, MARKER);
}

/**
 * Deletes the Console's database the way Chromium does when it finds it corrupted: IndexedDB
 * only, `localStorage` kept. The open page's connections close on `versionchange`.
 */
function deleteStore(page: Page): Promise<string> {
  return page.evaluate(
    (name) =>
      new Promise<string>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = () => resolve('deleted');
        request.onerror = () => reject(request.error ?? new Error('Could not delete the database'));
      }),
    CONSOLE_DB,
  );
}

test('a job store deleted by the browser is reported in every tab until dismissed', async ({
  consoleTab,
  page,
  openTab,
}) => {
  const id = await consoleTab.startDemo(2, 300);
  await expect.poll(() => marker(page)).not.toBeNull();
  const remembered = JSON.parse((await marker(page)) ?? 'null') as { id: string };
  await expect(resetNotice(page)).toHaveCount(0);

  expect(await deleteStore(page)).toBe('deleted');
  await consoleTab.open();
  await expect(resetNotice(page)).toBeVisible();
  expect(await consoleTab.job(id)).toBeUndefined();
  // Not forgotten on a reload while nobody dismissed it.
  await consoleTab.open();
  await expect(resetNotice(page)).toBeVisible();

  const other = await openTab();
  await expect(resetNotice(other.page)).toBeVisible();
  await other.page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(resetNotice(other.page)).toHaveCount(0);
  await expect(resetNotice(page)).toHaveCount(0);
  expect(JSON.parse((await marker(page)) ?? 'null')).not.toMatchObject({ id: remembered.id });
  // `localStorage` holds it beside the file.
  expect(await page.evaluate((key) => localStorage.getItem(key), MARKER)).toBe(await marker(page));

  await consoleTab.open();
  await expect(page.getByRole('button', { name: 'Start demo task' })).toBeVisible();
  await expect(resetNotice(page)).toHaveCount(0);
});

test('the store remembered on a first visit survives a browser killed right after, so the loss that follows is reported', async ({
  launchOnProfile,
}) => {
  // A crash soon after the store was made is when Chromium may find it corrupted on the next
  // start; `localStorage` alone loses a write made 2 s before a kill.
  const first = await launchOnProfile();
  const page = first.context.pages()[0] ?? (await first.context.newPage());
  await page.goto('/');
  await expect.poll(() => marker(page)).not.toBeNull();
  const remembered = JSON.parse((await marker(page)) ?? 'null') as { id: string };
  await first.kill();

  const second = await launchOnProfile();
  const again = second.context.pages()[0] ?? (await second.context.newPage());
  await again.goto('/');
  expect(JSON.parse((await marker(again)) ?? 'null')).toMatchObject({ id: remembered.id });
  await expect(again.getByRole('button', { name: 'Start demo task' })).toBeVisible();
  expect(await deleteStore(again)).toBe('deleted');
  await again.reload();
  await expect(resetNotice(again)).toBeVisible();
  await expect(resetNotice(again)).toContainText('Saved jobs were lost');
});
