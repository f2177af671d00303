import { checkBatch, inRequestOrder } from './batch-check';
import { refusedItem } from './item-failure';
import { parseRecipeText } from './parse-recipe';
import { renderItems } from './prompts';
import type { AiCallOptions, AiCompletion, AiItemResult, AiProvider, AiRequest, ConnectionCheck } from './provider';
import { suggestMeals } from './suggest-meals';
import type { MealSuggestionInput } from './tasks';

/** Model name of the local rules; bump it when their output changes, so old cached answers are not reused. */
export const LOCAL_MODEL = 'rules-1';

/** Longest recipe text accepted: a pasted page, not a book. */
const MAX_TEXT = 100_000;

/**
 * The default, offline provider: no network, no key. Parses recipes with an ingredient parser
 * and section rules and suggests meals by rules over the user's recipes. Deterministic, so its
 * answers cache as well as a model's.
 */
export class LocalProvider implements AiProvider {
  readonly id = 'local';
  readonly model = LOCAL_MODEL;

  async complete(requests: readonly AiRequest[], options: AiCallOptions): Promise<AiCompletion> {
    options.signal.throwIfAborted();
    const { sendable, refused } = checkBatch(requests);
    const answered = sendable.map((request) => {
      options.signal.throwIfAborted();
      try {
        return answer(request);
      } catch (error) {
        // The rules are deterministic: input that trips them would trip them again on retry.
        const reason = error instanceof Error ? error.message : String(error);
        return refusedItem(request.id, `The local provider could not read this input: ${reason}`);
      }
    });
    const answers = answered.map((r) => (r.ok ? { id: r.id, ...r.output } : { id: r.id, error: r.error.message }));
    return {
      items: inRequestOrder(requests, refused, answered),
      // No prompt is sent; what was asked is stored instead, so a stored answer still shows its request.
      prompt: sendable.length === 0 ? '' : `[local ${LOCAL_MODEL}]\n${renderItems(sendable)}`,
      rawResponse: sendable.length === 0 ? '' : JSON.stringify({ items: answers }),
    };
  }

  async testConnection(options: AiCallOptions): Promise<ConnectionCheck> {
    options.signal.throwIfAborted();
    return { ok: true, detail: 'The local provider works offline and needs no connection', models: [LOCAL_MODEL] };
  }
}

function answer(request: AiRequest): AiItemResult {
  if (request.task === 'recipe_parsing') {
    const text = (request.input as { text?: unknown }).text;
    if (typeof text !== 'string' || text.trim() === '') return refusedItem(request.id, 'The recipe text is empty');
    if (text.length > MAX_TEXT) return refusedItem(request.id, `The recipe text is longer than ${MAX_TEXT} characters`);
    const output = parseRecipeText(text);
    if (output.ingredients.length === 0 && output.steps.length === 0) {
      return refusedItem(request.id, 'No ingredients or steps were found in the text');
    }
    return { id: request.id, ok: true, task: request.task, output, raw: JSON.stringify(output) };
  }
  const problem = mealInputProblem(request.input);
  if (problem !== undefined) return refusedItem(request.id, problem);
  const output = suggestMeals(request.input);
  return { id: request.id, ok: true, task: request.task, output, raw: JSON.stringify(output) };
}

/** Stored payloads come from anywhere: check the shape the rules rely on. */
function mealInputProblem(input: MealSuggestionInput): string | undefined {
  const value = input as unknown as Partial<Record<keyof MealSuggestionInput, unknown>>;
  if (!Array.isArray(value.recipes)) return 'recipes must be a list';
  for (const recipe of value.recipes as unknown[]) {
    const r = recipe as { title?: unknown; ingredients?: unknown } | null;
    if (typeof r?.title !== 'string' || !Array.isArray(r.ingredients))
      return 'each recipe needs a title and a list of ingredients';
    const bad = (r.ingredients as unknown[]).some(
      (i) => typeof i !== 'string' && typeof (i as { name?: unknown } | null)?.name !== 'string',
    );
    if (bad) return `an ingredient of "${r.title}" is neither text nor {name}`;
  }
  const prefs = value.preferences as { avoid?: unknown; prefer?: unknown; maxIngredients?: unknown } | undefined;
  if (typeof prefs !== 'object' || prefs === null) return 'preferences must be an object';
  const isTextList = (v: unknown) => Array.isArray(v) && v.every((t) => typeof t === 'string');
  if (!isTextList(prefs.avoid) || !isTextList(prefs.prefer))
    return 'preferences.avoid and preferences.prefer must be lists of text';
  const max = prefs.maxIngredients;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    return 'preferences.maxIngredients must be a whole number above 0';
  }
  const count = value.count;
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
    return 'count must be a whole number above 0';
  }
  return undefined;
}
