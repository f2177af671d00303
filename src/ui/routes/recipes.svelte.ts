import { isTerminal, SETTINGS_KEYS, type ErrandClient, type JobError, type JobRecord } from '../../client';
import { Clock } from '../lib/clock.svelte';
import { readAiSetting, type ProviderName } from './settings.svelte';

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

/** A failure as the screen shows it: its stable code and its message. */
export interface ShownError {
  readonly code: string;
  readonly message: string;
}

export const RECIPE_TYPE = 'recipe_parsing';
export const SUGGESTION_TYPE = 'meal_suggestion';
/** Completed parses read for the recipe list. */
const RECIPE_LIST_LIMIT = 500;

export const SAMPLE_RECIPE = `Buttermilk Pancakes
Serves 4

Ingredients
1 1/2 cups flour
2 tablespoons sugar
2 teaspoons baking powder
1/2 teaspoon salt
1 1/4 cups buttermilk
1 egg
3 tablespoons butter, melted

Method
1. Whisk the flour, sugar, baking powder and salt in a large bowl.
2. Beat the buttermilk, egg and melted butter together, then stir into the dry ingredients until just combined.
3. Cook ladlefuls on a hot buttered pan until bubbles form, then flip and cook until golden.`;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

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
    name: text(item['name']),
    raw: text(item['raw']),
  }));
  const steps = (result['steps'] as unknown[]).filter((step): step is string => typeof step === 'string');
  return { title: result['title'], servings: numberOrNull(result['servings']), ingredients, steps };
}

