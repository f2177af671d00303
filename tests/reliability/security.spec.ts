import { expect, test, type Page } from '@playwright/test';
import { startRecordedStub, type RecordedStub } from './helpers/ai-stub';
import { callWorkerOk, collectCspConsole, instrumentContext, pageFindings, workerTraffic } from './helpers/errand-page';
import { dumpCaches, dumpDatabase, readJobs } from './helpers/store-state';
import { openConsoleTab } from './helpers/tabs';
import { xssVectors } from './helpers/xss-vectors';

const API_KEY = `sk-reliability-${Math.random().toString(36).slice(2)}-secret`;

let stub: RecordedStub;
test.beforeAll(async () => {
  stub = await startRecordedStub({ apiKey: API_KEY });
});
test.afterAll(async () => {
  await stub.close();
});

async function saveStubSettings(page: Page): Promise<void> {
  await page.goto('/#/settings');
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeEnabled();
  await page.getByLabel('Provider', { exact: true }).selectOption({ label: 'OpenAI-compatible' });
  await page.getByLabel('Base URL', { exact: true }).fill(stub.server.url);
  await page.getByLabel('Model', { exact: true }).fill('stub-model');
  await page.getByLabel('API key', { exact: true }).fill(API_KEY);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
}

async function settle(page: Page, ids: readonly string[]): Promise<void> {
  await expect
    .poll(
      async () =>
        (await readJobs(page)).filter(
          (job) => ids.includes(job.id) && !['completed', 'failed', 'cancelled'].includes(job.status),
        ).length,
      // A liveness bound only: 447 jobs through the AI stub, on a machine that may be busy.
      { timeout: 150_000 },
    )
    .toBe(0);
}

