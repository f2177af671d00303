import { PermanentJobError, RateLimitError } from '../../shared';
import { AiProviderError } from './ai-provider-error';
import { parseJsonSafely } from './read-batch-answer';
import { scrubSecret } from './scrub-secret';

/** Wait used when a 429 names no time: long enough not to hammer, short enough to notice. */
export const DEFAULT_RETRY_AFTER_MS = 20_000;
/** A server asking for more than a day is treated as asking for a day. */
const MAX_RETRY_AFTER_MS = 86_400_000;
const MAX_MESSAGE = 300;

/** What the failure mapping needs to know about a response. */
export interface FailedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * How long a 429 asks to wait: `retry-after-ms` (sent by some providers), else `Retry-After`
 * as seconds or as an HTTP date (RFC 9110 §10.2.3). Undefined when neither is usable.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.min(Math.ceil(Number(ms)), MAX_RETRY_AFTER_MS);
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.min(Math.ceil(Number(value) * 1000), MAX_RETRY_AFTER_MS);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}

/**
 * The provider's own words for an error: `error.message` of the usual JSON error body
 * (`{"error": {"message"}}`, or `{"error": "..."}` from some local servers), else the start of
 * the body. Always scrubbed of the API key, since servers echo refused keys.
 */
export function providerMessage(body: string, secret: string): string | undefined {
  let message: string | undefined;
  try {
    const json = parseJsonSafely(body);
    // Gemini's OpenAI endpoint has answered errors as a one-element array.
    const parsed = (Array.isArray(json) ? json[0] : json) as { error?: unknown; message?: unknown } | null;
    const error = parsed?.error;
    if (typeof error === 'string') message = error;
    else if (
      typeof error === 'object' &&
      error !== null &&
      typeof (error as { message?: unknown }).message === 'string'
    ) {
      message = (error as { message: string }).message;
    } else if (typeof parsed?.message === 'string') message = parsed.message;
  } catch {
    message = body.trim() === '' || body.trimStart().startsWith('<') ? undefined : body;
  }
  if (message === undefined || message.trim() === '') return undefined;
  const clean = scrubSecret(message.trim().replace(/\s+/g, ' '), secret);
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}

function errorCode(body: string): string | undefined {
  try {
    const json = parseJsonSafely(body);
    const error = ((Array.isArray(json) ? json[0] : json) as { error?: { code?: unknown; type?: unknown } } | null)
      ?.error;
    const code = error?.code ?? error?.type;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Maps an HTTP failure onto the runner's control flow: 429 waits without using an attempt,
 * 408 and 5xx back off and retry, any other status fails the job for good with the provider's
 * message (a wrong key, model or URL does not fix itself).
 */
export function failureForResponse(response: FailedResponse, secret: string, now: number): Error {
  const { status } = response;
  const said = providerMessage(response.body, secret);
  const detail = said === undefined ? `HTTP ${status}` : `HTTP ${status}: ${said}`;
  if (status === 429) {
    // Exhausted credit is reported as 429 by some providers, but waiting will not refill it.
    if (errorCode(response.body) === 'insufficient_quota') {
      return new PermanentJobError(`The AI provider refused the request (${detail})`);
    }
    const wait = retryAfterMs(response.headers, now) ?? DEFAULT_RETRY_AFTER_MS;
    return new RateLimitError(
      wait,
      // No "retrying in …" here: the message is stored and read later, beside a live countdown.
      `The AI provider is rate limiting (${detail}) and asked for a pause of ${Math.ceil(wait / 1000)} s`,
    );
  }
  if (status === 408 || status >= 500) return new AiProviderError(`The AI provider failed (${detail})`, status);
  if (status >= 300 && status < 400) {
    return new PermanentJobError(
      `The AI provider redirected the request (${detail}); set the base URL to the final address`,
    );
  }
  return new PermanentJobError(`The AI provider refused the request (${detail})`);
}
