import { describe, expect, it } from 'vitest';
import {
  createProvider,
  LOCAL_MODEL,
  PROMPT_VERSIONS,
  type AiRequest,
  type MealSuggestionInput,
} from '../../src/worker/ai';
import { parseIngredientLine } from '../../src/worker/ai/parse-ingredient-line';
import { parseRecipeText } from '../../src/worker/ai/parse-recipe';
import { suggestMeals } from '../../src/worker/ai/suggest-meals';

const PANCAKES = `Classic Pancakes
Serves 4
Prep time: 10 min

Ingredients
- 1 1/2 cups all-purpose flour
- 3 ½ tsp baking powder
- 1 tbsp white sugar
- ¼ teaspoon salt
- 1¼ cups milk
- 1 large egg
- 3 tablespoons butter, melted

Directions
1. In a large bowl, sift together the flour, baking powder, salt and sugar.
2. Make a well in the center and pour in the milk, egg and melted butter;
mix until smooth.
3. Heat a lightly oiled griddle over medium-high heat.`;

const SOUP = `# Tomato Soup
Makes 6 servings

## What you'll need
* 2 tbsp olive oil
* 1 onion, chopped
* 2 (28 oz) cans whole tomatoes
* 2-3 cups vegetable broth
* a pinch of sugar
* Salt and pepper to taste

## Method
Step 1
Heat the oil in a pot and cook the onion until soft.
Step 2
Add the tomatoes and broth, simmer 20 minutes, then blend.`;

const GARLIC_BREAD = `Garlic bread
1 baguette
100 g butter, softened
3 cloves garlic, crushed
2 tbsp chopped parsley
Mix the butter, garlic and parsley together in a bowl until well combined.
Slice the baguette, spread with the butter and bake for 10 minutes at 200°C.`;

const CURRY = `Chickpea curry\r
\r
INGREDIENTS:\r
For the curry:\r
• 400 g tin chickpeas, drained\r
• ⅔ cup coconut milk\r
• 1 tsp ground cumin\r
\r
INSTRUCTIONS:\r
- Fry the cumin for a minute.\r
- Add the chickpeas and coconut milk and simmer for 15 minutes.\r
\r
Notes\r
Keeps for 3 days in the fridge.`;

describe('local recipe parsing', () => {
  it('reads sections, mixed numbers, unicode fractions, units and numbered steps', () => {
    const recipe = parseRecipeText(PANCAKES);
    expect(recipe.title).toBe('Classic Pancakes');
    expect(recipe.servings).toBe(4);
    expect(recipe.ingredients.map((i) => [i.quantity, i.unit, i.name])).toEqual([
      [1.5, 'cup', 'all-purpose flour'],
      [3.5, 'teaspoon', 'baking powder'],
      [1, 'tablespoon', 'white sugar'],
      [0.25, 'teaspoon', 'salt'],
      [1.25, 'cup', 'milk'],
      [1, null, 'large egg'],
      [3, 'tablespoon', 'butter, melted'],
    ]);
    expect(recipe.ingredients[0]?.raw).toBe('1 1/2 cups all-purpose flour');
    expect(recipe.steps).toEqual([
      'In a large bowl, sift together the flour, baking powder, salt and sugar.',
      'Make a well in the center and pour in the milk, egg and melted butter; mix until smooth.',
      'Heat a lightly oiled griddle over medium-high heat.',
    ]);
  });

  it('reads Markdown headings, ranges, packages, "a pinch" and step labels', () => {
    const recipe = parseRecipeText(SOUP);
    expect(recipe.title).toBe('Tomato Soup');
    expect(recipe.servings).toBe(6);
    expect(recipe.ingredients.map((i) => [i.quantity, i.quantity2, i.unit, i.name])).toEqual([
      [2, null, 'tablespoon', 'olive oil'],
      [1, null, null, 'onion, chopped'],
      [2, null, 'can', 'whole tomatoes (28 oz)'],
      [2, 3, 'cup', 'vegetable broth'],
      [1, null, 'pinch', 'sugar'],
      [null, null, null, 'Salt and pepper to taste'],
    ]);
    expect(recipe.steps).toEqual([
      'Heat the oil in a pot and cook the onion until soft.',
      'Add the tomatoes and broth, simmer 20 minutes, then blend.',
    ]);
  });

  it('tells ingredients from steps without any heading', () => {
    const recipe = parseRecipeText(GARLIC_BREAD);
    expect(recipe.title).toBe('Garlic bread');
    expect(recipe.servings).toBeNull();
    expect(recipe.ingredients.map((i) => [i.quantity, i.unit, i.name])).toEqual([
      [1, null, 'baguette'],
      [100, 'gram', 'butter, softened'],
      [3, 'clove', 'garlic, crushed'],
      [2, 'tablespoon', 'chopped parsley'],
    ]);
    expect(recipe.steps).toHaveLength(2);
  });

  it('handles CRLF, capitalised headings with colons, bullets, group headers and notes', () => {
    const recipe = parseRecipeText(CURRY);
    expect(recipe.title).toBe('Chickpea curry');
    expect(recipe.ingredients.map((i) => [i.quantity, i.unit])).toEqual([
      [400, 'gram'],
      [0.667, 'cup'],
      [1, 'teaspoon'],
    ]);
    expect(recipe.steps).toEqual([
      'Fry the cumin for a minute.',
      'Add the chickpeas and coconut milk and simmer for 15 minutes.',
    ]);
  });

  it('keeps an intro sentence and an article title out of the ingredients', () => {
    const recipe = parseRecipeText(
      'A Simple Omelette\nA quick breakfast for busy mornings.\n2 eggs\na pinch of salt\nan onion, diced\n' +
        'Whisk the eggs with the salt, then cook them in a hot buttered pan.',
    );
    expect(recipe.title).toBe('A Simple Omelette');
    expect(recipe.ingredients.map((i) => [i.quantity, i.unit, i.name])).toEqual([
      [2, null, 'eggs'],
      [1, 'pinch', 'salt'],
      [1, null, 'onion, diced'],
    ]);
    expect(recipe.steps).toEqual(['Whisk the eggs with the salt, then cook them in a hot buttered pan.']);
  });

  it('moves sizes after the name and keeps lines it cannot split whole', () => {
    const lines = ['1 cup (240ml) milk', 'zest 1 lemon', 'a few sprigs of thyme', '2 x 400g tins tomatoes'];
    expect(lines.map((line) => parseIngredientLine(line))).toMatchObject([
      { quantity: 1, unit: 'cup', name: 'milk (240ml)' },
      { quantity: null, unit: null, name: 'zest 1 lemon' },
      { quantity: null, unit: null, name: 'a few sprigs of thyme' },
      { quantity: 2, name: '400g tins tomatoes' },
    ]);
  });

  it('is deterministic', () => {
    expect(parseRecipeText(SOUP)).toEqual(parseRecipeText(SOUP));
  });
});

