import type { MealSuggestionInput, RecipeSummary } from '../ai';
import { defineAiJobType } from './ai-job-type';

const MAX_RECIPES = 500;
const MAX_TERMS = 50;

function terms(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    value.length > MAX_TERMS ||
    !value.every((term) => typeof term === 'string' && term.length <= 100)
  ) {
    throw new Error(`${name} must be a list of at most ${MAX_TERMS} words`);
  }
  return value.map((term: string) => term.trim()).filter((term) => term !== '');
}

function parseMealPayload(payload: unknown): MealSuggestionInput {
  const value = payload as Partial<Record<keyof MealSuggestionInput, unknown>> | null;
  const recipes = value?.recipes;
  if (!Array.isArray(recipes) || recipes.length > MAX_RECIPES)
    throw new Error(`recipes must be a list of at most ${MAX_RECIPES} recipes`);
  const summaries: RecipeSummary[] = recipes.map((recipe: unknown, i) => {
    const r = recipe as { title?: unknown; ingredients?: unknown } | null;
    if (typeof r?.title !== 'string' || !Array.isArray(r.ingredients))
      throw new Error(`recipe ${i + 1} needs a title and ingredients`);
    const ingredients = r.ingredients.map((item: unknown) =>
      typeof item === 'string'
        ? item
        : typeof (item as { name?: unknown } | null)?.name === 'string'
          ? { name: (item as { name: string }).name }
          : '',
    );
    return { title: r.title, ingredients };
  });
  const prefs = (value?.preferences ?? {}) as Record<string, unknown>;
  const maxIngredients = prefs['maxIngredients'];
  if (
    maxIngredients !== undefined &&
    (typeof maxIngredients !== 'number' || !Number.isInteger(maxIngredients) || maxIngredients < 1)
  ) {
    throw new Error('maxIngredients must be a whole number of at least 1');
  }
  const count = value?.count;
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 20)) {
    throw new Error('count must be a whole number from 1 to 20');
  }
  return {
    recipes: summaries,
    preferences: {
      avoid: terms(prefs['avoid'], 'avoid'),
      prefer: terms(prefs['prefer'], 'prefer'),
      ...(maxIngredients === undefined ? {} : { maxIngredients }),
    },
    ...(count === undefined ? {} : { count }),
  };
}

/** Meal ideas from the user's stored recipes and preferences. */
export const mealSuggestion = defineAiJobType({
  task: 'meal_suggestion',
  label: 'Suggest meals',
  priority: 'low',
  parse: parseMealPayload,
  labelFor: (payload) =>
    `Suggest meals from ${payload.recipes.length} recipe${payload.recipes.length === 1 ? '' : 's'}`,
  maxBatch: 5,
});
