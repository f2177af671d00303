import { describe, expect, it, vi } from 'vitest';
import type { ErrandClient } from '../../src/client';
import type { DraftKeeper } from '../../src/ui/routes/draft-keeper';
import { formDiffers, storedForm, type SettingsForm } from '../../src/ui/routes/settings-form';
import { SettingsState } from '../../src/ui/routes/settings.svelte';

const SAVED: SettingsForm = {
  provider: 'openai-compatible',
  baseUrl: 'https://api.example.com/v1',
  model: 'small',
  apiKey: '',
  aiRequestsPerMinute: '30',
  concurrency: '',
};

describe('formDiffers', () => {
  it('sees no change in the stored values, with spaces around them or not', () => {
    expect(formDiffers(SAVED, SAVED)).toBe(false);
    expect(formDiffers({ ...SAVED, model: ' small ', aiRequestsPerMinute: '30 ' }, SAVED)).toBe(false);
  });

  it('sees a change in any field, and in any key typed, which is never stored in the form', () => {
    expect(formDiffers({ ...SAVED, provider: 'local' }, SAVED)).toBe(true);
    expect(formDiffers({ ...SAVED, concurrency: '2' }, SAVED)).toBe(true);
    expect(formDiffers({ ...SAVED, apiKey: 'sk-new' }, SAVED)).toBe(true);
  });
});

describe('storedForm', () => {
  it('shows limits not set as empty fields and the key field empty', () => {
    const ai = { provider: 'local', baseUrl: '', model: '', hasApiKey: true, apiKeyHint: '…wxyz' } as const;
    expect(storedForm(ai, { concurrency: 4 })).toEqual({
      provider: 'local',
      baseUrl: '',
      model: '',
      apiKey: '',
      aiRequestsPerMinute: '',
      concurrency: '4',
    });
  });
});

/** A client holding the settings in memory, answering reads when `open` is called if `held`. */
function fakeClient(options: { held?: boolean } = {}) {
  const stored: Record<string, unknown> = {
    ai: { provider: 'openai-compatible', baseUrl: SAVED.baseUrl, model: 'small', hasApiKey: false, apiKeyHint: '' },
    limits: { aiRequestsPerMinute: 30 },
  };
  const waiting: (() => void)[] = [];
  const client = {
    getSetting: (key: string) =>
      options.held ? new Promise((resolve) => waiting.push(() => resolve(stored[key]))) : Promise.resolve(stored[key]),
    putSettings: (values: Record<string, Record<string, unknown>>) => {
      for (const [key, value] of Object.entries(values)) {
        const { apiKey, ...rest } = value;
        stored[key] = key === 'ai' ? { ...rest, hasApiKey: typeof apiKey === 'string' && apiKey !== '' } : value;
      }
      return Promise.resolve(Object.fromEntries(Object.keys(values).map((key) => [key, stored[key]])));
    },
  } as unknown as ErrandClient;
  return { client, stored, open: () => waiting.splice(0).forEach((answer) => answer()) };
}

async function opened(client: ErrandClient, drafts: DraftKeeper): Promise<SettingsState> {
  const settings = new SettingsState(client, drafts);
  await settings.load();
  return settings;
}

describe('unsaved edits', () => {
  it('are kept when the page is left, and come back, key included, on the next visit', async () => {
    const drafts: DraftKeeper = { form: undefined };
    const { client } = fakeClient();
    const first = await opened(client, drafts);
    expect(first.unsaved).toBe(false);
    first.model = 'large';
    first.concurrency = '2';
    first.apiKey = 'sk-typed';
    expect(first.unsaved).toBe(true);
    first.keepDraft();

    const second = await opened(client, drafts);
    expect([second.model, second.concurrency, second.apiKey, second.baseUrl]).toEqual([
      'large',
      '2',
      'sk-typed',
      SAVED.baseUrl,
    ]);
    expect(second.unsaved).toBe(true);
  });

  it('keep only the fields edited: what another tab saved meanwhile shows in the others', async () => {
    const drafts: DraftKeeper = { form: undefined };
    const { client, stored } = fakeClient();
    const first = await opened(client, drafts);
    first.concurrency = '4';
    first.keepDraft();
    expect(drafts.form).toEqual({ concurrency: '4' });

    // Another tab saves a new rate.
    stored['limits'] = { aiRequestsPerMinute: 7 };
    const second = await opened(client, drafts);
    expect([second.concurrency, second.aiRequestsPerMinute, second.model]).toEqual(['4', '7', 'small']);
    expect(second.unsaved).toBe(true);
    await second.save();
    expect(stored['limits']).toEqual({ aiRequestsPerMinute: 7, concurrency: 4 });
  });

  it('are not kept once saved, nor when the form was left as stored', async () => {
    const drafts: DraftKeeper = { form: undefined };
    const { client, stored } = fakeClient();
    const page = await opened(client, drafts);
    page.concurrency = '2';
    page.keepDraft();
    expect(drafts.form).toBeDefined();

    const again = await opened(client, drafts);
    expect(await again.save()).toBe(true);
    expect(stored['limits']).toEqual({ aiRequestsPerMinute: 30, concurrency: 2 });
    expect(again.unsaved).toBe(false);
    expect(drafts.form).toBeUndefined();
    again.keepDraft();
    expect(drafts.form).toBeUndefined();
  });

  it('Discard puts the stored values back and forgets the kept edits', async () => {
    const drafts: DraftKeeper = { form: undefined };
    const { client } = fakeClient();
    const page = await opened(client, drafts);
    page.provider = 'local';
    page.aiRequestsPerMinute = '';
    page.keepDraft();
    const again = await opened(client, drafts);
    expect(again.unsaved).toBe(true);
    again.discard();
    expect([again.provider, again.aiRequestsPerMinute, again.model]).toEqual(['openai-compatible', '30', 'small']);
    expect(again.unsaved).toBe(false);
    again.keepDraft();
    expect(drafts.form).toBeUndefined();
  });

  it('a page left before it showed the stored values keeps the draft it was about to restore', async () => {
    const drafts: DraftKeeper = { form: { ...SAVED, model: 'large' } };
    const { client, open } = fakeClient({ held: true });
    const page = new SettingsState(client, drafts);
    const loading = page.load();
    page.keepDraft();
    expect(drafts.form?.model).toBe('large');
    open();
    await loading;
    expect(page.model).toBe('large');
  });
});

