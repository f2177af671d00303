import type { MealSuggestion, MealSuggestionInput, MealSuggestions, RecipeSummary } from './tasks';

/** Suggestions given when the input does not say how many. */
export const DEFAULT_SUGGESTIONS = 5;
const MAX_SUGGESTIONS = 50;

interface Candidate {
  readonly suggestion: MealSuggestion;
  readonly ingredientCount: number;
}

/**
 * Meal suggestions from the user's own recipes, by fixed rules and with no network:
 * a recipe using an avoided ingredient, or with more ingredients than allowed, is never
 * suggested; each preferred ingredient it uses adds to its score; fewer ingredients break
 * ties, then the title. The same input always gives the same suggestions in the same order.
 */
export function suggestMeals(input: MealSuggestionInput): MealSuggestions {
  const count = Math.min(Math.max(Math.floor(input.count ?? DEFAULT_SUGGESTIONS), 1), MAX_SUGGESTIONS);
  return {
    suggestions: rankedCandidates(input)
      .slice(0, count)
      .map((c) => c.suggestion),
  };
}

/** Every recipe the preferences allow, best first. */
function rankedCandidates(input: MealSuggestionInput): Candidate[] {
  const avoid = cleanTerms(input.preferences.avoid);
  const prefer = cleanTerms(input.preferences.prefer);
  const limit = input.preferences.maxIngredients;
  const seen = new Set<string>();
  const candidates: Candidate[] = [];

  for (const recipe of input.recipes) {
    const title = recipe.title.trim();
    const key = title.toLowerCase();
    if (title === '' || seen.has(key)) continue;
    seen.add(key);
    const names = ingredientNames(recipe);
    const words = [title, ...names].map(normalise);
    if (avoid.some((term) => words.some((text) => mentions(text, term)))) continue;
    if (limit !== undefined && names.length > limit) continue;
    const liked = prefer.filter((term) => words.some((text) => mentions(text, term)));
    const reasons = liked.map((term) => `Uses ${term}, which you like`);
    let score = liked.length * 10;
    if (names.length > 0 && names.length <= 5) {
      score += 2;
      reasons.push(`Only ${names.length} ingredient${names.length === 1 ? '' : 's'}`);
    } else if (names.length > 0 && names.length <= 8) {
      score += 1;
    }
    if (limit !== undefined) reasons.push(`Within your limit of ${limit} ingredients`);
    if (avoid.length > 0) reasons.push(`Free of ${avoid.join(', ')}`);
    if (reasons.length === 0) reasons.push('From your recipes');
    candidates.push({ suggestion: { title, score, reasons }, ingredientCount: names.length });
  }

  candidates.sort(
    (a, b) =>
      b.suggestion.score - a.suggestion.score ||
      a.ingredientCount - b.ingredientCount ||
      compareText(a.suggestion.title, b.suggestion.title),
  );
  return candidates;
}

/**
 * Keeps of a model's suggestions only the user's own recipes that the preferences allow (the
 * same rules as `suggestMeals`), under the recipe's own title, once each, at most `count`.
 * A model that suggested only other meals, where some recipe was allowed, is refused: its
 * answer is wrong, so it is neither shown nor kept.
 */
export function keepAllowedSuggestions(
  input: MealSuggestionInput,
  output: MealSuggestions,
): { readonly ok: true; readonly output: MealSuggestions } | { readonly ok: false; readonly message: string } {
  // Every allowed recipe, not only the best few that `suggestMeals` would list.
  const allowed = new Map<string, string>();
  for (const candidate of rankedCandidates(input)) {
    allowed.set(candidate.suggestion.title.toLowerCase(), candidate.suggestion.title);
  }
  const count = Math.min(Math.max(Math.floor(input.count ?? DEFAULT_SUGGESTIONS), 1), MAX_SUGGESTIONS);
  const kept: MealSuggestion[] = [];
  for (const suggestion of output.suggestions) {
    const title = allowed.get(suggestion.title.trim().toLowerCase());
    if (title === undefined || kept.some((k) => k.title === title)) continue;
    kept.push({ ...suggestion, title });
  }
  if (kept.length === 0 && output.suggestions.length > 0 && allowed.size > 0) {
    return {
      ok: false,
      message: 'none of the suggested meals is one of your recipes that your preferences allow',
    };
  }
  return { ok: true, output: { suggestions: kept.slice(0, count) } };
}

function ingredientNames(recipe: RecipeSummary): string[] {
  return recipe.ingredients
    .map((entry) => (typeof entry === 'string' ? entry : entry.name))
    .filter((name) => name.trim() !== '');
}

function cleanTerms(terms: readonly string[]): string[] {
  return [...new Set(terms.map(normalise).filter((t) => t !== ''))].sort(compareText);
}

/** Lower case, letters and digits only, single spaces: so "Chicken-thighs," matches "chicken". */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Whole-word match that also takes simple plurals either way ("egg" ~ "eggs", "tomatoes" ~ "tomato"). */
function mentions(text: string, term: string): boolean {
  const padded = ` ${text} `;
  const forms = new Set([term, `${term}s`, `${term}es`]);
  if (term.endsWith('es')) forms.add(term.slice(0, -2));
  if (term.endsWith('s')) forms.add(term.slice(0, -1));
  for (const form of forms) if (form !== '' && padded.includes(` ${form} `)) return true;
  return false;
}

/** Code-unit order: locale-independent, so every browser ranks the same way. */
function compareText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}
