import type { BrowserContext, Page } from '@playwright/test';
import { startStubServer, type StubServer } from '../../scripts/ai-stub-server.mjs';
import { CONSOLE_DB, expect, readStore, test, type StoredJob } from './fixtures';

const RECIPE = `Lemon Drizzle Cake
Serves 8

Ingredients
1 1/2 cups flour
3/4 cup sugar
2 eggs
1 lemon, zested
100 g butter

Method
1. Beat the butter and sugar until pale.
2. Beat in the eggs, then fold in the flour and lemon zest.
3. Bake for 45 minutes and drizzle with lemon syrup.`;

const SECOND_RECIPE = `Peanut Noodles
Serves 2

Ingredients
200 g noodles
3 tablespoons peanut butter
1 tablespoon soy sauce

Method
1. Cook the noodles.
2. Toss with the peanut butter and soy sauce.`;

interface RecipeJob extends StoredJob {
  readonly cacheHit?: boolean;
}

/** Every pill the bar shows from now on, however briefly: a parse on the local provider is quick. */
async function recordPills(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { id: string; label: string; state: string }[] = [];
    const bar = document.querySelector('section[aria-label="Background jobs"]');
    const record = () => {
      for (const pill of bar?.querySelectorAll('[role="progressbar"][data-job-id]') ?? []) {
        const id = pill.getAttribute('data-job-id') ?? '';
        const state = pill.getAttribute('data-state') ?? '';
        if (!seen.some((entry) => entry.id === id && entry.state === state))
          seen.push({ id, label: pill.getAttribute('aria-label') ?? '', state });
      }
    };
    if (bar) new MutationObserver(record).observe(bar, { subtree: true, childList: true, attributes: true });
    (window as unknown as { seenPills: typeof seen }).seenPills = seen;
  });
}

function seenPills(page: Page): Promise<{ id: string; label: string; state: string }[]> {
  return page.evaluate(
    () => (window as unknown as { seenPills: { id: string; label: string; state: string }[] }).seenPills,
  );
}

async function recipeJobs(page: Page): Promise<RecipeJob[]> {
  return (await readStore<RecipeJob>(page, CONSOLE_DB, 'jobs')).filter((job) => job.type === 'recipe_parsing');
}

async function parse(page: Page, text: string): Promise<void> {
  await page.getByLabel('Recipe text').fill(text);
  await page.getByRole('button', { name: 'Parse recipe' }).click();
}

/** The stub sends no CORS headers: forward the worker's calls and add the ones a browser-facing provider sends. */
async function allowCrossOrigin(context: BrowserContext, stub: StubServer): Promise<void> {
  await context.route(`${stub.url}/**`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': '*' } });
  });
}