/** `fakeClient` with live settings: `storeElsewhere` is another tab saving one. */
function liveClient() {
  const { client, stored } = fakeClient();
  const listeners = new Map<string, Set<(value: unknown) => void>>();
  const tell = (key: string) => listeners.get(key)?.forEach((next) => next(stored[key]));
  const live = {
    ...client,
    putSettings: async (values: Record<string, unknown>) => {
      const answer = await client.putSettings(values);
      Object.keys(values).forEach(tell);
      return answer;
    },
    watchSetting: (key: string) => ({
      subscribe(next: (value: unknown) => void) {
        const each = listeners.get(key) ?? new Set();
        listeners.set(key, each.add(next));
        next(stored[key]);
        return () => each.delete(next);
      },
    }),
  } as unknown as ErrandClient;
  const storeElsewhere = (key: string, value: unknown) => {
    stored[key] = value;
    tell(key);
  };
  return { client: live, stored, storeElsewhere, listeners };
}

describe('save', () => {
  it('stores the provider and the limits in one call, so a refused save stores neither and keeps the edits', async () => {
    const { client, stored } = fakeClient();
    const calls: Record<string, unknown>[] = [];
    let refusal: Error | undefined = Object.assign(new Error('The disk is full'), { code: 'quota-exceeded' });
    const saving: ErrandClient = {
      ...client,
      putSettings: (values: Record<string, unknown>) => {
        calls.push(values);
        return refusal ? Promise.reject(refusal) : client.putSettings(values);
      },
    };
    const before = structuredClone(stored);
    const page = await opened(saving, { form: undefined });
    page.model = 'large';
    page.concurrency = '2';

    expect(await page.save()).toBe(false);
    expect(calls).toEqual([
      {
        ai: { provider: 'openai-compatible', baseUrl: SAVED.baseUrl, model: 'large' },
        limits: { aiRequestsPerMinute: 30, concurrency: 2 },
      },
    ]);
    expect(stored).toEqual(before);
    expect(page.error).toEqual({ code: 'quota-exceeded', message: 'The disk is full' });
    expect(page.status).toBeUndefined();
    expect([page.model, page.concurrency, page.unsaved]).toEqual(['large', '2', true]);

    refusal = undefined;
    expect(await page.save()).toBe(true);
    expect(stored['limits']).toEqual({ aiRequestsPerMinute: 30, concurrency: 2 });
    expect(stored['ai']).toMatchObject({ model: 'large' });
    expect([page.status, page.error, page.unsaved]).toEqual(['Settings saved', undefined, false]);
  });
});

describe('settings saved in another tab', () => {
  it('show in the fields not edited here, the edits stay, and a save keeps both', async () => {
    const { client, stored, storeElsewhere } = liveClient();
    const page = new SettingsState(client, { form: undefined });
    const stop = page.start();
    await vi.waitFor(() => expect(page.loaded).toBe(true));
    page.model = 'large';

    storeElsewhere('limits', { aiRequestsPerMinute: 30, concurrency: 5 });
    storeElsewhere('ai', { ...(stored['ai'] as object), baseUrl: 'https://other.example/v1' });
    expect([page.concurrency, page.baseUrl, page.model]).toEqual(['5', 'https://other.example/v1', 'large']);
    expect(page.unsaved).toBe(true);

    expect(await page.save()).toBe(true);
    expect(stored['limits']).toEqual({ aiRequestsPerMinute: 30, concurrency: 5 });
    expect(stored['ai']).toMatchObject({ baseUrl: 'https://other.example/v1', model: 'large' });
    expect(page.unsaved).toBe(false);

    stop();
    storeElsewhere('limits', { concurrency: 9 });
    expect(page.concurrency).toBe('5');
  });

  it('a typed key stays typed when the other tab saves the provider', async () => {
    const { client, stored, storeElsewhere } = liveClient();
    const page = new SettingsState(client, { form: undefined });
    page.start();
    await vi.waitFor(() => expect(page.loaded).toBe(true));
    page.apiKey = 'sk-typed';
    storeElsewhere('ai', { ...(stored['ai'] as object), hasApiKey: true, apiKeyHint: '…1234' });
    expect(page.apiKey).toBe('sk-typed');
    expect(page.saved.apiKeyHint).toBe('…1234');
  });
});
