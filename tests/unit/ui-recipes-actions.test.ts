import { describe, expect, it } from 'vitest';
import type { ErrandClient, JobRecord } from '../../src/client';
import { offersAskAgain } from '../../src/ui/routes/offers-ask-again';
import { SAMPLE_RECIPE } from '../../src/ui/routes/recipe-draft';
import { RecipesState } from '../../src/ui/routes/recipes.svelte';

const permanent = { name: 'PermanentJobError', code: 'permanent', message: 'No ingredients', retryable: false };
const timeout = { name: 'TimeoutError', code: 'timeout', message: 'Timed out', retryable: true };

describe('offersAskAgain', () => {
  it('offers nothing after a refusal of the local provider, which would refuse the same text again', () => {
    expect(offersAskAgain({ status: 'failed', error: permanent }, 'local')).toBe(false);
  });

  it('offers to ask again after a failure that may pass, whichever the provider', () => {
    expect(offersAskAgain({ status: 'failed', error: timeout }, 'local')).toBe(true);
    expect(offersAskAgain({ status: 'failed', error: timeout }, 'openai-compatible')).toBe(true);
  });

  it('offers to ask a model again, whose answer or refusal may differ', () => {
    expect(offersAskAgain({ status: 'failed', error: permanent }, 'openai-compatible')).toBe(true);
    expect(offersAskAgain({ status: 'completed' }, 'openai-compatible')).toBe(true);
  });

  it('offers nothing for an answer of the local provider, which would be the same again', () => {
    expect(offersAskAgain({ status: 'completed' }, 'local')).toBe(false);
  });

  it('waits for the provider to be known, and keeps the offer when it cannot be', () => {
    expect(offersAskAgain({ status: 'failed', error: permanent }, undefined)).toBe(false);
    expect(offersAskAgain({ status: 'failed', error: permanent }, 'unknown')).toBe(true);
  });

  it('offers nothing while the job is under way', () => {
    expect(offersAskAgain({ status: 'running' }, 'openai-compatible')).toBe(false);
  });
});

function failedParse(): JobRecord {
  return {
    id: 'j1',
    type: 'recipe_parsing',
    label: 'Parse “hello”',
    status: 'failed',
    priority: 'high',
    rank: 1,
    payload: { text: 'hello' },
    error: permanent,
    progress: 0,
    completedSteps: 0,
    attempts: 1,
    maxAttempts: 5,
    runAt: 1,
    createdAt: 1,
    updatedAt: 1,
    history: [],
  };
}

/** A client that stores nothing and answers the `ai` setting with `ai`. */
function client(ai: Promise<unknown>): ErrandClient {
  const job = failedParse();
  return {
    watch: () => ({ subscribe: () => () => undefined }),
    watchJob: () => ({ subscribe: () => () => undefined }),
    list: (query: { type: string }) => Promise.resolve(query.type === 'recipe_parsing' ? [job] : []),
    getSetting: () => ai,
  } as unknown as ErrandClient;
}

async function settle(until: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !until(); turn++) await Promise.resolve();
  expect(until()).toBe(true);
}

describe('RecipesState and the provider', () => {
  it('reads the provider a new request would go to, and offers no "Ask again" for a local refusal', async () => {
    const recipes = new RecipesState(client(Promise.resolve({ provider: 'local' })));
    const stop = recipes.connect();
    await settle(() => recipes.provider !== undefined && recipes.recipeJob.job !== undefined);
    expect(recipes.provider).toBe('local');
    expect(recipes.offersAskAgain('recipe')).toBe(false);
    stop();
  });

  it('offers "Ask again" for the same failure once a model answers', async () => {
    const recipes = new RecipesState(client(Promise.resolve({ provider: 'openai-compatible', hasApiKey: true })));
    const stop = recipes.connect();
    await settle(() => recipes.provider !== undefined && recipes.recipeJob.job !== undefined);
    expect(recipes.offersAskAgain('recipe')).toBe(true);
    stop();
  });

  it('keeps "Ask again" when the setting cannot be read', async () => {
    const recipes = new RecipesState(client(Promise.reject(new Error('store closed'))));
    const stop = recipes.connect();
    await settle(() => recipes.provider !== undefined && recipes.recipeJob.job !== undefined);
    expect(recipes.provider).toBe('unknown');
    expect(recipes.offersAskAgain('recipe')).toBe(true);
    stop();
  });
});

describe('pasting the example', () => {
  const page = () => new RecipesState({} as ErrandClient);

  it('keeps the text it replaces, and Undo brings that text back', () => {
    const recipes = page();
    recipes.text = 'Grandma’s soup\n4 carrots';
    recipes.useSample();
    expect(recipes.text).toBe(SAMPLE_RECIPE);
    expect(recipes.canUndoSample).toBe(true);
    recipes.undoSample();
    expect(recipes.text).toBe('Grandma’s soup\n4 carrots');
    expect(recipes.canUndoSample).toBe(false);
  });

  it('offers no Undo when the box was empty or already held the example', () => {
    const recipes = page();
    recipes.text = '  \n';
    recipes.useSample();
    expect(recipes.text).toBe(SAMPLE_RECIPE);
    expect(recipes.canUndoSample).toBe(false);
    recipes.useSample();
    expect(recipes.canUndoSample).toBe(false);
  });

  it('pasting twice keeps the person’s text, not the example, for Undo', () => {
    const recipes = page();
    recipes.text = 'My stew';
    recipes.useSample();
    recipes.useSample();
    recipes.undoSample();
    expect(recipes.text).toBe('My stew');
  });

  it('ends the offer once the example is edited, so Undo cannot drop those edits', () => {
    const recipes = page();
    recipes.text = 'My stew';
    recipes.useSample();
    recipes.text = `${SAMPLE_RECIPE}\n4. Serve warm.`;
    expect(recipes.canUndoSample).toBe(false);
    recipes.undoSample();
    expect(recipes.text).toBe(`${SAMPLE_RECIPE}\n4. Serve warm.`);
  });
});
