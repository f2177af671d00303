import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStubServer, type StubServer } from '../../scripts/ai-stub-server.mjs';
import { PermanentJobError, RateLimitError } from '../../src/shared';
import { AiProviderError, createProvider, PROMPT_VERSIONS, type AiProvider, type AiRequest } from '../../src/worker/ai';

const KEY = 'sk-test-9f8e7d6c5b4a39281706aabbccddeeff';

let stub: StubServer;

beforeAll(async () => {
  stub = await startStubServer({ port: 0, apiKey: KEY });
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.control.reset();
});

function provider(apiKey = KEY): AiProvider {
  return createProvider({ provider: 'openai-compatible', baseUrl: stub.url, apiKey, model: 'stub-model' });
}

function recipe(id: string, text: string): AiRequest {
  return { id, task: 'recipe_parsing', input: { text }, promptVersion: PROMPT_VERSIONS.recipe_parsing };
}

function recipes(n: number): AiRequest[] {
  return Array.from({ length: n }, (_, i) =>
    recipe(`job-${i}`, `Recipe ${i}\nServes ${i + 1}\n${i + 1} cups flour\n1 1/2 tsp salt\n1. Mix everything.`),
  );
}

const signal = () => new AbortController().signal;

/** Everything a caller could see or store, as one string, to search for the key. */
function everything(value: unknown): string {
  if (value instanceof Error) {
    return JSON.stringify({ ...value, name: value.name, message: value.message, stack: value.stack });
  }
  return JSON.stringify(value);
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('openai-compatible provider against the stub server', () => {
  it('sends a batch of 10 as one HTTP request and pairs every answer with its request', async () => {
    const requests = recipes(10);
    const completion = await provider().complete(requests, { signal: signal() });

    expect(stub.control.stats().chatRequests).toBe(1);
    expect(stub.control.stats().itemsPerRequest).toEqual([10]);
    expect(completion.items.map((item) => item.id)).toEqual(requests.map((r) => r.id));
    expect(completion.items.every((item) => item.ok)).toBe(true);
    const third = completion.items[3];
    expect(third?.ok && third.task === 'recipe_parsing' ? third.output : undefined).toMatchObject({
      title: 'Recipe 3',
      servings: 4,
      ingredients: [
        { quantity: 4, unit: 'cup', name: 'flour' },
        { quantity: 1.5, unit: 'teaspoon', name: 'salt' },
      ],
      steps: ['Mix everything.'],
    });
    expect(completion.prompt).toContain('"id":"job-9"');
    expect(completion.rawResponse).toContain('chat.completion');
  });

  it('asks for JSON at temperature 0 and sends the key only as a bearer token', async () => {
    await provider().complete(recipes(1), { signal: signal() });
    const body = stub.control.stats().lastRequestBody as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'stub-model', temperature: 0, response_format: { type: 'json_object' } });
    expect(stub.control.stats().lastAuthorization).toBe(`Bearer ${KEY}`);
    expect(JSON.stringify(body)).not.toContain(KEY);
  });

  it('turns 429 with Retry-After: 2 into RateLimitError(2000)', async () => {
    stub.control.failNext(1, { status: 429, retryAfter: 2 });
    const error = await failureOf(provider().complete(recipes(3), { signal: signal() }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(2000);
    expect((error as RateLimitError).code).toBe('rate-limited');
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    stub.control.failNext(1, { status: 429, retryAfter: new Date(now + 7000).toUTCString() });
    const dated = createProvider(
      { provider: 'openai-compatible', baseUrl: stub.url, apiKey: KEY, model: 'stub-model' },
      { now: () => now },
    );
    const error = await failureOf(dated.complete(recipes(1), { signal: signal() }));
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
  });

  it("makes 500 and 408 retryable and 400 permanent with the provider's message", async () => {
    stub.control.failNext(1, { status: 500, message: 'upstream overloaded' });
    const server = await failureOf(provider().complete(recipes(2), { signal: signal() }));
    expect(server).toBeInstanceOf(AiProviderError);
    expect(server).toMatchObject({ retryable: true, status: 500 });

    stub.control.failNext(1, { status: 408 });
    expect(await failureOf(provider().complete(recipes(1), { signal: signal() }))).toMatchObject({
      name: 'AiProviderError',
      retryable: true,
    });

    stub.control.failNext(1, { status: 400, message: 'The model `nope` does not exist' });
    const refused = await failureOf(provider().complete(recipes(1), { signal: signal() }));
    expect(refused).toBeInstanceOf(PermanentJobError);
    expect((refused as PermanentJobError).code).toBe('permanent');
    expect((refused as PermanentJobError).message).toContain('The model `nope` does not exist');
  });

  it('treats a 429 for exhausted credit as permanent', async () => {
    stub.control.failNext(1, { status: 429, code: 'insufficient_quota', message: 'You exceeded your quota' });
    expect(await failureOf(provider().complete(recipes(1), { signal: signal() }))).toBeInstanceOf(PermanentJobError);
  });

  it('fails only the malformed item of a batch, as retryable', async () => {
    stub.control.malformNext(1, 'item', 2);
    const completion = await provider().complete(recipes(5), { signal: signal() });
    expect(completion.items.map((item) => item.ok)).toEqual([true, true, false, true, true]);
    const bad = completion.items[2];
    expect(bad?.ok === false ? bad.error : undefined).toMatchObject({ code: 'handler-error', retryable: true });

    stub.control.malformNext(1, 'drop-item', 0);
    const dropped = await provider().complete(recipes(3), { signal: signal() });
    expect(dropped.items.map((item) => item.ok)).toEqual([false, true, true]);
  });

  it('fails every item, retryably, when the whole answer is not JSON', async () => {
    stub.control.malformNext(1, 'whole');
    const completion = await provider().complete(recipes(3), { signal: signal() });
    expect(completion.items.map((item) => (item.ok ? 'ok' : item.error.retryable))).toEqual([true, true, true]);
    expect(completion.rawResponse).toContain('this is not JSON');
  });

  it('passes on the model refusing one item as a permanent failure of that item', async () => {
    const completion = await provider().complete([...recipes(1), recipe('odd', 'This is not a recipe at all')], {
      signal: signal(),
    });
    expect(completion.items[0]?.ok).toBe(true);
    expect(completion.items[1]).toMatchObject({ ok: false, error: { name: 'PermanentJobError', retryable: false } });
  });

  it('never lets the API key appear in an error, a message or a returned object', async () => {
    const seen: unknown[] = [];
    for (const status of [400, 401, 403, 429, 500]) {
      stub.control.failNext(1, { status, retryAfter: 1, echoKey: true, message: `Incorrect API key provided: ${KEY}` });
      seen.push(await failureOf(provider().complete(recipes(1), { signal: signal() })));
    }
    const wrongKey = await provider('sk-wrong-key-0123456789abcdef').testConnection({ signal: signal() });
    seen.push(wrongKey);
    seen.push(await provider().complete(recipes(2), { signal: signal() }));
    seen.push(await provider().testConnection({ signal: signal() }));
    stub.control.malformNext(1, 'item', 0);
    seen.push(await provider().complete(recipes(2), { signal: signal() }));
    const fragment = KEY.slice(10, 22);
    for (const value of seen) {
      expect(everything(value)).not.toContain(KEY);
      expect(everything(value)).not.toContain(fragment);
    }
    expect(wrongKey.ok).toBe(false);
    expect(everything(wrongKey)).not.toContain('sk-wrong-key-0123456789abcdef');
    expect(stub.control.stats().authorizations.every((a) => a === undefined || a.startsWith('Bearer '))).toBe(true);
  });

  it('drops response_format for a server that refuses it, and stops sending it', async () => {
    stub.control.rejectResponseFormat(true);
    const p = provider();
    const first = await p.complete(recipes(2), { signal: signal() });
    expect(first.items.every((item) => item.ok)).toBe(true);
    await p.complete(recipes(2), { signal: signal() });
    expect(stub.control.stats().chatRequests).toBe(3);
    expect(stub.control.stats().lastRequestBody).not.toHaveProperty('response_format');
  });

  it('rejects with the abort reason when the signal aborts mid-request', async () => {
    stub.control.setLatency(30_000);
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    const pending = provider().complete(recipes(2), { signal: controller.signal });
    // Wait until the stub has the request, then abort.
    while (stub.control.stats().requests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);

    const aborted = new AbortController();
    aborted.abort(reason);
    await expect(provider().complete(recipes(1), { signal: aborted.signal })).rejects.toBe(reason);
  });

  it('reports a network failure as retryable', async () => {
    const closed = await startStubServer({ port: 0 });
    const url = closed.url;
    await closed.close();
    const gone = createProvider({ provider: 'openai-compatible', baseUrl: url, apiKey: KEY, model: 'm' });
    const error = await failureOf(gone.complete(recipes(1), { signal: signal() }));
    expect(error).toBeInstanceOf(AiProviderError);
    expect((error as AiProviderError).retryable).toBe(true);
    expect(everything(error)).not.toContain(KEY);
  });

  it('tests the connection by listing models', async () => {
    const check = await provider().testConnection({ signal: signal() });
    expect(check).toMatchObject({ ok: true, models: ['stub-model'] });
    expect(check.ok && check.modelUnlisted).toBeFalsy();
    const other = createProvider({
      provider: 'openai-compatible',
      baseUrl: stub.url,
      apiKey: KEY,
      model: 'other-model',
    });
    expect(await other.testConnection({ signal: signal() })).toMatchObject({
      ok: true,
      modelUnlisted: true,
      detail: 'Connected, but the server does not list model other-model',
    });
    const bad = await provider('').testConnection({ signal: signal() });
    expect(bad).toMatchObject({ ok: false, error: { name: 'PermanentJobError', retryable: false } });
  });

  it('refuses a base URL that is not an http(s) address it can use as written', () => {
    const make = (baseUrl: string) => () =>
      createProvider({ provider: 'openai-compatible', baseUrl, apiKey: KEY, model: 'm' });
    expect(make('http://exa mple.com/v1')).toThrow('The AI base URL cannot contain spaces');
    expect(make('ftp://example.com/v1')).toThrow('The AI base URL must be http or https');
    expect(make('example.com/v1')).toThrow('The AI base URL is not a valid URL');
    expect(make('https://user:pw@example.com/v1')).toThrow('Put the API key in its own field, not in the URL');
  });

  it('a connection check that runs out of time names the server that did not answer', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
    try {
      const check = await createProvider({
        provider: 'openai-compatible',
        baseUrl: url,
        apiKey: KEY,
        model: 'm',
      }).testConnection({ signal: AbortSignal.timeout(200) });
      expect(check).toMatchObject({ ok: false, error: { code: 'timeout', retryable: true } });
      expect(check.ok === false && check.error.message).toBe(
        `The AI provider at ${url} did not answer in time; check the base URL and that the server is running`,
      );
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('listens on loopback only and takes its controls over HTTP too', async () => {
    expect(new URL(stub.url).hostname).toBe('127.0.0.1');
    const control = stub.url.replace(/\/v1$/, '/__stub');
    await fetch(`${control}/fail`, { method: 'POST', body: JSON.stringify({ count: 2, status: 503 }) });
    for (let i = 0; i < 2; i++) {
      expect(await failureOf(provider().complete(recipes(1), { signal: signal() }))).toMatchObject({ status: 503 });
    }
    expect((await provider().complete(recipes(1), { signal: signal() })).items[0]?.ok).toBe(true);
    const stats = (await (await fetch(`${control}/stats`)).json()) as { chatRequests: number };
    expect(stats.chatRequests).toBe(3);
  });

  it('refuses items whose prompt version is not current, without sending them', async () => {
    const stale: AiRequest = { ...recipe('old', 'Soup\n1 cup water'), promptVersion: 'recipe_parsing/0' };
    const completion = await provider().complete([stale, ...recipes(1)], { signal: signal() });
    expect(completion.items[0]).toMatchObject({ id: 'old', ok: false, error: { retryable: false } });
    expect(completion.items[1]?.ok).toBe(true);
    expect(stub.control.stats().itemsPerRequest).toEqual([1]);
  });
});