async function openRecipes(page: Page): Promise<void> {
  await page.goto('/#/recipes');
  await expect(page.getByRole('heading', { level: 1, name: 'Recipes' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Background jobs' })).toBeAttached();
}

test('a pasted recipe is parsed on the device, and the same text again is answered from the store at once', async ({
  page,
}) => {
  await openRecipes(page);
  await recordPills(page);
  await parse(page, RECIPE);

  const result = page.getByRole('region', { name: 'Recipe', exact: true });
  await expect(result).toHaveAttribute('data-state', 'completed');
  const [first] = await recipeJobs(page);
  expect(first).toMatchObject({ status: 'completed' });
  expect(first?.cacheHit).not.toBe(true);
  expect(first?.history.map((entry) => entry.status)).toContain('running');

  const recipe = result.getByRole('article', { name: 'Parsed recipe' });
  await expect(recipe.getByRole('heading', { name: 'Lemon Drizzle Cake' })).toBeVisible();
  await expect(recipe).toContainText('Serves 8');
  const flour = recipe.getByRole('table', { name: 'Ingredients' }).getByRole('row').filter({ hasText: 'flour' });
  await expect(flour.getByRole('cell')).toHaveText(['1½', 'cups', 'flour']);
  await expect(recipe.getByRole('listitem')).toHaveCount(3);
  await expect(recipe.getByRole('listitem').first()).toHaveText('Beat the butter and sugar until pale.');
  await expect(result.getByText('Answered from saved results')).toHaveCount(0);

  await parse(page, RECIPE);
  await expect(result.getByText('Answered from saved results')).toBeVisible();
  await expect(flour.getByRole('cell')).toHaveText(['1½', 'cups', 'flour']);
  const again = (await recipeJobs(page)).find((job) => job.id !== first?.id);
  expect(again).toMatchObject({ status: 'completed', cacheHit: true });
  expect(again?.history.map((entry) => entry.status)).not.toContain('running');
  expect((await seenPills(page)).map((pill) => pill.id)).not.toContain(again?.id);

  const list = page.getByRole('region', { name: /Your recipes/ });
  await expect(list.getByRole('button')).toHaveCount(1);
  await expect(list.getByRole('button', { name: /Lemon Drizzle Cake/ })).toHaveAttribute('aria-current', 'true');

  // The job's page says when the answer came, in the dates of the rest of the Console.
  await result.getByRole('link', { name: 'Job details' }).click();
  await expect(page.getByText(/ · answered [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2}/)).toBeVisible();
});

test.describe('with a provider that takes a while', () => {
  let stub: StubServer;
  test.beforeAll(async () => {
    stub = await startStubServer({ port: 0 });
  });
  test.afterAll(async () => {
    await stub.close();
  });

  /** Sets the stub as the provider, in Settings. */
  async function useStub(page: Page): Promise<void> {
    await page.goto('/#/settings');
    await page.getByLabel('Provider', { exact: true }).selectOption('openai-compatible');
    await page.getByLabel('Base URL', { exact: true }).fill(stub.url);
    await page.getByLabel('Model', { exact: true }).fill('stub-model');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved')).toBeVisible();
  }

  test('the pill shows while the recipe is parsed, and the same recipe again makes no provider call', async ({
    page,
    context,
  }) => {
    await allowCrossOrigin(context, stub);
    await useStub(page);
    stub.control.setLatency(2_500);

    await page.getByRole('link', { name: 'Recipes' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Recipes' })).toBeVisible();
    await recordPills(page);
    await parse(page, RECIPE);
    const pill = page
      .getByRole('region', { name: 'Background jobs' })
      .getByRole('progressbar', { name: 'Parse “Lemon Drizzle Cake”' });
    await expect(pill).toBeVisible();
    await expect(pill).toHaveAttribute('data-state', 'running');
    const result = page.getByRole('region', { name: 'Recipe', exact: true });
    await expect(result).toHaveAttribute('data-state', 'running');

    const flour = result.getByRole('table', { name: 'Ingredients' }).getByRole('row').filter({ hasText: 'flour' });
    await expect(flour.getByRole('cell')).toHaveText(['1½', 'cups', 'flour']);
    await expect(pill).toHaveCount(0);
    expect(stub.control.stats().chatRequests).toBe(1);

    await parse(page, RECIPE);
    await expect(result.getByText('Answered from saved results')).toBeVisible();
    await expect(flour.getByRole('cell')).toHaveText(['1½', 'cups', 'flour']);
    const again = (await recipeJobs(page)).find((job) => job.cacheHit === true);
    expect(again).toMatchObject({ status: 'completed' });
    expect((await seenPills(page)).map((seen) => seen.id)).not.toContain(again?.id);
    expect(stub.control.stats().chatRequests).toBe(1);

    // Asked again: the provider is called once more, and the new answer is not the saved one.
    stub.control.setLatency(0);
    await result.getByRole('button', { name: 'Ask again' }).click();
    await expect.poll(() => stub.control.stats().chatRequests).toBe(2);
    await expect(result).toHaveAttribute('data-state', 'completed');
    await expect(result.getByText('Answered from saved results')).toHaveCount(0);
    await expect(flour.getByRole('cell')).toHaveText(['1½', 'cups', 'flour']);
    const fresh = (await recipeJobs(page)).filter((job) => (job as { fresh?: boolean }).fresh === true);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({ status: 'completed' });
  });

  test('a request the provider failed says why while it waits to be tried again', async ({ page, context }) => {
    await allowCrossOrigin(context, stub);
    await useStub(page);
    await page.getByRole('link', { name: 'Recipes' }).click();

    // Three failures: the third wait (2–4 s, after 0.5–1 s and 1–2 s) is long enough to be seen on any machine.
    stub.control.failNext(3, { status: 500, message: 'boom' });
    await parse(page, SECOND_RECIPE);
    const result = page.getByRole('region', { name: 'Recipe', exact: true });
    await expect(result.getByText(/^Retrying in \d+ s$/)).toBeVisible();
    await expect(result.getByText(/^The last try failed: .*boom/)).toBeVisible();
    await expect(result).toHaveAttribute('data-state', 'completed');
    await expect(result.getByText(/The last try failed/)).toHaveCount(0);
  });

  test('the page names the provider set, and a request it refused is offered again as a new call', async ({
    page,
    context,
  }) => {
    await allowCrossOrigin(context, stub);
    await openRecipes(page);
    await expect(page.getByText('The local provider works offline; choose another in Settings.')).toBeVisible();
    await useStub(page);
    await page.getByRole('link', { name: 'Recipes' }).click();
    await expect(page.getByText('Answers come from the AI provider set in Settings.')).toBeVisible();
    await expect(page.getByText(/The local provider works offline/)).toHaveCount(0);

    const before = stub.control.stats().chatRequests;
    stub.control.failNext(1, { status: 400, message: 'bad request' });
    await parse(page, SECOND_RECIPE);
    const result = page.getByRole('region', { name: 'Recipe', exact: true });
    await expect(result).toHaveAttribute('data-state', 'failed');
    // Nothing was saved for it: Ask again is a new call, not a replacement of an answer.
    await expect(result.getByText('Sends the same text to the provider once more.')).toBeVisible();
    await expect(result.getByText(/replaces the saved one/)).toHaveCount(0);
    await result.getByRole('button', { name: 'Ask again' }).click();
    await expect(result).toHaveAttribute('data-state', 'completed');
    expect(stub.control.stats().chatRequests).toBe(before + 2);
    await expect(result.getByText('A new answer from the provider replaces the saved one.')).toBeVisible();
  });
});

test('meal suggestions rank the stored recipes by the preferences and leave out what to avoid', async ({ page }) => {
  await openRecipes(page);
  await parse(page, RECIPE);
  const result = page.getByRole('region', { name: 'Recipe', exact: true });
  await expect(result.getByRole('heading', { name: 'Lemon Drizzle Cake' })).toBeVisible();
  // Busy, the button stayed focusable (aria-disabled): it keeps the focus its press gave it.
  await expect(page.getByRole('button', { name: 'Parse recipe' })).toBeFocused();
  await parse(page, SECOND_RECIPE);
  await expect(result.getByRole('heading', { name: 'Peanut Noodles' })).toBeVisible();

  const list = page.getByRole('region', { name: /Your recipes/ });
  await expect(list.getByRole('button')).toHaveCount(2);
  await list.getByRole('button', { name: /Lemon Drizzle Cake/ }).click();
  await expect(result.getByRole('heading', { name: 'Lemon Drizzle Cake' })).toBeVisible();

  const panel = page.getByRole('form', { name: 'Suggest meals' });
  await panel.getByLabel('Max ingredients').fill('0');
  await expect(panel.getByText('Enter a whole number of at least 1')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Suggest meals' })).toBeDisabled();
  await panel.getByLabel('Max ingredients').fill('');
  await panel.getByLabel('Avoid').fill('peanut');
  await panel.getByLabel('Prefer').fill('lemon, eggs');
  await panel.getByRole('button', { name: 'Suggest meals' }).click();

  const suggestions = page.getByRole('list', { name: 'Suggested meals' });
  await expect(suggestions).toBeVisible();
  await expect(suggestions).toContainText('Lemon Drizzle Cake');
  await expect(suggestions).not.toContainText('Peanut Noodles');
  await expect(panel.getByRole('button', { name: 'Suggest meals' })).toBeFocused();
});

test('on a 320 px phone a parsed recipe shows every ingredient whole, without scrolling sideways', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await openRecipes(page);
  await parse(page, SECOND_RECIPE);
  const ingredients = page
    .getByRole('region', { name: 'Recipe', exact: true })
    .getByRole('table', { name: 'Ingredients' });
  await expect(ingredients.getByRole('row').filter({ hasText: 'peanut butter' }).getByRole('cell')).toHaveText([
    '3',
    'tablespoons',
    'peanut butter',
  ]);
  await expect(ingredients.getByRole('columnheader')).toHaveText(['Quantity', 'Unit', 'Ingredient']);
  expect(
    await page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth),
  ).toBe(0);
  expect(
    await ingredients.evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth),
  ).toBe(0);
});

test('a refused request says why in words, with its message, and keeps its code on the notice', async ({ page }) => {
  await openRecipes(page);
  await page.getByLabel('Recipe text').evaluate((area) => area.removeAttribute('maxlength'));
  await parse(page, 'y'.repeat(50_001));
  const alert = page.getByRole('form', { name: 'Parse a recipe' }).getByRole('alert');
  await expect(alert).toContainText('Its input was refused:');
  await expect(alert).toContainText('at most 50000 characters');
  await expect(alert).toHaveAttribute('data-code', 'invalid-payload');
});

test('the local provider parses and suggests with the network off', async ({ page, context }) => {
  await openRecipes(page);
  await context.setOffline(true);
  await parse(page, SECOND_RECIPE);
  const result = page.getByRole('region', { name: 'Recipe', exact: true });
  await expect(result).toHaveAttribute('data-state', 'completed');
  await expect(result.getByRole('heading', { name: 'Peanut Noodles' })).toBeVisible();
  await page.getByRole('form', { name: 'Suggest meals' }).getByRole('button', { name: 'Suggest meals' }).click();
  await expect(page.getByRole('list', { name: 'Suggested meals' })).toContainText('Peanut Noodles');
  await context.setOffline(false);
});

test('the recipe text being typed survives a reload of the tab', async ({ page }) => {
  await page.goto('/#/recipes');
  const box = page.getByLabel('Recipe text');
  await box.fill('Tomato soup\n\n4 tomatoes\n1 onion\n\nSimmer.');
  await page.reload();
  await expect(page.getByLabel('Recipe text')).toHaveValue('Tomato soup\n\n4 tomatoes\n1 onion\n\nSimmer.');
  await page.getByLabel('Recipe text').fill('');
  await page.reload();
  await expect(page.getByLabel('Recipe text')).toHaveValue('');
});

test('a text the local provider cannot read offers no "Ask again", but says what to change, with a link to Settings', async ({
  page,
}) => {
  await openRecipes(page);
  await parse(page, 'Remember to buy milk');
  const result = page.getByRole('region', { name: 'Recipe', exact: true });
  await expect(result).toHaveAttribute('data-state', 'failed');
  await expect(result.getByRole('alert')).toContainText('No ingredients or steps were found in the text');
  await expect(result).toContainText('The local provider reads a recipe by fixed rules');
  await expect(result).toContainText('Edit the text and parse it again');
  await expect(result.getByRole('button', { name: 'Ask again' })).toHaveCount(0);
  const [failed] = await recipeJobs(page);
  expect(failed).toMatchObject({ status: 'failed', error: { code: 'permanent', retryable: false } });

  await result.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});

test('"Paste an example" over typed text keeps that text for Undo, which brings it back and focuses it', async ({
  page,
}) => {
  await openRecipes(page);
  const box = page.getByLabel('Recipe text');
  const form = page.getByRole('form', { name: 'Parse a recipe' });
  await form.getByRole('button', { name: 'Paste an example' }).click();
  await expect(box).toHaveValue(/^Buttermilk Pancakes/);
  await expect(form.getByRole('button', { name: 'Undo' })).toHaveCount(0);

  const mine = 'Grandma’s soup\n\n4 carrots\n1 onion\n\nSimmer for an hour.';
  await box.fill(mine);
  await form.getByRole('button', { name: 'Paste an example' }).click();
  await expect(box).toHaveValue(/^Buttermilk Pancakes/);
  await expect(form.getByRole('status')).toHaveText('The example replaced your text.');
  // The offer outlasts a visit to another page and a reload of the tab, as the text in the box does.
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
  await page.goBack();
  await expect(box).toHaveValue(/^Buttermilk Pancakes/);
  await expect(form.getByRole('button', { name: 'Undo' })).toBeVisible();
  await page.reload();
  await expect(box).toHaveValue(/^Buttermilk Pancakes/);
  await form.getByRole('button', { name: 'Undo' }).click();
  await expect(box).toHaveValue(mine);
  await expect(box).toBeFocused();
  await expect(form.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  await expect(form.getByRole('status')).toHaveCount(0);

  // Edits to the pasted example end the offer: Undo would drop them.
  await form.getByRole('button', { name: 'Paste an example' }).click();
  await expect(form.getByRole('button', { name: 'Undo' })).toBeVisible();
  await box.press('ControlOrMeta+End');
  await box.pressSequentially(' Serve warm.');
  await expect(form.getByRole('button', { name: 'Undo' })).toHaveCount(0);
});
