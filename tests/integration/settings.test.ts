import { afterEach, describe, expect, it } from 'vitest';
import { ErrandDb } from '../../src/store';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import { untilJobs } from '../helpers/wait';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const KEY = 'sk-test-0123456789abcdef';

describe('settings', () => {
  it('never hands the API key out, and keeps it when an update leaves it out', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const saved = await client.putSetting('ai', {
      provider: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      apiKey: KEY,
    });
    expect(saved).toEqual({
      provider: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      hasApiKey: true,
      apiKeyHint: '…cdef',
    });
    expect(JSON.stringify(await client.getSetting('ai'))).not.toContain(KEY);

    await client.putSetting('ai', {
      provider: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'other',
      hasApiKey: true,
      apiKeyHint: '…cdef',
    });
    const raw = new ErrandDb(harness.dbName);
    expect(await raw.settings.get('ai')).toEqual({
      key: 'ai',
      value: { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'other', apiKey: KEY },
    });

    await client.putSetting('ai', { provider: 'local', apiKey: '' });
    expect(await client.getSetting('ai')).toEqual({ provider: 'local', hasApiKey: false, apiKeyHint: '' });
    raw.close();
  });

  it('watchSetting follows what another client stores, the key still redacted', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    // Another tab: a client of the same store, with its own runtime.
    const other = createHarness({ types, dbName: harness.dbName, lock: harness.lock });
    const seen: unknown[] = [];
    let check = (): void => undefined;
    /** Resolves once the latest value seen is `expected`. */
    const until = (expected: unknown) =>
      new Promise<void>((resolve) => {
        check = () => {
          if (JSON.stringify(seen.at(-1)) === JSON.stringify(expected)) resolve();
        };
        if (seen.length > 0) check();
      });
    const stop = harness.client.watchSetting('ai').subscribe((value) => {
      seen.push(value);
      check();
    });
    try {
      await until(undefined);
      await other.client.putSetting('ai', {
        provider: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:9/v1',
        model: 'm',
        apiKey: KEY,
      });
      await until({
        provider: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:9/v1',
        model: 'm',
        hasApiKey: true,
        apiKeyHint: '…cdef',
      });
      expect(JSON.stringify(seen)).not.toContain(KEY);
    } finally {
      stop();
      await other.close();
    }
  });

  it('refuses a key no request could carry, and keeps the stored setting', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const before = await client.putSetting('ai', {
      provider: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      apiKey: KEY,
    });
    for (const apiKey of ['sk-abc“def', 'sk-abc\u200bdef', 'Bearer sk-abc']) {
      await expect(
        client.putSetting('ai', {
          provider: 'openai-compatible',
          baseUrl: 'http://127.0.0.1:9/v1',
          model: 'm',
          apiKey,
        }),
      ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^apiKey: /) });
    }
    expect(await client.getSetting('ai')).toEqual(before);
  });

  it('refuses AI settings that could only fail every call, naming the field, and keeps the stored setting', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const remote = { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' };
    const before = await client.putSetting('ai', { ...remote, apiKey: KEY });
    const refused: [unknown, RegExp][] = [
      ['local', /^ai must be an object/],
      [{ ...remote, provider: 'gemini' }, /^ai\.provider must be "local" or "openai-compatible", not /],
      [{ provider: undefined }, /^ai\.provider must be /],
      [{ ...remote, baseUrl: '' }, /^baseUrl: Enter the server’s base URL/],
      [{ ...remote, baseUrl: 'api.openai.com/v1' }, /^baseUrl: Enter a full URL starting with http/],
      [{ ...remote, baseUrl: 'ftp://example.com/v1' }, /^baseUrl: The URL must start with http/],
      [{ ...remote, baseUrl: 'https://example.com/v1?key=abc' }, /^baseUrl: Leave out the part from \? or #/],
      [{ ...remote, baseUrl: 'https://api.openai.com/v1/chat/completions' }, /^baseUrl: Enter the base URL, without/],
      [{ ...remote, model: ' ' }, /^model: Enter the model name/],
      [{ ...remote, model: undefined }, /^model: Enter the model name/],
      [{ ...remote, model: 42 }, /^ai\.model must be a text, not /],
      [{ ...remote, apiKey: 7 }, /^ai\.apiKey must be a text, not /],
    ];
    for (const [value, message] of refused) {
      await expect(client.putSetting('ai', value)).rejects.toMatchObject({
        code: 'invalid-input',
        message: expect.stringMatching(message),
      });
    }
    expect(await client.getSetting('ai')).toEqual(before);
    // The local provider needs neither URL nor model; what the form kept for switching back stays.
    expect(await client.putSetting('ai', { provider: 'local', baseUrl: 'not a url', model: '' })).toMatchObject({
      provider: 'local',
      baseUrl: 'not a url',
    });
  });

  it('refuses a setting that cannot be stored', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    await expect(harness.client.putSetting('notes', { f: () => 1 })).rejects.toMatchObject({ code: 'data-clone' });
    expect(await harness.client.getSetting('notes')).toBeUndefined();
  });

  it('putSettings stores several settings together, each redacted in the answer, the stored key kept', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const remote = { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' };
    await client.putSetting('ai', { ...remote, apiKey: KEY });
    const answer = await client.putSettings({ ai: { ...remote, model: 'other' }, limits: { concurrency: 2 } });
    expect(answer).toEqual({
      ai: { ...remote, model: 'other', hasApiKey: true, apiKeyHint: '…cdef' },
      limits: { concurrency: 2 },
    });
    expect(JSON.stringify(answer)).not.toContain(KEY);
    const raw = new ErrandDb(harness.dbName);
    expect(await raw.settings.get('ai')).toEqual({ key: 'ai', value: { ...remote, model: 'other', apiKey: KEY } });
    expect(await client.getSetting('limits')).toEqual({ concurrency: 2 });
    raw.close();
  });

  it('putSettings stores none of the settings when one is refused', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    await client.putSettings({ ai: { provider: 'local' }, limits: { concurrency: 4 } });
    const refused: [unknown, string, RegExp][] = [
      [
        {
          ai: { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' },
          limits: { concurrency: 0 },
        },
        'invalid-input',
        /^limits\.concurrency must be a whole number/,
      ],
      [{ limits: { concurrency: 2 }, ai: { provider: 'gemini' } }, 'invalid-input', /^ai\.provider must be /],
      [{ limits: { concurrency: 2 }, notes: { f: () => 1 } }, 'data-clone', /./],
      [{}, 'invalid-input', /^settings must hold at least one setting/],
      [[{ concurrency: 2 }], 'invalid-input', /^settings must be an object/],
      [null, 'invalid-input', /^settings must be an object/],
    ];
    for (const [values, code, message] of refused) {
      await expect(client.putSettings(values as Record<string, unknown>)).rejects.toMatchObject({
        code,
        message: expect.stringMatching(message),
      });
    }
    expect(await client.getSetting('ai')).toEqual({ provider: 'local' });
    expect(await client.getSetting('limits')).toEqual({ concurrency: 4 });
    expect(await client.getSetting('notes')).toBeUndefined();
  });

  it('putSettings stores none of the settings when the write of one fails', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    await client.putSettings({ ai: { provider: 'local', model: 'before' }, limits: { concurrency: 4 } });
    // The disk refuses the second record's write, inside the transaction that wrote the first.
    const refuse = (key: unknown): void => {
      if (key === 'limits') throw new DOMException('The disk is full', 'QuotaExceededError');
    };
    const settings = harness.runtime.store.db.settings;
    settings.hook('updating', (_changes, key) => refuse(key));
    await expect(
      client.putSettings({ ai: { provider: 'local', model: 'after' }, limits: { concurrency: 2 } }),
    ).rejects.toMatchObject({ code: 'quota-exceeded' });
    settings.hook('updating').unsubscribe(refuse as never);
    expect(await client.getSetting('ai')).toMatchObject({ provider: 'local', model: 'before' });
    expect(await client.getSetting('limits')).toEqual({ concurrency: 4 });
  });

  it('applies the global concurrency limit from the settings', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types, concurrency: 3 });
    const { client } = harness;
    await harness.runtime.becameRunner;
    await client.putSetting('limits', { concurrency: 1 });
    const jobs = await client.enqueueMany(
      Array.from({ length: 3 }, (_, i) => ({ type: 'sleep', payload: { key: `c${i}` } })),
    );
    await untilJobs(client, (all) => all.some((job) => job.status === 'running'));
    for (let i = 0; i < 3; i++) probe.gate.open(`sleep:c${i}`);
    for (const job of jobs) await client.waitFor(job.id);
    expect(probe.maxRunningTotal).toBe(1);
  });
});
