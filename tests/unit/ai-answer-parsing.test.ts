import { describe, expect, it } from 'vitest';
import { buildBatchPrompt, promptForItem, PROMPT_VERSIONS, type AiRequest } from '../../src/worker/ai';
import { extractJsonObject, readBatchAnswer } from '../../src/worker/ai/read-batch-answer';
import { readOutput } from '../../src/worker/ai/read-output';

const req = (id: string): AiRequest => ({
  id,
  task: 'recipe_parsing',
  input: { text: 'x' },
  promptVersion: PROMPT_VERSIONS.recipe_parsing,
});
const good = (id: string | number) => ({ id, title: 'Soup', servings: 2, ingredients: [], steps: ['Cook.'] });

describe('reading a batched answer', () => {
  it('takes a bare object, a fenced one, or one inside a sentence', () => {
    const json = JSON.stringify({ items: [good('a')] });
    const thinking = `<think>The user wants {items}. Let me see.</think>\n${json}`;
    for (const content of [json, '```json\n' + json + '\n```', `Here you go: ${json} Enjoy!`, thinking]) {
      expect(readBatchAnswer([req('a')], content)[0]?.ok).toBe(true);
    }
  });

  it('pairs by id whatever the order, and accepts numeric ids', () => {
    const content = JSON.stringify({ items: [good(2), good('1')] });
    const items = readBatchAnswer([req('1'), req('2')], content);
    expect(items.map((i) => [i.id, i.ok])).toEqual([
      ['1', true],
      ['2', true],
    ]);
  });

  it('fails a missing or malformed item alone, retryably, and keeps its raw text', () => {
    const content = JSON.stringify({ items: [good('a'), { id: 'b', title: 3 }] });
    const [a, b, c] = readBatchAnswer([req('a'), req('b'), req('c')], content);
    expect(a?.ok).toBe(true);
    expect(b).toMatchObject({
      ok: false,
      error: { retryable: true, code: 'handler-error' },
      raw: '{"id":"b","title":3}',
    });
    expect(c).toMatchObject({ ok: false, error: { retryable: true } });
  });

  it("fails every item when there is no items list, keeping the reply as each one's raw answer", () => {
    expect(readBatchAnswer([req('a'), req('b')], '{"answer": 1}').every((i) => !i.ok && i.error.retryable)).toBe(true);
    const prose = readBatchAnswer([req('a')], 'not json at all');
    expect(prose.every((i) => !i.ok)).toBe(true);
    expect(prose[0]).toMatchObject({ ok: false, raw: 'not json at all' });
  });

  it("keeps of a meal answer only the user's recipes its preferences allow, and refuses one with none of them", () => {
    const meals: AiRequest[] = [
      {
        id: 'm',
        task: 'meal_suggestion',
        input: {
          recipes: [
            { title: 'Egg Fried Rice', ingredients: ['rice', 'eggs', 'peas'] },
            { title: 'Tomato Soup', ingredients: ['tomatoes'] },
            { title: 'Big Stew', ingredients: ['beef', 'carrot', 'onion'] },
          ],
          preferences: { avoid: ['egg'], prefer: [], maxIngredients: 2 },
        },
        promptVersion: PROMPT_VERSIONS.meal_suggestion,
      },
    ];
    const answer = (suggestions: unknown[]) => JSON.stringify({ items: [{ id: 'm', suggestions }] });
    const [kept] = readBatchAnswer(
      meals,
      answer([
        { title: 'Invented Lasagna', score: 9, reasons: ['made up'] },
        { title: 'egg fried rice', score: 8, reasons: ['breaks avoid'] },
        { title: 'Big Stew', score: 7, reasons: ['too many ingredients'] },
        { title: 'tomato soup ', score: 6, reasons: ['fits'] },
        { title: 'Tomato Soup', score: 5, reasons: ['again'] },
      ]),
    );
    expect(kept).toMatchObject({
      ok: true,
      output: { suggestions: [{ title: 'Tomato Soup', score: 6, reasons: ['fits'] }] },
    });
    const [refused] = readBatchAnswer(meals, answer([{ title: 'Invented Lasagna', score: 9, reasons: [] }]));
    expect(refused).toMatchObject({ ok: false, error: { retryable: true } });
    expect(refused?.ok === false && refused.error.message).toMatch(
      /none of the suggested meals is one of your recipes/,
    );
  });

  it('keeps a suggested recipe of a long list, past the first fifty that rules alone would rank', () => {
    const recipes = [
      ...Array.from({ length: 52 }, (_, i) => ({ title: `Light ${i}`, ingredients: ['a', 'b'] })),
      { title: 'Heavy 1', ingredients: Array.from({ length: 12 }, (_, i) => `x${i}`) },
    ];
    const request: AiRequest = {
      id: 'm',
      task: 'meal_suggestion',
      input: { recipes, preferences: { avoid: [], prefer: [] } },
      promptVersion: PROMPT_VERSIONS.meal_suggestion,
    };
    const [kept] = readBatchAnswer(
      [request],
      JSON.stringify({ items: [{ id: 'm', suggestions: [{ title: 'Heavy 1', score: 1, reasons: [] }] }] }),
    );
    expect(kept).toMatchObject({ ok: true, output: { suggestions: [{ title: 'Heavy 1' }] } });
  });

  it('drops __proto__ keys', () => {
    const parsed = extractJsonObject('{"__proto__": {"polluted": true}, "items": []}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['items']);
  });
});

describe('checking an item against its task shape', () => {
  it('says a negative quantity is negative, not that it is not a number', () => {
    const check = readOutput('recipe_parsing', {
      title: 'Soup',
      ingredients: [{ name: 'salt', quantity: -1 }],
      steps: ['Cook.'],
    });
    expect(check).toEqual({ ok: false, message: 'ingredients[0].quantity is negative (-1)' });
  });

  it('normalises quantities written as text', () => {
    const check = readOutput('recipe_parsing', {
      title: ' Soup ',
      servings: '4',
      ingredients: [
        { quantity: '1 1/2', unit: 'cup', name: 'water' },
        { quantity: '½', unit: '', name: 'onion', raw: '½ onion' },
      ],
      steps: ['Boil.'],
    });
    expect(check).toEqual({
      ok: true,
      output: {
        title: 'Soup',
        servings: 4,
        ingredients: [
          { quantity: 1.5, quantity2: null, unit: 'cup', name: 'water', raw: 'water' },
          { quantity: 0.5, quantity2: null, unit: null, name: 'onion', raw: '½ onion' },
        ],
        steps: ['Boil.'],
      },
    });
  });

  it('refuses wrong shapes with a path to the problem', () => {
    expect(
      readOutput('recipe_parsing', { title: 'x', ingredients: [{ quantity: 'lots', name: 'y' }], steps: [] }),
    ).toEqual({
      ok: false,
      message: 'ingredients[0].quantity is not a number',
    });
    expect(readOutput('meal_suggestion', { suggestions: [{ title: '' }] })).toMatchObject({ ok: false });
  });

  it('accepts a single reason and a missing score for suggestions', () => {
    const check = readOutput('meal_suggestion', {
      suggestions: [
        { title: 'A', reason: 'quick' },
        { title: 'B', reasons: [] },
      ],
    });
    expect(check).toEqual({
      ok: true,
      output: {
        suggestions: [
          { title: 'A', score: 2, reasons: ['quick'] },
          { title: 'B', score: 1, reasons: [] },
        ],
      },
    });
  });
});

describe('prompts', () => {
  it('list every item with its id and task, and describe only the tasks present', () => {
    const { messages, text } = buildBatchPrompt([req('a'), req('b')]);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[1]?.content).toContain('{"id":"a","task":"recipe_parsing","input":{"text":"x"}}');
    expect(text).toContain('recipe_parsing');
    expect(text).not.toContain('meal_suggestion');
  });

  it('give one item its own prompt, the same for the same request', () => {
    expect(promptForItem(req('a'))).toBe(promptForItem(req('a')));
    expect(promptForItem(req('a'))).not.toContain('"id":"b"');
  });
});
