import { isObject, textOf } from './read-unknown';

/** The AI providers the worker knows. */
export const PROVIDERS = [
  { value: 'local', label: 'Local (offline)' },
  { value: 'openai-compatible', label: 'OpenAI-compatible' },
] as const;
export type ProviderName = (typeof PROVIDERS)[number]['value'];

/** Base URLs of well-known OpenAI-compatible servers, offered while typing. */
export const KNOWN_BASE_URLS: readonly { readonly url: string; readonly label: string }[] = [
  { url: 'https://api.openai.com/v1', label: 'OpenAI' },
  { url: 'https://generativelanguage.googleapis.com/v1beta/openai', label: 'Gemini' },
  { url: 'http://localhost:11434/v1', label: 'Ollama' },
  { url: 'http://localhost:1234/v1', label: 'LM Studio' },
  { url: 'http://localhost:8080/v1', label: 'llama.cpp server' },
];

/** The `ai` setting as the worker hands it out: the key itself never leaves the worker. */
export interface RedactedAiSetting {
  readonly provider: ProviderName;
  readonly baseUrl: string;
  readonly model: string;
  readonly hasApiKey: boolean;
  readonly apiKeyHint: string;
}

/** Reads what `getSetting('ai')` returned; anything unknown reads as the local provider. */
export function readAiSetting(value: unknown): RedactedAiSetting {
  const v = isObject(value) ? value : {};
  return {
    provider: v['provider'] === 'openai-compatible' ? 'openai-compatible' : 'local',
    baseUrl: textOf(v['baseUrl']),
    model: textOf(v['model']),
    hasApiKey: v['hasApiKey'] === true,
    apiKeyHint: textOf(v['apiKeyHint']),
  };
}