const MEALS: MealSuggestionInput = {
  recipes: [
    { title: 'Peanut noodles', ingredients: ['noodles', 'peanut butter', 'soy sauce', 'lime'] },
    { title: 'Chicken tacos', ingredients: ['chicken thighs', 'tortillas', 'lime', 'coriander', 'onion'] },
    { title: 'Tomato soup', ingredients: [{ name: 'tomatoes' }, { name: 'onion' }, { name: 'vegetable broth' }] },
    {
      title: 'Lasagne',
      ingredients: ['pasta sheets', 'beef mince', 'tomatoes', 'onion', 'garlic', 'milk', 'butter', 'flour', 'cheese'],
    },
    { title: 'Chicken soup', ingredients: ['chicken', 'carrots', 'celery', 'onion', 'noodles'] },
  ],
  preferences: { avoid: ['peanut'], prefer: ['chicken', 'tomato'], maxIngredients: 8 },
};

describe('local meal suggestions', () => {
  it('never suggests avoided ingredients or recipes over the ingredient limit, and ranks preferred first', () => {
    const { suggestions } = suggestMeals(MEALS);
    const titles = suggestions.map((s) => s.title);
    expect(titles).not.toContain('Peanut noodles');
    expect(titles).not.toContain('Lasagne');
    expect(titles).toEqual(['Tomato soup', 'Chicken soup', 'Chicken tacos']);
    expect(suggestions[0]?.reasons).toContain('Uses tomato, which you like');
  });

  it('gives the same answer whatever the order of preferences', () => {
    const shuffled = { ...MEALS, preferences: { ...MEALS.preferences, prefer: ['tomato', 'Chicken'] } };
    expect(suggestMeals(shuffled)).toEqual(suggestMeals(MEALS));
  });

  it('limits the number of suggestions', () => {
    expect(suggestMeals({ ...MEALS, count: 1 }).suggestions).toHaveLength(1);
  });
});

describe('local provider', () => {
  const signal = new AbortController().signal;
  const provider = createProvider({ provider: 'local' });

  it('answers a mixed batch in request order, offline', async () => {
    const requests: AiRequest[] = [
      { id: 'a', task: 'recipe_parsing', input: { text: PANCAKES }, promptVersion: PROMPT_VERSIONS.recipe_parsing },
      { id: 'b', task: 'meal_suggestion', input: MEALS, promptVersion: PROMPT_VERSIONS.meal_suggestion },
      { id: 'c', task: 'recipe_parsing', input: { text: '   ' }, promptVersion: PROMPT_VERSIONS.recipe_parsing },
      { id: 'd', task: 'recipe_parsing', input: { text: PANCAKES }, promptVersion: 'recipe_parsing/0' },
    ];
    const completion = await provider.complete(requests, { signal });
    expect(provider.id).toBe('local');
    expect(provider.model).toBe(LOCAL_MODEL);
    expect(completion.items.map((i) => [i.id, i.ok])).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
      ['d', false],
    ]);
    expect(completion.items[2]).toMatchObject({ error: { name: 'PermanentJobError', retryable: false } });
    expect(completion.prompt).toContain('"id":"a"');
    expect(JSON.parse(completion.rawResponse)).toHaveProperty('items');
    const again = await provider.complete(requests, { signal });
    expect(again).toEqual(completion);
  });

  it('refuses malformed suggestion input for that item only', async () => {
    const bad = {
      id: 'x',
      task: 'meal_suggestion',
      input: { recipes: 'none' },
      promptVersion: PROMPT_VERSIONS.meal_suggestion,
    };
    const completion = await provider.complete([bad as unknown as AiRequest], { signal });
    expect(completion.items[0]).toMatchObject({ ok: false, error: { code: 'permanent' } });
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(provider.complete([], { signal: controller.signal })).rejects.toThrow('stop');
  });

  it('refuses a batch that repeats an id', async () => {
    const r: AiRequest = {
      id: 'same',
      task: 'recipe_parsing',
      input: { text: 'x' },
      promptVersion: PROMPT_VERSIONS.recipe_parsing,
    };
    await expect(provider.complete([r, r], { signal })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
