import type { BrowserContext, Page } from '@playwright/test';
import { startStubServer, type StubServer } from '../../scripts/ai-stub-server.mjs';
import { CONSOLE_DB, expect, readStore, test } from './fixtures';

const KEY = 'sk-e2e-secret-0123456789wxyz';

interface StoredSetting {
  readonly key: string;
  readonly value: Record<string, unknown>;
}

let stub: StubServer;
test.beforeAll(async () => {
  stub = await startStubServer({ port: 0, apiKey: KEY });
});
test.afterAll(async () => {
  await stub.close();
});
test.beforeEach(() => stub.control.reset());

/**
 * The stub sends no CORS headers, and the Console's worker calls it from another origin (another
 * port), as it would call a real provider. The test forwards those calls and adds the headers a
 * browser-facing provider sends; Playwright answers the CORS preflight of a routed request itself.
 */
async function allowCrossOrigin(context: BrowserContext): Promise<void> {
  await context.route(`${stub.url}/**`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': '*' } });
  });
}

async function stored(page: Page, key: string): Promise<Record<string, unknown> | undefined> {
  return (await readStore<StoredSetting>(page, CONSOLE_DB, 'settings')).find((row) => row.key === key)?.value;
}

async function openSettings(page: Page): Promise<void> {
  await page.goto('/#/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeEnabled();
}

test('an OpenAI-compatible provider is saved with a key the page never shows again, tested, and set back to local', async ({
  page,
  context,
}) => {
  await allowCrossOrigin(context);
  await openSettings(page);
  await expect(page.getByLabel('Provider', { exact: true })).toHaveValue('local');

  await page.getByLabel('Provider', { exact: true }).selectOption({ label: 'OpenAI-compatible' });
  await page.getByLabel('Base URL', { exact: true }).fill('ftp://127.0.0.1/v1');
  await page.getByLabel('API key', { exact: true }).fill(KEY);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('The URL must start with http:// or https://')).toBeVisible();
  await expect(page.getByText('Enter the model name')).toBeVisible();
  await expect(page.getByText('Nothing was saved')).toBeVisible();
  expect(await stored(page, 'ai')).toBeUndefined();

  await page.getByLabel('Base URL', { exact: true }).fill(stub.url);
  await page.getByLabel('Model', { exact: true }).fill('stub-model');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await expect(page.getByText('A key is saved (…wxyz)')).toBeVisible();
  await expect(page.getByLabel('API key', { exact: true })).toHaveValue('');
  expect(await stored(page, 'ai')).toEqual({
    provider: 'openai-compatible',
    baseUrl: stub.url,
    model: 'stub-model',
    apiKey: KEY,
  });

  await page.reload();
  await openSettings(page);
  await expect(page.getByLabel('Provider', { exact: true })).toHaveValue('openai-compatible');
  await expect(page.getByLabel('Base URL', { exact: true })).toHaveValue(stub.url);
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('stub-model');
  await expect(page.getByLabel('API key', { exact: true })).toHaveValue('');
  await expect(page.getByText('A key is saved (…wxyz)')).toBeVisible();
  expect(await page.content()).not.toContain(KEY);
  expect(
    await page
      .locator('input')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value).join('\n')),
  ).not.toContain(KEY);

  await page.getByRole('button', { name: 'Test connection' }).click();
  const ok = page.locator('[data-state="ok"]');
  await expect(ok).toContainText('Connected; model stub-model is available');
  // Busy, the buttons stayed focusable: the one pressed keeps the focus.
  await expect(page.getByRole('button', { name: 'Test connection' })).toBeFocused();
  await expect(ok).toContainText('stub-model');
  expect(stub.control.stats().lastAuthorization).toBe(`Bearer ${KEY}`);

  await page.getByLabel('Provider', { exact: true }).selectOption({ label: 'Local (offline)' });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeFocused();
  expect(await stored(page, 'ai')).toMatchObject({ provider: 'local' });
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(ok).toContainText('works offline');
});

