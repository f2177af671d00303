import { PermanentJobError } from '../shared';
import type { ResponseStore } from '../store';
import {
  createProvider,
  promptForItem,
  type AiItemResult,
  type AiProvider,
  type AiRequest,
  type AiSettings,
  type ConnectionCheck,
  type CreateProviderOptions,
} from './ai';
import type { SettingsReader } from './define-job-type';

/** The `settings` key of the AI provider settings. */
export const AI_SETTINGS_KEY = 'ai';

/** An AI request with the fingerprint its answer is stored under. */
export interface FingerprintedRequest {
  readonly request: AiRequest;
  readonly fingerprint: string;
  /** Ask the provider even when an answer is stored; the new answer replaces it. */
  readonly fresh?: boolean;
}

/**
 * The AI capability of a handler's context: the configured provider, behind the response
 * store. Answers already stored are not asked for again; every new answer is stored with its
 * prompt and raw text before it is returned, so a crash after the answer costs nothing.
 */
export interface AiClient {
  /** Provider kind and model of the current settings: part of every AI fingerprint. */
  describe(): Promise<{ readonly provider: string; readonly model: string }>;
  complete(requests: readonly FingerprintedRequest[], signal: AbortSignal): Promise<AiItemResult[]>;
  testConnection(signal: AbortSignal): Promise<ConnectionCheck>;
}

export interface AiClientOptions {
  readonly settings: SettingsReader;
  readonly responses: ResponseStore;
  readonly now: () => number;
  readonly provider?: CreateProviderOptions;
}

/** The AI client of a runtime; the provider is rebuilt whenever the settings change. */
export function createAiClient(options: AiClientOptions): AiClient {
  let cached: { key: string; provider: AiProvider } | undefined;

  const provider = async (): Promise<AiProvider> => {
    const settings = ((await options.settings(AI_SETTINGS_KEY)) as AiSettings | undefined) ?? { provider: 'local' };
    const key = JSON.stringify(settings);
    if (cached?.key !== key) {
      try {
        cached = { key, provider: createProvider(settings, options.provider) };
      } catch (error) {
        throw new PermanentJobError(error instanceof Error ? error.message : 'The AI settings are not valid');
      }
    }
    return cached.provider;
  };

  return {
    async describe() {
      const current = await provider();
      return { provider: current.id, model: current.model };
    },
    async testConnection(signal) {
      return (await provider()).testConnection({ signal });
    },
    async complete(requests, signal) {
      const found = await options.responses.getMany(requests.map((r) => r.fingerprint));
      const stored = found.map((record, i) => (requests[i]?.fresh === true ? undefined : record));
      const missing = requests.filter((_, i) => stored[i] === undefined);
      const fresh = new Map<string, AiItemResult>();
      if (missing.length > 0) {
        const current = await provider();
        const completion = await current.complete(
          missing.map((r) => r.request),
          { signal },
        );
        const now = options.now();
        const records = missing.flatMap((r) => {
          const item = completion.items.find((candidate) => candidate.id === r.request.id);
          if (item) fresh.set(r.request.id, item);
          if (!item?.ok) return [];
          return [
            {
              fingerprint: r.fingerprint,
              type: r.request.task,
              provider: current.id,
              model: current.model,
              request: r.request.input,
              // The item's own prompt: the batch prompt would also carry the other items.
              prompt: promptForItem(r.request),
              response: item.output,
              raw: item.raw,
              createdAt: now,
            },
          ];
        });
        await options.responses.putMany(records);
      }
      return requests.map((r, i) => {
        const record = stored[i];
        if (record) {
          return {
            id: r.request.id,
            ok: true,
            task: r.request.task,
            output: record.response,
            raw: record.raw ?? '',
          } as AiItemResult;
        }
        return (
          fresh.get(r.request.id) ?? {
            id: r.request.id,
            ok: false,
            error: {
              name: 'AiProviderError',
              code: 'ai-missing-item',
              message: 'The answer had no item for this request',
              retryable: true,
            },
          }
        );
      });
    },
  };
}

/** The client of a runtime with no AI: any use fails the job with a clear, permanent error. */
export const noAiClient: AiClient = {
  describe: () => Promise.reject(new PermanentJobError('This runtime has no AI provider')),
  complete: () => Promise.reject(new PermanentJobError('This runtime has no AI provider')),
  testConnection: () => Promise.reject(new PermanentJobError('This runtime has no AI provider')),
};
