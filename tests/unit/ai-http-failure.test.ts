import { describe, expect, it } from 'vitest';
import { PermanentJobError, RateLimitError } from '../../src/shared';
import { AiProviderError, createProvider, scrubSecret } from '../../src/worker/ai';
import { DEFAULT_RETRY_AFTER_MS, failureForResponse, retryAfterMs } from '../../src/worker/ai/http-failure';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const KEY = 'sk-live-ABCDEFGHIJKLMNOPQRSTUVWX1234';

function fail(status: number, body = '', headers: Record<string, string> = {}) {
  return failureForResponse({ status, body, headers: new Headers(headers) }, KEY, NOW);
}

describe('Retry-After', () => {
  it('reads seconds, an HTTP date and retry-after-ms', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), NOW)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }), NOW)).toBe(500);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(NOW + 30_000).toUTCString() }), NOW)).toBe(30_000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(NOW - 30_000).toUTCString() }), NOW)).toBe(0);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), NOW)).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(retryAfterMs(new Headers(), NOW)).toBeUndefined();
  });
});

describe('HTTP failures', () => {
  it('maps statuses onto the runner control flow', () => {
    const limited = fail(429, '', { 'retry-after': '2' });
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ code: 'rate-limited', retryAfterMs: 2000 });
    expect((fail(429) as RateLimitError).retryAfterMs).toBe(DEFAULT_RETRY_AFTER_MS);
    expect(fail(500)).toBeInstanceOf(AiProviderError);
    expect(fail(503)).toMatchObject({ retryable: true, status: 503 });
    expect(fail(408)).toMatchObject({ retryable: true, code: 'handler-error' });
    for (const status of [400, 401, 403, 404, 422]) expect(fail(status)).toBeInstanceOf(PermanentJobError);
    expect(fail(302)).toBeInstanceOf(PermanentJobError);
  });

  it('quotes the provider message from error.message, error as text, or plain text', () => {
    expect(fail(400, '{"error":{"message":"Invalid model"}}').message).toContain('Invalid model');
    expect(fail(400, '{"error":"model not found"}').message).toContain('model not found');
    expect(fail(404, 'no such route').message).toContain('no such route');
    expect(
      fail(400, '[{"error":{"code":400,"message":"API key not valid","status":"INVALID_ARGUMENT"}}]').message,
    ).toContain('API key not valid');
    expect(fail(502, '<html>Bad gateway</html>').message).not.toContain('<html>');
  });

  it('scrubs the key from provider messages, whole or partly masked', () => {
    const body = JSON.stringify({
      error: { message: `Incorrect API key provided: ${KEY}. Also sk-live-ABCD****1234 and Bearer ${KEY}` },
    });
    const message = fail(401, body).message;
    expect(message).not.toContain(KEY);
    expect(message).not.toContain('sk-live-ABCD');
    expect(message).toContain('Incorrect API key provided');
  });
});

describe('scrubSecret', () => {
  it('leaves text without the secret alone', () => {
    expect(scrubSecret('model gpt-x not found', KEY)).toBe('model gpt-x not found');
    expect(scrubSecret('anything', '')).toBe('anything');
  });
});

describe('createProvider', () => {
  it('refuses settings that cannot work, without echoing the key', () => {
    const base = { provider: 'openai-compatible', apiKey: KEY, model: 'm' } as const;
    expect(() => createProvider({ ...base, baseUrl: 'ftp://example.invalid' })).toThrow(/http/);
    expect(() => createProvider({ ...base, baseUrl: '' })).toThrow(/base URL/);
    expect(() => createProvider({ ...base, baseUrl: 'http://127.0.0.1:1/v1', model: ' ' })).toThrow(/model/);
    try {
      createProvider({ ...base, baseUrl: `http://user:${KEY}@127.0.0.1/v1` });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(KEY);
    }
    expect(createProvider({ provider: 'local' }).id).toBe('local');
    const remote = createProvider({ ...base, baseUrl: 'http://127.0.0.1:1/v1/' });
    expect(JSON.stringify(remote)).not.toContain(KEY);
    expect(remote).toMatchObject({ id: 'openai-compatible', model: 'm', baseUrl: 'http://127.0.0.1:1/v1' });
  });
});