test('the preview server sends the strict policy, and the main flows run with zero CSP violations', async ({
  context,
}) => {
  test.setTimeout(120_000);
  await instrumentContext(context);
  await stub.attach(context);
  const page = await context.newPage();
  const consoleCsp: string[] = [];
  collectCspConsole(page, consoleCsp);

  const response = await page.goto('/');
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("worker-src 'self'");
  expect(policy).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:\* http:\/\/localhost:\*/);
  expect(policy).not.toMatch(/unsafe-inline'[^;]*;?\s*$|script-src[^;]*unsafe|unsafe-eval/);

  await expect(page.getByRole('button', { name: 'Start demo task' })).toBeVisible();
  await page.getByLabel('Steps', { exact: true }).fill('2');
  await page.getByLabel('Step duration (ms)').fill('100');
  await page.getByRole('button', { name: 'Start demo task' }).click();
  await expect(page.getByText(/^Started/)).toBeVisible();

  await page.goto('/#/recipes');
  await page.getByLabel('Recipe text').fill('Plain pancakes\n2 cups flour\n1 cup milk\nDirections\nMix and fry.');
  await page.getByRole('button', { name: 'Parse recipe' }).click();
  await expect(page.getByRole('article', { name: 'Parsed recipe' })).toBeVisible({ timeout: 20_000 });

  await saveStubSettings(page);
  await page.goto('/#/recipes');
  await page.getByLabel('Recipe text').fill('Stub pancakes\n3 cups flour\nDirections\nFry.');
  await page.getByRole('button', { name: 'Parse recipe' }).click();
  // The page may still show the first parse's article, so the provider's own count says when
  // this one went out.
  await expect
    .poll(() => stub.server.control.stats().chatRequests, {
      message: 'the worker reached the loopback provider',
      timeout: 20_000,
    })
    .toBeGreaterThan(0);
  await expect(page.getByRole('article', { name: 'Parsed recipe' })).toBeVisible({ timeout: 20_000 });

  await page.goto('/#/export');
  await page.getByRole('form', { name: 'Export job history' }).getByRole('button').last().click();
  await page.goto('/#/import');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.goto('/#/jobs');
  const jobs = await readJobs(page);
  for (const job of jobs.slice(0, 4)) {
    await page.goto(`/#/jobs/${job.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  await page.reload();
  await expect(page.getByRole('region', { name: 'Background jobs' })).toBeAttached();

  const findings = await pageFindings(page);
  expect(findings.csp, 'securitypolicyviolation events').toEqual([]);
  expect(consoleCsp, 'CSP errors on the console').toEqual([]);
});

test('220 XSS vectors in labels, payloads, errors and AI answers execute nothing; the API key stays in its settings record', async ({
  context,
}) => {
  test.setTimeout(300_000);
  await instrumentContext(context, { recordTraffic: true });
  await stub.attach(context);
  const page = await openConsoleTab(context);
  const consoleText: string[] = [];
  const consoleCsp: string[] = [];
  page.on('console', (message) => consoleText.push(message.text()));
  collectCspConsole(page, consoleCsp);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await saveStubSettings(page);
  const vectors = xssVectors(220);
  // Failures whose messages carry vectors (and one that echoes the key, as some providers do).
  stub.server.control.failNext(1, { status: 400, message: vectors[5] ?? '', echoKey: true });
  for (const vector of vectors.slice(0, 4)) stub.server.control.failNext(1, { status: 400, message: vector });
  const failing = await callWorkerOk<{ id: string }[]>(page, 'enqueueMany', [
    vectors
      .slice(0, 5)
      .map((vector, i) => ({ type: 'recipe_parsing', payload: { text: `Failing ${i} ${vector}\n1 cup x` } })),
  ]);
  await settle(
    page,
    failing.map((job) => job.id),
  );
  const labelled = await callWorkerOk<{ id: string }[]>(page, 'enqueueMany', [
    vectors.map((vector) => ({
      type: 'demo_steps',
      payload: { steps: 1, stepMs: 0, note: vector },
      options: { label: vector },
    })),
  ]);
  const recipes = await callWorkerOk<{ id: string }[]>(page, 'enqueueMany', [
    vectors.map((vector, i) => ({
      type: 'recipe_parsing',
      payload: { text: `${vector}\n${i + 1} cups water\nDirections\n${vector}` },
    })),
  ]);
  const exported = await callWorkerOk<{ id: string }>(page, 'enqueue', [
    { type: 'history_export', payload: { format: 'json', includePayloads: true } },
  ]);
  const exportedCsv = await callWorkerOk<{ id: string }>(page, 'enqueue', [
    { type: 'history_export', payload: { format: 'csv', includePayloads: true } },
  ]);
  const ids = [...labelled, ...recipes, ...failing, exported, exportedCsv].map((job) => job.id);
  await settle(page, ids);

  await page.goto('/#/jobs');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  for (let i = 0; i < 15; i++) await page.mouse.wheel(0, 1_500);
  const sample = [...failing, ...labelled.filter((_, i) => i % 11 === 0), ...recipes.filter((_, i) => i % 11 === 0)];
  for (const job of sample) {
    await page.goto(`/#/jobs/${job.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  await page.goto(`/#/jobs/${labelled[0]?.id ?? ''}`);
  await expect(page.getByText(vectors[0] ?? '').first(), 'the vector is shown as text').toBeVisible();
  await page.goto('/#/recipes');
  await expect(page.getByRole('heading', { level: 1, name: 'Recipes' })).toBeVisible();
  for (let i = 0; i < 15; i++) await page.mouse.wheel(0, 1_500);
  await page.goto('/#/');
  await expect(page.getByRole('button', { name: 'Start demo task' })).toBeVisible();

  const findings = await pageFindings(page);
  expect(findings.xss, 'vectors that ran').toEqual([]);
  expect(dialogs, 'dialogs opened').toEqual([]);
  expect(findings.csp, 'securitypolicyviolation events').toEqual([]);
  expect(consoleCsp, 'CSP errors on the console').toEqual([]);

  const dump = await dumpDatabase(page);
  const settingsRows = JSON.parse(dump['settings'] ?? '[]') as { key: string; value: unknown }[];
  expect(
    JSON.stringify(settingsRows.find((row) => row.key === 'ai')),
    'the key is stored in its settings record',
  ).toContain(API_KEY);
  const leaks = Object.entries(dump).flatMap(([store, text]) => {
    if (store !== 'settings') return text.includes(API_KEY) ? [store] : [];
    return settingsRows
      .filter((row) => row.key !== 'ai' && JSON.stringify(row).includes(API_KEY))
      .map((row) => `settings/${row.key}`);
  });
  expect(leaks, 'stores holding the key outside its settings record').toEqual([]);
  const exportFiles = JSON.parse(dump['files'] ?? '[]') as unknown[];
  expect(exportFiles.length, 'the exports were stored').toBeGreaterThan(0);
  expect(
    (await dumpCaches(page)).filter((entry) => entry.includes(API_KEY)),
    'cache entries holding the key',
  ).toEqual([]);
  expect(
    consoleText.filter((text) => text.includes(API_KEY)),
    'console messages holding the key',
  ).toEqual([]);
  const traffic = await workerTraffic(page);
  expect(traffic.length).toBeGreaterThan(0);
  expect(
    traffic.filter(
      (message) => message.includes(API_KEY) && !(message.startsWith('to worker') && /"putSettings?"/.test(message)),
    ),
    'worker messages holding the key (other than the save that sends it)',
  ).toEqual([]);
  const failed = (await readJobs(page)).filter((job) => failing.some((f) => f.id === job.id));
  console.log(
    `[security] ${vectors.length} vectors in ${ids.length} jobs; failing jobs: ${failed.map((job) => `${job.status}/${job.error?.code ?? ''}`).join(', ')}`,
  );
});
