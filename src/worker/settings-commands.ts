import { InvalidInputError, assertText, type WorkerApi } from '../shared';
import type { SettingsRepository } from '../store';
import type { AiClient } from './ai-client';
import type { SettingsReader } from './define-job-type';
import { keepStoredSecret, redactSecrets } from './secrets';
import { toResult } from './to-result';
import { assertSetting, assertSettings } from './validate';

/** What the settings commands need of the runtime. */
export interface SettingsCommandDeps {
  readonly settings: SettingsRepository;
  readonly readSetting: SettingsReader;
  /** Throws when the runtime is closed or its store is gone. */
  readonly assertOpen: () => void;
  /** Tells the runner (in this tab or another) that the settings changed. */
  readonly nudge: (message: { readonly kind: 'settings' }) => void;
  /** The handlers' AI client, where the runtime has an AI provider. */
  readonly ai: AiClient | undefined;
}

export type SettingsCommands = Pick<WorkerApi, 'getSetting' | 'putSetting' | 'putSettings' | 'testAiConnection'>;

/** The worker API's settings commands: secrets stay in the worker, and each write nudges the runner. */
export function settingsCommands(deps: SettingsCommandDeps): SettingsCommands {
  const { settings, readSetting, assertOpen, nudge, ai } = deps;

  /** Stores checked settings all in one transaction, each keeping the stored key it leaves out; resolves redacted. */
  async function storeSettings(entries: readonly (readonly [string, unknown])[]): Promise<unknown[]> {
    const stored = await settings.putMany(entries, keepStoredSecret);
    nudge({ kind: 'settings' });
    return stored.map(redactSecrets);
  }

  return {
    getSetting: (key) =>
      toResult(async () => {
        assertText(key, 'key');
        return redactSecrets(await readSetting(key));
      }),
    putSetting: (key, value) =>
      toResult(async () => {
        assertOpen();
        assertSetting(key, value);
        const [stored] = await storeSettings([[key, value]]);
        return stored;
      }),
    putSettings: (values) =>
      toResult(async () => {
        assertOpen();
        assertSettings(values);
        const entries = Object.entries(values);
        const stored = await storeSettings(entries);
        return Object.fromEntries(entries.map(([key], index) => [key, stored[index]]));
      }),
    testAiConnection: () =>
      toResult(async () => {
        if (!ai) throw new InvalidInputError('This runtime has no AI provider');
        return ai.testConnection(AbortSignal.timeout(15_000));
      }),
  };
}
