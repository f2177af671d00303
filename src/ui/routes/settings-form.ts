import type { LimitsSetting } from '../../client';
import type { ProviderName, RedactedAiSetting } from './ai-setting';
import { isObject } from './read-unknown';

/** The limits the runtime uses when none is set. */
export const DEFAULT_LIMITS = { aiRequestsPerMinute: 60, concurrency: 3 } as const;

/** A form field that can be wrong. */
export type SettingsField = 'baseUrl' | 'model' | 'apiKey' | 'aiRequestsPerMinute' | 'concurrency';

/** Reads the stored limits, keeping only values the runtime would use. */
export function readLimits(value: unknown): LimitsSetting {
  const v = isObject(value) ? value : {};
  const whole = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined);
  const rpm = whole(v['aiRequestsPerMinute']);
  const concurrency = whole(v['concurrency']);
  return {
    ...(rpm === undefined ? {} : { aiRequestsPerMinute: rpm }),
    ...(concurrency === undefined ? {} : { concurrency }),
  };
}

/** Why a count cannot be used, or undefined when it can (empty means the default). */
export function countProblem(value: string, max: number): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1)
    return 'Enter a whole number of at least 1, or leave it empty for the default';
  if (Number(trimmed) > max) return `Enter at most ${max.toLocaleString()}`;
  return undefined;
}

/** The form's fields as typed. */
export interface SettingsForm {
  readonly provider: ProviderName;
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey: string;
  readonly aiRequestsPerMinute: string;
  readonly concurrency: string;
}

/** The form that shows what is stored: the key field empty, a limit not set empty. */
export function storedForm(ai: RedactedAiSetting, limits: LimitsSetting): SettingsForm {
  return {
    provider: ai.provider,
    baseUrl: ai.baseUrl,
    model: ai.model,
    apiKey: '',
    aiRequestsPerMinute: limits.aiRequestsPerMinute === undefined ? '' : String(limits.aiRequestsPerMinute),
    concurrency: limits.concurrency === undefined ? '' : String(limits.concurrency),
  };
}

/** True when saving `form` would change what `saved` holds (spaces around a value are not a change). */
export function formDiffers(form: SettingsForm, saved: SettingsForm): boolean {
  return Object.keys(editedFields(form, saved)).length > 0;
}

/** The fields of `form` that differ from `saved`, spaces around a value aside (any key typed is one). */
export function editedFields(form: SettingsForm, saved: SettingsForm): Partial<SettingsForm> {
  const edits: { -readonly [K in keyof SettingsForm]?: SettingsForm[K] } = {};
  if (form.provider !== saved.provider) edits.provider = form.provider;
  if (form.apiKey.trim() !== '') edits.apiKey = form.apiKey;
  for (const field of ['baseUrl', 'model', 'aiRequestsPerMinute', 'concurrency'] as const) {
    if (form[field].trim() !== saved[field].trim()) edits[field] = form[field];
  }
  return edits;
}
