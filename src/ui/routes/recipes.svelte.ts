import { isTerminal, SETTINGS_KEYS, type ErrandClient, type JobError, type JobRecord } from '../../client';
import { Clock } from '../lib/clock.svelte';
import { readAiSetting, type ProviderName } from './ai-setting';
import { offersAskAgain } from './offers-ask-again';
import { DRAFT_KEY, REPLACED_KEY, safeSessionStorage, SAMPLE_RECIPE } from './recipe-draft';
import {
  asParsedRecipe,
  asSuggestions,
  recipeEntries,
  type ParsedRecipeView,
  type RecipeEntry,
  type SuggestionView,
} from './recipe-views';
import { shownError, type ShownError } from './shown-error';
import { maxIngredientsProblem, splitTerms } from './suggestion-preferences';

export const RECIPE_TYPE = 'recipe_parsing';
export const SUGGESTION_TYPE = 'meal_suggestion';
/** Completed parses read for the recipe list. */
const RECIPE_LIST_LIMIT = 500;

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
