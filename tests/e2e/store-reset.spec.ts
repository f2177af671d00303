import type { Page } from '@playwright/test';
import { CONSOLE_DB, expect, test } from './fixtures';

const MARKER = `errand:store:${CONSOLE_DB}`;

function resetNotice(page: Page) {
  return page.getByRole('alert').filter({ has: page.getByText('Saved jobs were lost') });
}

function marker(page: Page): Promise<string | null> {
  return page.evaluate((key) => localStorage.getItem(key), MARKER);
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

  await consoleTab.open();
  await expect(page.getByRole('button', { name: 'Start demo task' })).toBeVisible();
  await expect(resetNotice(page)).toHaveCount(0);
});
