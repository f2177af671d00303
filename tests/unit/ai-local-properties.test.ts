import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readOutput } from '../../src/worker/ai/read-output';
import { parseRecipeText } from '../../src/worker/ai/parse-recipe';
import { suggestMeals } from '../../src/worker/ai/suggest-meals';

const line = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom('Ingredients', 'Method:', '## Steps', '1. Mix.', '- 1 1/2 cups flour', '½ tsp salt', 'Serves 4', ''),
);

describe('local provider properties', () => {
  it('parses any text into an answer of the recipe shape, the same every time', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const text = lines.join('\n');
        const recipe = parseRecipeText(text);
        expect(readOutput('recipe_parsing', recipe).ok).toBe(true);
        expect(parseRecipeText(text)).toEqual(recipe);
      }),
      { numRuns: 300 },
    );
  });

  it('never suggests a recipe using an avoided ingredient, and ranks by score', () => {
    const word = fc.constantFrom('chicken', 'tomato', 'egg', 'rice', 'beans', 'peanut', 'cheese', 'onion');
    const recipe = fc.record({
      title: fc.string({ minLength: 1, maxLength: 12 }),
      ingredients: fc.array(word, { maxLength: 8 }),
    });
    fc.assert(
      fc.property(
        fc.array(recipe, { maxLength: 12 }),
        fc.array(word, { maxLength: 3 }),
        fc.array(word, { maxLength: 3 }),
        (recipes, avoid, prefer) => {
          const { suggestions } = suggestMeals({ recipes, preferences: { avoid, prefer }, count: 50 });
          for (const suggestion of suggestions) {
            const source = recipes.find((r) => r.title.trim() === suggestion.title);
            expect(source).toBeDefined();
            expect(source?.ingredients.some((i) => avoid.includes(i))).toBe(false);
          }
          const scores = suggestions.map((s) => s.score);
          expect(scores).toEqual([...scores].sort((a, b) => b - a));
          expect(suggestMeals({ recipes: [...recipes], preferences: { avoid, prefer }, count: 50 })).toEqual({
            suggestions,
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
