/**
 * AI providers behind one batched interface. Handlers get a provider from their context;
 * `createProvider` builds one from the stored settings.
 */
import { InvalidInputError } from '../../shared';
import { LocalProvider } from './local';
import { OpenAiCompatibleProvider } from './openai-compatible';
import type { AiProvider } from './provider';

/** The AI settings a provider is built from (the `settings` table's AI entry). */
export type AiSettings =
  | { readonly provider: 'local' }
  | {
      readonly provider: 'openai-compatible';
      readonly baseUrl: string;
      /** Empty for servers that need no key (a local Ollama, LM Studio). */
      readonly apiKey: string;
      readonly model: string;
    };

/** What a settings form holds: every field, whichever provider is chosen. */
export interface AiSettingsForm {
  readonly provider: 'local' | 'openai-compatible';
  readonly baseUrl?: string;
  readonly apiKey?: string;
  readonly model?: string;
}

/** Injection points for tests and for the runtime. */
export interface CreateProviderOptions {
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/**
 * The provider the settings describe. Throws `InvalidInputError` for settings that cannot
 * work (no base URL or model, a URL that is not http(s)); the message never holds the key.
 */
export function createProvider(settings: AiSettings | AiSettingsForm, options: CreateProviderOptions = {}): AiProvider {
  if (settings.provider === 'local') return new LocalProvider();
  if (settings.provider !== 'openai-compatible') {
    throw new InvalidInputError(`Unknown AI provider "${String((settings as { provider: unknown }).provider)}"`);
  }
  const baseUrl = settings.baseUrl?.trim() ?? '';
  const model = settings.model?.trim() ?? '';
  if (baseUrl === '') throw new InvalidInputError('The AI base URL is missing');
  if (model === '') throw new InvalidInputError('The AI model is missing');
  try {
    return new OpenAiCompatibleProvider({
      baseUrl,
      model,
      apiKey: settings.apiKey?.trim() ?? '',
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  } catch (error) {
    throw new InvalidInputError(error instanceof Error ? error.message : 'The AI settings are not valid');
  }
}

export { AI_TASKS, isAiTask } from './tasks';
export type {
  AiInput,
  AiOutput,
  AiTask,
  MealPreferences,
  MealSuggestion,
  MealSuggestionInput,
  MealSuggestions,
  ParsedIngredient,
  ParsedRecipe,
  RecipeParsingInput,
  RecipeSummary,
} from './tasks';
export type {
  AiCallOptions,
  AiCompletion,
  AiItemFailure,
  AiItemResult,
  AiItemSuccess,
  AiProvider,
  AiRequest,
  ConnectionCheck,
} from './provider';
export { ANSWER_SHAPES, PROMPT_VERSIONS, buildBatchPrompt, promptForItem, promptVersionOf } from './prompts';
export type { ChatMessage } from './prompts';
export { AiProviderError } from './ai-provider-error';
export { LocalProvider, LOCAL_MODEL } from './local';
export { OpenAiCompatibleProvider } from './openai-compatible';
export type { OpenAiCompatibleOptions } from './openai-compatible';
export { scrubSecret } from './scrub-secret';