test('a wrong key fails the connection test with its code, and "Remove key" clears the stored key', async ({
  page,
  context,
}) => {
  await allowCrossOrigin(context);
  await openSettings(page);
  await page.getByLabel('Provider', { exact: true }).selectOption('openai-compatible');
  await page.getByLabel('Base URL', { exact: true }).fill(stub.url);
  await page.getByLabel('Model', { exact: true }).fill('stub-model');
  await page.getByLabel('API key', { exact: true }).fill('sk-wrong-key-00000000');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('A key is saved (…0000)')).toBeVisible();

  await page.getByRole('button', { name: 'Test connection' }).click();
  const failed = page.locator('[data-state="failed"]');
  await expect(failed).toContainText('Cannot succeed as asked:');
  await expect(failed).toHaveAttribute('data-code', 'permanent');
  await expect(failed).toContainText('Incorrect API key provided.');
  await expect(failed).not.toContainText('sk-wrong-key');

  await page.getByRole('button', { name: 'Remove key' }).click();
  await expect(page.getByText('The API key was removed')).toBeVisible();
  await expect(page.getByText(/A key is saved/)).toHaveCount(0);
  // The button went with the key: the focus went to the key's field.
  await expect(page.getByLabel('API key', { exact: true })).toBeFocused();
  expect(await stored(page, 'ai')).toEqual({
    provider: 'openai-compatible',
    baseUrl: stub.url,
    model: 'stub-model',
    apiKey: '',
  });
});

test('limits must be whole numbers of at least 1, and nothing changes until they are', async ({ page }) => {
  await openSettings(page);
  await page.getByLabel('Requests per minute', { exact: true }).fill('1.5');
  await page.getByLabel('Jobs at once', { exact: true }).fill('0');
  await expect(page.getByText('Enter a whole number of at least 1', { exact: false })).toHaveCount(2);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Nothing was saved')).toBeVisible();
  expect(await stored(page, 'limits')).toBeUndefined();

  await page.getByLabel('Requests per minute', { exact: true }).fill('30');
  await page.getByLabel('Jobs at once', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  expect(await stored(page, 'limits')).toEqual({ aiRequestsPerMinute: 30, concurrency: 2 });

  await page.reload();
  await openSettings(page);
  await expect(page.getByLabel('Requests per minute', { exact: true })).toHaveValue('30');
  await expect(page.getByLabel('Jobs at once', { exact: true })).toHaveValue('2');
});

test('unsaved edits, key included, come back after a visit to another page, in memory only, and Discard drops them', async ({
  page,
}) => {
  await openSettings(page);
  await expect(page.getByText('Unsaved changes')).toHaveCount(0);
  await page.getByLabel('Provider', { exact: true }).selectOption('openai-compatible');
  await page.getByLabel('Base URL', { exact: true }).fill(stub.url);
  await page.getByLabel('Model', { exact: true }).fill('stub-model');
  await page.getByLabel('API key', { exact: true }).fill(KEY);
  await page.getByLabel('Jobs at once', { exact: true }).fill('2');
  await expect(page.getByText('Unsaved changes')).toBeVisible();

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Recipes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Recipes' })).toBeVisible();
  const storages = await page.evaluate(() => JSON.stringify([{ ...sessionStorage }, { ...localStorage }]));
  expect(storages).not.toContain(KEY);
  expect(storages).not.toContain('stub-model');
  await nav.getByRole('link', { name: 'Settings' }).click();

  await expect(page.getByRole('button', { name: 'Save settings' })).toBeEnabled();
  await expect(page.getByLabel('Provider', { exact: true })).toHaveValue('openai-compatible');
  await expect(page.getByLabel('Base URL', { exact: true })).toHaveValue(stub.url);
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('stub-model');
  await expect(page.getByLabel('API key', { exact: true })).toHaveValue(KEY);
  await expect(page.getByLabel('Jobs at once', { exact: true })).toHaveValue('2');
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  expect(await stored(page, 'ai')).toBeUndefined();
  expect(await stored(page, 'limits')).toBeUndefined();

  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByLabel('Provider', { exact: true })).toHaveValue('local');
  await expect(page.getByLabel('Provider', { exact: true })).toBeFocused();
  await expect(page.getByLabel('Jobs at once', { exact: true })).toHaveValue('');
  await expect(page.getByText('Unsaved changes')).toHaveCount(0);
  await nav.getByRole('link', { name: 'Recipes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Recipes' })).toBeVisible();
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeEnabled();
  await expect(page.getByLabel('Provider', { exact: true })).toHaveValue('local');
  await expect(page.getByLabel('Jobs at once', { exact: true })).toHaveValue('');
});

/** The types of the dialogs the page opens, each dismissed (a `beforeunload` one keeps the page). */
function dismissedDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss();
  });
  return dialogs;
}

test('closing the tab with unsaved edits asks first; once they are saved it closes without asking', async ({
  page,
}) => {
  const dialogs = dismissedDialogs(page);
  await openSettings(page);
  await page.getByLabel('Requests per minute', { exact: true }).fill('30');
  await expect(page.getByText('Unsaved changes')).toBeVisible();

  await page.close({ runBeforeUnload: true });
  await expect.poll(() => dialogs).toEqual(['beforeunload']);
  expect(page.isClosed()).toBe(false);
  await expect(page.getByLabel('Requests per minute', { exact: true })).toHaveValue('30');

  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await expect(page.getByText('Unsaved changes')).toHaveCount(0);
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
  expect(dialogs).toEqual(['beforeunload']);
});

