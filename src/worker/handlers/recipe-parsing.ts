import type { RecipeParsingInput } from '../ai';
import { defineAiJobType } from './ai-job-type';

/** Longest recipe text accepted. */
export const MAX_RECIPE_LENGTH = 50_000;

function parseRecipePayload(payload: unknown): RecipeParsingInput {
  const text = (payload as { text?: unknown } | null)?.text;
  if (typeof text !== 'string' || text.trim() === '') throw new Error('text must be the recipe as pasted');
  if (text.length > MAX_RECIPE_LENGTH) throw new Error(`text must be at most ${MAX_RECIPE_LENGTH} characters`);
  return { text: text.trim() };
}

/** Pasted recipe text → title, servings, ingredients with quantity and unit, steps. */
export const recipeParsing = defineAiJobType({
  task: 'recipe_parsing',
  label: 'Parse recipe',
  priority: 'high',
  parse: parseRecipePayload,
  labelFor: (payload) => {
    const firstLine =
      payload.text
        .split('\n')
        .find((line) => line.trim() !== '')
        ?.trim() ?? 'recipe';
    return `Parse “${firstLine.length > 48 ? `${firstLine.slice(0, 47)}…` : firstLine}”`;
  },
});