/** Reads a job result as ranked meal suggestions, or undefined when it has another shape. */
export function asSuggestions(result: unknown): readonly SuggestionView[] | undefined {
  if (!isObject(result) || !Array.isArray(result['suggestions'])) return undefined;
  return (result['suggestions'] as unknown[]).filter(isObject).map((item) => ({
    title: text(item['title']),
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

/** A comma-separated word list as its trimmed, non-empty words. */
export function splitTerms(value: string): string[] {
  return value
    .split(',')
    .map((term) => term.trim())
    .filter((term) => term !== '');
}

/** Why a "max ingredients" entry cannot be used, or undefined when it can (empty means no limit). */
export function maxIngredientsProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) && Number(trimmed) >= 1
    ? undefined
    : 'Enter a whole number of at least 1, or leave it empty';
}

/**
 * Whether "Ask again" can bring another answer: a model may answer the same request otherwise,
 * and a failure that may pass (network, timeout, rate limit, a run cut short) may not come back.
 * The local provider reads by fixed rules, so its answer, or its refusal, would be the same
 * again. Nothing is offered while the provider is being read; one that cannot be read keeps the
 * offer.
 */
export function offersAskAgain(
  job: Pick<JobRecord, 'status' | 'error'>,
  provider: ProviderName | 'unknown' | undefined,
): boolean {
  if (provider === undefined) return false;
  if (job.status === 'failed') return provider !== 'local' || job.error?.retryable !== false;
  return job.status === 'completed' && provider !== 'local';
}

function shownError(error: unknown): ShownError {
  if (isObject(error) && typeof error['code'] === 'string' && typeof error['message'] === 'string') {
    return { code: error['code'], message: error['message'] };
  }
  return { code: 'error', message: error instanceof Error ? error.message : String(error) };
}

/** One job followed live through the client. */
class FollowedJob {
  job: JobRecord | undefined = $state.raw(undefined);
  #stop: (() => void) | undefined;
  #id: string | undefined;

  constructor(private readonly client: ErrandClient) {}

  get id(): string | undefined {
    return this.#id;
  }

  get active(): boolean {
    return this.job !== undefined && !isTerminal(this.job.status);
  }

  get error(): ShownError | undefined {
    const error: JobError | undefined = this.job?.status === 'failed' ? this.job.error : undefined;
    return error && { code: error.code, message: error.message };
  }

  follow(job: JobRecord): void {
    if (this.#id === job.id) return;
    this.dispose();
    this.#id = job.id;
    this.job = job;
    const id = job.id;
    this.#stop = this.client.watchJob(id).subscribe((next) => {
      if (this.#id === id) this.job = next;
    });
  }

  dispose(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#id = undefined;
    this.job = undefined;
  }
}

/** Where this tab keeps the recipe text being typed. */
const DRAFT_KEY = 'errand:recipe-draft';
/** Where it keeps the text "Paste an example" replaced, while Undo is offered. */
const REPLACED_KEY = 'errand:recipe-draft-replaced';

function safeSessionStorage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

/** The recipes screen: parse pasted text, list the parsed recipes, suggest meals from them. */
export class RecipesState {
  text = $state('');
  avoid = $state('');
  prefer = $state('');
  maxIngredients = $state('');
  parsing = $state(false);
  suggesting = $state(false);
  parseError: ShownError | undefined = $state.raw(undefined);
  suggestError: ShownError | undefined = $state.raw(undefined);
  recipes: readonly RecipeEntry[] = $state.raw([]);
  /** The provider a new request would go to: undefined until read, `unknown` when it cannot be. */
  provider: ProviderName | 'unknown' | undefined = $state(undefined);
  /** The text "Paste an example" replaced, kept so that Undo can bring it back. */
  replacedText: string | undefined = $state(undefined);
  readonly recipeJob: FollowedJob;
  readonly suggestionJob: FollowedJob;
  readonly maxProblem: string | undefined = $derived(maxIngredientsProblem(this.maxIngredients));
  readonly canParse: boolean = $derived(this.text.trim() !== '' && !this.parsing);
  readonly canSuggest: boolean = $derived(this.recipes.length > 0 && !this.suggesting);
  /** Undo is offered while the box still holds the example that replaced the person's text. */
  readonly canUndoSample: boolean = $derived(this.replacedText !== undefined && this.text === SAMPLE_RECIPE);
  readonly #clock = new Clock();

  constructor(private readonly client: ErrandClient) {
    this.recipeJob = new FollowedJob(client);
    this.suggestionJob = new FollowedJob(client);
  }

  /** The time the screen shows countdowns and ages against; ticks while it is open. */
  get now(): number {
    return this.#clock.now;
  }

  /** The followed parse's recipe, once it has one. */
  get recipe(): ParsedRecipeView | undefined {
    return this.recipeJob.job?.status === 'completed' ? asParsedRecipe(this.recipeJob.job.result) : undefined;
  }

  get suggestions(): readonly SuggestionView[] | undefined {
    return this.suggestionJob.job?.status === 'completed' ? asSuggestions(this.suggestionJob.job.result) : undefined;
  }

  /** Follows the stored recipes and shows the newest parse and suggestion; returns the cleanup. */
  connect(): () => void {
    const stop = this.client.watch({ type: RECIPE_TYPE, status: 'completed', limit: RECIPE_LIST_LIMIT }).subscribe(
      (jobs) => (this.recipes = recipeEntries(jobs)),
      (error) => (this.parseError = shownError(error)),
    );
    // Only picks what to show first: a failed read is said by the watch above.
    this.#showLatest().catch(() => undefined);
    this.client.getSetting(SETTINGS_KEYS.ai).then(
      (ai) => (this.provider = readAiSetting(ai).provider),
      () => (this.provider = 'unknown'),
    );
    const stopClock = this.#clock.start();
    return () => {
      stopClock();
      stop();
      this.recipeJob.dispose();
      this.suggestionJob.dispose();
    };
  }

  /** Whether the shown parse or suggestions can be asked again with a different outcome. */
  offersAskAgain(which: 'recipe' | 'suggestion'): boolean {
    const job = (which === 'recipe' ? this.recipeJob : this.suggestionJob).job;
    return job !== undefined && offersAskAgain(job, this.provider);
  }

  /**
   * Puts the example in the box. Text the person wrote is kept for Undo rather than asked
   * about: an empty box, or one that already holds the example, has nothing to lose.
   */
  useSample(): void {
    if (this.text === SAMPLE_RECIPE) return;
    this.replacedText = this.text.trim() === '' ? undefined : this.text;
    this.text = SAMPLE_RECIPE;
  }

  /** Brings back the text the example replaced. */
  undoSample(): void {
    if (!this.canUndoSample || this.replacedText === undefined) return;
    this.text = this.replacedText;
    this.replacedText = undefined;
  }

  /**
   * Brings back the text this tab had in the box before a reload or a visit to another page, and
   * the offer to undo "Paste an example" with it.
   */
  restoreDraft(storage: Pick<Storage, 'getItem'> | undefined = safeSessionStorage()): void {
    try {
      const draft = storage?.getItem(DRAFT_KEY);
      if (this.text !== '' || !draft) return;
      this.text = draft;
      const replaced = storage?.getItem(REPLACED_KEY);
      if (draft === SAMPLE_RECIPE && replaced) this.replacedText = replaced;
    } catch {
      // Storage may be refused (private modes): the box starts empty.
    }
  }

  /** Keeps the text in the box for this tab, and what Undo would bring back, so a reload does not lose them. */
  saveDraft(storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = safeSessionStorage()): void {
    try {
      if (this.text === '') storage?.removeItem(DRAFT_KEY);
      else storage?.setItem(DRAFT_KEY, this.text);
      if (this.canUndoSample && this.replacedText !== undefined) storage?.setItem(REPLACED_KEY, this.replacedText);
      else storage?.removeItem(REPLACED_KEY);
    } catch {
      // Full or refused: the draft is only a convenience.
    }
  }

  /** Enqueues the pasted text; a stored answer comes back completed at once. */
  async parse(): Promise<void> {
    if (!this.canParse) return;
    this.parseError = undefined;
    this.parsing = true;
    try {
      this.recipeJob.follow(await this.client.enqueue(RECIPE_TYPE, { text: this.text }));
    } catch (error) {
      this.parseError = shownError(error);
    } finally {
      this.parsing = false;
    }
  }

  /**
   * Asks the provider again for the shown parse or suggestions, not from saved results; the
   * new answer replaces the saved one.
   */
  async askAgain(which: 'recipe' | 'suggestion'): Promise<void> {
    const followed = which === 'recipe' ? this.recipeJob : this.suggestionJob;
    const job = followed.job;
    if (!job || job.payload === undefined) return;
    const setError = (error: ShownError | undefined) => {
      if (which === 'recipe') this.parseError = error;
      else this.suggestError = error;
    };
    setError(undefined);
    try {
      followed.follow(await this.client.enqueue(job.type, job.payload, { fresh: true }));
    } catch (error) {
      setError(shownError(error));
    }
  }

  /** Shows a stored recipe. */
  async select(jobId: string): Promise<void> {
    const job = await this.client.get(jobId);
    if (job) this.recipeJob.follow(job);
  }

  /** Asks for meals from every stored recipe and the preferences; refuses an invalid limit. */
  async suggest(): Promise<void> {
    if (!this.canSuggest || this.maxProblem !== undefined) return;
    this.suggestError = undefined;
    this.suggesting = true;
    const max = this.maxIngredients.trim();
    try {
      const job = await this.client.enqueue(SUGGESTION_TYPE, {
        recipes: this.recipes.map(({ recipe }) => ({
          title: recipe.title,
          ingredients: recipe.ingredients.map((item) => item.name),
        })),
        preferences: {
          avoid: splitTerms(this.avoid),
          prefer: splitTerms(this.prefer),
          ...(max === '' ? {} : { maxIngredients: Number(max) }),
        },
      });
      this.suggestionJob.follow(job);
    } catch (error) {
      this.suggestError = shownError(error);
    } finally {
      this.suggesting = false;
    }
  }

  async #showLatest(): Promise<void> {
    const [[recipe], [suggestion]] = await Promise.all([
      this.client.list({ type: RECIPE_TYPE, limit: 1 }),
      this.client.list({ type: SUGGESTION_TYPE, limit: 1 }),
    ]);
    if (recipe && this.recipeJob.id === undefined) this.recipeJob.follow(recipe);
    if (suggestion && this.suggestionJob.id === undefined) this.suggestionJob.follow(suggestion);
  }
}
