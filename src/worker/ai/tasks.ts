/**
 * The AI tasks Errand knows, with the plain-data shape of each task's input and answer.
 * Every shape here is structured-cloneable so it can be stored and cross the worker boundary.
 */
export const AI_TASKS = ['recipe_parsing', 'meal_suggestion'] as const;
/** One of {@link AI_TASKS}. */
export type AiTask = (typeof AI_TASKS)[number];

/** Input of `recipe_parsing`: the recipe as pasted by the user. */
export interface RecipeParsingInput {
  readonly text: string;
}

/** One ingredient line, split into its parts. `raw` keeps the line as written. */
export interface ParsedIngredient {
  /** The amount; the lower bound for a range such as "1-2". Null when none is written. */
  readonly quantity: number | null;
  /** The upper bound of a range, else null. */
  readonly quantity2: number | null;
  /** Singular long form ("cup", "tablespoon", "gram") or null for counted items. */
  readonly unit: string | null;
  readonly name: string;
  readonly raw: string;
}

/** Answer of `recipe_parsing`. */
export interface ParsedRecipe {
  readonly title: string;
  /** Null when the text does not say. */
  readonly servings: number | null;
  readonly ingredients: readonly ParsedIngredient[];
  readonly steps: readonly string[];
}

/** A stored recipe as the suggestion rules see it: ingredient names or parsed ingredients. */
export interface RecipeSummary {
  readonly title: string;
  readonly ingredients: readonly (string | { readonly name: string })[];
}

/** The user's food preferences; terms match whole words, case-insensitively. */
export interface MealPreferences {
  /** Recipes using any of these are never suggested (allergies, dislikes). */
  readonly avoid: readonly string[];
  /** Recipes using these rank higher. */
  readonly prefer: readonly string[];
  /** Recipes with more ingredients than this are left out. */
  readonly maxIngredients?: number;
}

/** Input of `meal_suggestion`. */
export interface MealSuggestionInput {
  readonly recipes: readonly RecipeSummary[];
  readonly preferences: MealPreferences;
  /** How many suggestions at most. @default 5 */
  readonly count?: number;
}

/** One suggested meal, with the reasons it was chosen. */
export interface MealSuggestion {
  readonly title: string;
  /** Higher is better; comparable only within one answer. */
  readonly score: number;
  readonly reasons: readonly string[];
}

/** Answer of `meal_suggestion`, best first. */
export interface MealSuggestions {
  readonly suggestions: readonly MealSuggestion[];
}

/** Input and answer types per task, so requests and results stay paired in the type system. */
export interface AiTaskShapes {
  readonly recipe_parsing: { readonly input: RecipeParsingInput; readonly output: ParsedRecipe };
  readonly meal_suggestion: { readonly input: MealSuggestionInput; readonly output: MealSuggestions };
}

/** Input type of task `T`. */
export type AiInput<T extends AiTask> = AiTaskShapes[T]['input'];
/** Answer type of task `T`. */
export type AiOutput<T extends AiTask> = AiTaskShapes[T]['output'];

/** Narrows an unknown string to an {@link AiTask}. */
export function isAiTask(value: unknown): value is AiTask {
  return typeof value === 'string' && (AI_TASKS as readonly string[]).includes(value);
}
