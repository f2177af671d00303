import { toJobError } from '../../shared';
import { AiProviderError } from './ai-provider-error';
import { checkBatch, inRequestOrder } from './batch-check';
import { failureForResponse, type FailedResponse } from './http-failure';
import { malformedItem } from './item-failure';
import { buildBatchPrompt } from './prompts';
import type { AiCallOptions, AiCompletion, AiItemResult, AiProvider, AiRequest, ConnectionCheck } from './provider';
import { parseJsonSafely, readBatchAnswer } from './read-batch-answer';
import { scrubSecret } from './scrub-secret';

/** Settings of an OpenAI-compatible chat-completions server. */
export interface OpenAiCompatibleOptions {
  /** Up to and including the API version, e.g. `http://127.0.0.1:11434/v1`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …` to `baseUrl` only. Empty for servers that need none. @default '' */
  readonly apiKey?: string;
  readonly model: string;
  /**
   * `response_format: {type: 'json_object'}`. `auto` asks for it and, when a server refuses
   * the field, asks again once without it and stops asking. @default 'auto'
   */
  readonly jsonMode?: 'auto' | 'always' | 'never';
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Current time in ms, for `Retry-After` dates. @default Date.now */
  readonly now?: () => number;
}

interface Reply {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: Headers;
  readonly body: string;
}

const JSON_MODE_REFUSAL = /response_format|json_object|json mode|json_schema/i;

/**
 * A provider speaking the chat-completions API: OpenAI, Gemini's OpenAI endpoint, Ollama,
 * LM Studio, llama.cpp server, vLLM. A batch is one `POST {baseUrl}/chat/completions` whose
 * prompt lists every item and asks for `{"items": [...]}` back.
 */
export class OpenAiCompatibleProvider implements AiProvider {
  readonly id = 'openai-compatible';
  readonly model: string;
  readonly #baseUrl: string;
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #jsonMode: 'auto' | 'always' | 'never';

  constructor(options: OpenAiCompatibleOptions) {
    this.#baseUrl = normaliseBaseUrl(options.baseUrl);
    this.#apiKey = options.apiKey ?? '';
    this.model = options.model;
    this.#jsonMode = options.jsonMode ?? 'auto';
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#now = options.now ?? Date.now;
  }

  /** The base URL requests go to (no key in it). */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  async complete(requests: readonly AiRequest[], options: AiCallOptions): Promise<AiCompletion> {
    options.signal.throwIfAborted();
    const { sendable, refused } = checkBatch(requests);
    if (sendable.length === 0) {
      return { items: inRequestOrder(requests, refused, []), prompt: '', rawResponse: '' };
    }
    const prompt = buildBatchPrompt(sendable);
    const body = (jsonMode: boolean) =>
      JSON.stringify({
        model: this.model,
        messages: prompt.messages,
        temperature: 0,
        ...(jsonMode ? { response_format: { type: 'json_object' } } : {}),
      });
    let reply = await this.#send('POST', '/chat/completions', body(this.#jsonMode !== 'never'), options.signal);
    if (this.#jsonMode === 'auto' && refusesJsonMode(reply)) {
      this.#jsonMode = 'never';
      reply = await this.#send('POST', '/chat/completions', body(false), options.signal);
    }
    if (!reply.ok) throw this.#failure(reply);
    const rawResponse = scrubSecret(reply.body, this.#apiKey);
    const content = messageContent(rawResponse);
    const answered: AiItemResult[] =
      content === undefined
        ? sendable.map((r) => malformedItem(r.id, "The provider's reply held no message content", rawResponse))
        : readBatchAnswer(sendable, content);
    return { items: inRequestOrder(requests, refused, answered), prompt: prompt.text, rawResponse };
  }

  async testConnection(options: AiCallOptions): Promise<ConnectionCheck> {
    try {
      const listed = await this.#send('GET', '/models', undefined, options.signal);
      if (listed.ok) {
        const models = modelIds(listed.body);
        const known = models.length === 0 || models.includes(this.model);
        const detail = known
          ? `Connected; model ${this.model} is available`
          : `Connected, but the server does not list model ${this.model}`;
        return { ok: true, detail, models, ...(known ? {} : { modelUnlisted: true }) };
      }
      // Some servers have no model list; a one-word completion shows the settings work.
      if (listed.status !== 404 && listed.status !== 405) throw this.#failure(listed);
      const probe = JSON.stringify({
        model: this.model,
        messages: [{ role: 'user', content: 'Reply with the word ok.' }],
        temperature: 0,
        max_tokens: 5,
      });
      const answered = await this.#send('POST', '/chat/completions', probe, options.signal);
      if (!answered.ok) throw this.#failure(answered);
      return { ok: true, detail: `Connected; model ${this.model} answered`, models: [] };
    } catch (error) {
      const reason: unknown = options.signal.reason;
      // A check that ran out of time says which server did not answer, not the browser's words.
      if (options.signal.aborted && reason instanceof DOMException && reason.name === 'TimeoutError') {
        return {
          ok: false,
          error: {
            name: 'AiProviderError',
            code: 'timeout',
            message: `The AI provider at ${this.#baseUrl} did not answer in time; check the base URL and that the server is running`,
            retryable: true,
          },
        };
      }
      if (options.signal.aborted) throw reason;
      return { ok: false, error: toJobError(error) };
    }
  }

  async #send(method: 'GET' | 'POST', path: string, body: string | undefined, signal: AbortSignal): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#apiKey !== '') headers['authorization'] = `Bearer ${this.#apiKey}`;
    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal,
        // A redirect could carry the key to another host; a base URL must be the final address.
        redirect: 'manual',
        credentials: 'omit',
      });
    } catch (error) {
      throw this.#networkFailure(error, signal);
    }
    if (response.type === 'opaqueredirect') {
      return { status: 302, ok: false, headers: response.headers, body: '' };
    }
    try {
      return { status: response.status, ok: response.ok, headers: response.headers, body: await response.text() };
    } catch (error) {
      throw this.#networkFailure(error, signal);
    }
  }

  #networkFailure(error: unknown, signal: AbortSignal): unknown {
    if (signal.aborted) return signal.reason;
    const said = error instanceof Error ? scrubSecret(error.message, this.#apiKey) : 'unknown error';
    return new AiProviderError(`Could not reach the AI provider at ${this.#baseUrl} (${said})`);
  }

  #failure(reply: FailedResponse): Error {
    return failureForResponse(reply, this.#apiKey, this.#now());
  }
}

function normaliseBaseUrl(value: string): string {
  // URL() would quietly turn a space into %20, giving an address no server answers.
  if (/\s/.test(value.trim())) throw new TypeError('The AI base URL cannot contain spaces');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new TypeError('The AI base URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError('The AI base URL must be http or https');
  // Credentials in the URL would end up in logs and error messages with the URL.
  if (url.username !== '' || url.password !== '')
    throw new TypeError('Put the API key in its own field, not in the URL');
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}

function refusesJsonMode(reply: Reply): boolean {
  return (reply.status === 400 || reply.status === 422) && JSON_MODE_REFUSAL.test(reply.body);
}

function messageContent(body: string): string | undefined {
  try {
    const parsed = parseJsonSafely(body) as { choices?: { message?: { content?: unknown } }[] } | null;
    const content = parsed?.choices?.[0]?.message?.content;
    return typeof content === 'string' ? content : undefined;
  } catch {
    return undefined;
  }
}

function modelIds(body: string): string[] {
  try {
    const parsed = parseJsonSafely(body) as { data?: { id?: unknown }[] } | null;
    const ids = (parsed?.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
    return ids.sort();
  } catch {
    return [];
  }
}
