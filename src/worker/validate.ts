import {
  apiKeyProblem,
  baseUrlProblem,
  assertOptionalFinite,
  assertCloneable,
  assertOptionalPriority,
  assertRecord,
  assertText,
  describeValue,
  InvalidInputError,
  LIMIT_MAXIMUMS,
  SETTINGS_KEYS,
  type EnqueueRequest,
  type JobAction,
} from '../shared';

/*
 * The worker commands' own argument checks, beside the shared ones (`src/shared/arguments.ts`):
 * each command checks its arguments before it reads or writes.
 */

/** `requests` of `enqueueMany`: a list of objects (each is checked in full as it is built). */
export function assertRequests(requests: unknown): asserts requests is readonly EnqueueRequest[] {
  if (!Array.isArray(requests)) throw new InvalidInputError('requests must be a list of enqueue requests');
  requests.forEach((request: unknown, i) => assertRecord(request, `requests[${i}]`));
}

/**
 * The change `reprioritize` asks for, checked as an enqueue checks the same options. It must set
 * at least one of the two; only those two are taken (the rest of the object is not part of the
 * action, so it cannot turn the change into another command).
 */
export function reprioritizeAction(change: unknown): JobAction {
  assertRecord(change, 'change');
  const { priority, rank } = change;
  if (priority === undefined && rank === undefined) {
    throw new InvalidInputError('change must set priority, rank or both');
  }
  assertOptionalPriority(priority);
  assertOptionalFinite(rank, 'rank');
  return {
    type: 'reprioritize',
    ...(priority !== undefined ? { priority } : {}),
    ...(rank !== undefined ? { rank } : {}),
  };
}

/**
 * The `limits` setting: only its fields, each a whole number from 1 to its maximum, or left out.
 * A value the runtime could not use is refused rather than stored and silently replaced by the
 * default.
 */
export function assertLimits(value: unknown): void {
  assertRecord(value, 'limits');
  for (const [field, number] of Object.entries(value)) {
    if (!(field in LIMIT_MAXIMUMS)) throw new InvalidInputError(`limits has no field "${field}"`);
    if (number === undefined) continue;
    const max = LIMIT_MAXIMUMS[field as keyof typeof LIMIT_MAXIMUMS];
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > max) {
      throw new InvalidInputError(
        `limits.${field} must be a whole number from 1 to ${max.toLocaleString('en-US')}, not ${describeValue(number)}`,
      );
    }
  }
}

/** The AI providers a runtime can build. */
const AI_PROVIDERS = ['local', 'openai-compatible'] as const;

/**
 * The `ai` setting: a provider the runtime knows and, for an OpenAI-compatible one, a base URL
 * calls can go to and a model; a key, where it sets one, that a request could carry. A setting
 * that could only fail every AI call later is refused now, and the stored one stays. Fields of
 * the local provider's form (the remote ones kept for switching back) are checked only for
 * their type; the echoed `hasApiKey` and `apiKeyHint` are let through, as `getSetting` gives them.
 */
export function assertAiSetting(value: unknown): void {
  assertRecord(value, 'ai');
  const { provider } = value;
  if (!AI_PROVIDERS.includes(provider as (typeof AI_PROVIDERS)[number])) {
    throw new InvalidInputError(`ai.provider must be "local" or "openai-compatible", not ${describeValue(provider)}`);
  }
  // Empty is allowed: an empty key removes the stored one; a local form may hold no URL or model.
  const text = (name: string): string | undefined => {
    const field = value[name];
    if (field === undefined || typeof field === 'string') return field;
    throw new InvalidInputError(`ai.${name} must be a text, not ${describeValue(field)}`);
  };
  const baseUrl = text('baseUrl');
  const model = text('model');
  const apiKey = text('apiKey');
  const keyProblem = apiKey === undefined ? undefined : apiKeyProblem(apiKey);
  if (keyProblem !== undefined) throw new InvalidInputError(`apiKey: ${keyProblem}`);
  if (provider !== 'openai-compatible') return;
  const urlProblem = baseUrlProblem(baseUrl ?? '');
  if (urlProblem !== undefined) throw new InvalidInputError(`baseUrl: ${urlProblem}`);
  if ((model ?? '').trim() === '') throw new InvalidInputError('model: Enter the model name, e.g. gpt-4o-mini');
}

/**
 * One setting to store: a key, and a value the store can hold. The settings the runtime reads
 * itself (`limits`, `ai`) are checked in full, so none is stored that it would then ignore.
 */
export function assertSetting(key: unknown, value: unknown): asserts key is string {
  assertText(key, 'key');
  if (key === SETTINGS_KEYS.limits) assertLimits(value);
  if (key === SETTINGS_KEYS.ai) assertAiSetting(value);
  assertCloneable(value, 'setting');
}

/** The settings of `putSettings`: an object of one or more, each checked as `putSetting` checks one. */
export function assertSettings(values: unknown): asserts values is Readonly<Record<string, unknown>> {
  assertRecord(values, 'settings');
  const entries = Object.entries(values);
  if (entries.length === 0) throw new InvalidInputError('settings must hold at least one setting');
  for (const [key, value] of entries) assertSetting(key, value);
}
