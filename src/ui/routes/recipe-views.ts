import type { JobRecord } from '../../client';
import { isObject, textOf } from './read-unknown';

/** One ingredient of a parsed recipe, as this screen shows it. */
export interface IngredientView {
  readonly quantity: number | null;
  readonly quantity2: number | null;
  readonly unit: string | null;
  readonly name: string;
  readonly raw: string;
}

/** The answer of a `recipe_parsing` job. */
export interface ParsedRecipeView {
  readonly title: string;
  readonly servings: number | null;
  readonly ingredients: readonly IngredientView[];
  readonly steps: readonly string[];
}

/** One meal of a `meal_suggestion` answer, best first. */
export interface SuggestionView {
  readonly title: string;
  readonly score: number;
  readonly reasons: readonly string[];
}

/** A stored recipe in the list: the newest completed parse of each title. */
export interface RecipeEntry {
  readonly jobId: string;
  readonly recipe: ParsedRecipeView;
  readonly parsedAt: number;
}

const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Reads a job result as a parsed recipe, or undefined when it has another shape. */
export function asParsedRecipe(result: unknown): ParsedRecipeView | undefined {
  if (
    !isObject(result) ||
    typeof result['title'] !== 'string' ||
    !Array.isArray(result['ingredients']) ||
    !Array.isArray(result['steps'])
  ) {
    return undefined;
  }
  const ingredients = (result['ingredients'] as unknown[]).filter(isObject).map((item): IngredientView => ({
    quantity: numberOrNull(item['quantity']),
    quantity2: numberOrNull(item['quantity2']),
    unit: typeof item['unit'] === 'string' && item['unit'] !== '' ? item['unit'] : null,
    name: textOf(item['name']),
    raw: textOf(item['raw']),
  }));
  const steps = (result['steps'] as unknown[]).filter((step): step is string => typeof step === 'string');
  return { title: result['title'], servings: numberOrNull(result['servings']), ingredients, steps };
}

/** Reads a job result as ranked meal suggestions, or undefined when it has another shape. */
export function asSuggestions(result: unknown): readonly SuggestionView[] | undefined {
  if (!isObject(result) || !Array.isArray(result['suggestions'])) return undefined;
  return (result['suggestions'] as unknown[]).filter(isObject).map((item) => ({
    title: textOf(item['title']),
    score: numberOrNull(item['score']) ?? 0,
    reasons: Array.isArray(item['reasons'])
      ? item['reasons'].filter((reason): reason is string => typeof reason === 'string')
      : [],
  }));
}

/**
 * The newest completed parse of each pasted text, newest first (jobs arrive newest first): the
 * same text parsed again, or asked again, shows once, with its newest answer; two different
 * recipes with one title both show.
 */
export function recipeEntries(jobs: readonly JobRecord[]): RecipeEntry[] {
  const entries: RecipeEntry[] = [];
  const keys = new Set<string>();
  for (const job of jobs) {
    const recipe = asParsedRecipe(job.result);
    if (!recipe) continue;
    const text = (job.payload as { text?: unknown } | undefined)?.text;
    const key =
      typeof text === 'string'
        ? `text:${text.trim()}`
        : JSON.stringify([recipe.title.trim().toLocaleLowerCase(), recipe.ingredients.map((item) => item.raw)]);
    if (keys.has(key)) continue;
    keys.add(key);
    entries.push({ jobId: job.id, recipe, parsedAt: job.completedAt ?? job.updatedAt });
  }
  return entries;
}
