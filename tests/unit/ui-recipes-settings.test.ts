import { describe, expect, it, vi } from 'vitest';
import type { JobRecord } from '../../src/shared';
import { recipeEntries } from '../../src/ui/routes/recipe-views';
import { baseUrlProblem } from '../../src/shared';

// The router module starts the app's router (runes, `window`) when it loads; not used here.
vi.mock('../../src/ui/lib/router.svelte', () => ({
  jobHref: (id: string) => `#/jobs/${id}`,
  jobsHref: () => '#/jobs',
}));

function parsed(
  id: string,
  title: string,
  ingredients: string[],
  at: number,
  text = `${title}\n${ingredients.join('\n')}`,
): JobRecord {
  return {
    id,
    type: 'recipe_parsing',
    label: title,
    status: 'completed',
    priority: 'high',
    rank: at,
    payload: { text },
    result: {
      title,
      servings: null,
      ingredients: ingredients.map((raw) => ({ quantity: null, quantity2: null, unit: null, name: raw, raw })),
      steps: ['Cook.'],
    },
    progress: 1,
    completedSteps: 0,
    attempts: 1,
    maxAttempts: 5,
    runAt: at,
    createdAt: at,
    updatedAt: at,
    completedAt: at,
    history: [],
  };
}

describe('recipeEntries', () => {
  it('lists the same text parsed twice once, and two recipes with one title both, newest first', () => {
    const entries = recipeEntries([
      parsed('c', 'Buttermilk Pancakes', ['flour', 'buttermilk'], 3),
      parsed('b', 'buttermilk pancakes ', ['flour', 'buttermilk', 'eggs', 'sugar', 'salt', 'butter', 'soda'], 2),
      parsed('a', 'Buttermilk Pancakes', ['flour', 'buttermilk'], 1),
    ]);
    expect(entries.map((entry) => [entry.jobId, entry.recipe.ingredients.length])).toEqual([
      ['c', 2],
      ['b', 7],
    ]);
  });

  it('shows the newest answer for a text asked again, not both', () => {
    const text = 'Tomato soup\n4 tomatoes';
    const entries = recipeEntries([
      parsed('new', 'Tomato Soup #2', ['4 tomatoes'], 2, text),
      parsed('old', 'Tomato Soup #1', ['4 tomatoes'], 1, text),
    ]);
    expect(entries.map((entry) => entry.recipe.title)).toEqual(['Tomato Soup #2']);
  });
});

describe('baseUrlProblem', () => {
  it('refuses a URL with a space, which the browser would quietly turn into %20', () => {
    expect(baseUrlProblem('http://exa mple.com/v1')).toBe('A URL cannot contain spaces');
    expect(baseUrlProblem('  https://api.example.com/v1  ')).toBeUndefined();
  });

  it('says which part of a URL is wrong: its port, a part the calls would drop, or an endpoint for a base', () => {
    expect(baseUrlProblem('https://api.example.com:99999/v1')).toBe(
      'This URL is not valid: check its host name and port',
    );
    expect(baseUrlProblem('example.com/v1')).toBe('Enter a full URL starting with http:// or https://');
    expect(baseUrlProblem('https://generativelanguage.googleapis.com/v1beta?key=abc')).toBe(
      'Leave out the part from ? or #: the key goes in the API key field',
    );
    expect(baseUrlProblem('https://api.openai.com/v1/chat/completions')).toMatch(/^Enter the base URL, without/);
    expect(baseUrlProblem('http://localhost:11434/v1/models/')).toMatch(/^Enter the base URL, without/);
    for (const url of [
      'https://api.openai.com/v1',
      'http://localhost:11434/v1',
      'https://example.com/models-proxy/v1',
    ]) {
      expect(baseUrlProblem(url), url).toBeUndefined();
    }
  });
});