test('edits kept while another page of the app is open still ask before the tab closes', async ({ page }) => {
  const dialogs = dismissedDialogs(page);
  await openSettings(page);
  await page.getByLabel('Jobs at once', { exact: true }).fill('4');
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();

  await page.close({ runBeforeUnload: true });
  await expect.poll(() => dialogs).toEqual(['beforeunload']);
  expect(page.isClosed()).toBe(false);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByLabel('Jobs at once', { exact: true })).toHaveValue('4');
});

test('settings saved in another tab show here at once, and a save here keeps them', async ({ page, context }) => {
  await openSettings(page);
  const other = await context.newPage();
  await openSettings(other);
  await page.getByLabel('Requests per minute', { exact: true }).fill('20');

  await other.getByLabel('Jobs at once', { exact: true }).fill('5');
  await other.getByRole('button', { name: 'Save settings' }).click();
  await expect(other.getByText('Settings saved')).toBeVisible();

  // The field not edited here follows; the one edited here keeps its edit.
  await expect(page.getByLabel('Jobs at once', { exact: true })).toHaveValue('5');
  await expect(page.getByLabel('Requests per minute', { exact: true })).toHaveValue('20');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  expect(await stored(page, 'limits')).toEqual({ aiRequestsPerMinute: 20, concurrency: 5 });
  await expect(other.getByLabel('Requests per minute', { exact: true })).toHaveValue('20');
});

test('a key with a character no request can carry is marked at once and nothing is saved', async ({ page }) => {
  await openSettings(page);
  await page.getByLabel('Provider', { exact: true }).selectOption('openai-compatible');
  await page.getByLabel('Base URL', { exact: true }).fill(stub.url);
  await page.getByLabel('Model', { exact: true }).fill('stub-model');
  const key = page.getByLabel('API key', { exact: true });
  // A curly quote, as a word processor or a chat app turns a straight one.
  await key.fill(`${KEY.slice(0, 10)}”${KEY.slice(10)}`);
  await expect(key).toHaveAttribute('aria-invalid', 'true');
  await expect(key).toHaveAccessibleDescription(/This key has “”” \(U\+201D\), which no API key has/);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Nothing was saved')).toBeVisible();
  expect(await stored(page, 'ai')).toBeUndefined();

  await key.fill(KEY);
  await expect(key).toHaveAttribute('aria-invalid', 'false');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('A key is saved (…wxyz)')).toBeVisible();
  expect(await stored(page, 'ai')).toMatchObject({ apiKey: KEY });
});

test('"Settings saved" goes once a field is edited again, where "Unsaved changes" takes its place', async ({
  page,
}) => {
  await openSettings(page);
  // The live region is there before its first word, so that the word is heard.
  const outcome = page.getByRole('form', { name: 'Settings' }).getByRole('status');
  await expect(outcome).toHaveText('');
  await page.getByLabel('Jobs at once', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(outcome).toHaveText('Settings saved');

  await page.getByLabel('Jobs at once', { exact: true }).fill('3');
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  await expect(outcome).toHaveText('');
  await expect(page.getByText('Settings saved')).toHaveCount(0);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 700 }, hasTouch: true, isMobile: true });

  test('a refused save takes the focus to the first field marked, shown with its label below the header', async ({
    page,
  }) => {
    await openSettings(page);
    await page.getByLabel('Provider', { exact: true }).selectOption('openai-compatible');
    await page.getByLabel('Base URL', { exact: true }).fill('ftp://127.0.0.1/v1');
    await page.getByLabel('Model', { exact: true }).fill('stub-model');
    await page.getByLabel('Jobs at once', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Save settings' }).tap();
    await expect(page.getByText('Nothing was saved')).toBeVisible();

    const url = page.getByLabel('Base URL', { exact: true });
    await expect(url).toBeFocused();
    const header = await page.locator('.app-top').boundingBox();
    const label = await page.locator('label[for="base-url"]').boundingBox();
    const field = await url.boundingBox();
    expect(header && label && field).toBeTruthy();
    if (!header || !label || !field) return;
    expect(label.y).toBeGreaterThanOrEqual(header.y + header.height);
    expect(field.y + field.height).toBeLessThanOrEqual(700);
    expect(await stored(page, 'ai')).toBeUndefined();
    expect(await stored(page, 'limits')).toBeUndefined();
  });
});
