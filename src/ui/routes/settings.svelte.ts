import {
  apiKeyProblem,
  baseUrlProblem,
  LIMIT_MAXIMUMS,
  SETTINGS_KEYS,
  type AiConnectionCheck,
  type ErrandClient,
  type LimitsSetting,
} from '../../client';
import { toldByAppAlert } from '../lib/app-alerts';
import { readAiSetting, type ProviderName, type RedactedAiSetting } from './ai-setting';
import { keptDraft, type DraftKeeper } from './draft-keeper';
import {
  countProblem,
  editedFields,
  formDiffers,
  readLimits,
  storedForm,
  type SettingsField,
  type SettingsForm,
} from './settings-form';
import { shownError, type ShownError } from './shown-error';

const MAX_REQUESTS_PER_MINUTE = LIMIT_MAXIMUMS.aiRequestsPerMinute;
const MAX_CONCURRENCY = LIMIT_MAXIMUMS.concurrency;

/** The settings screen: the AI provider (its key write-only) and the runtime's limits. */
export class SettingsState {
  loaded = $state(false);
  provider: ProviderName = $state('local');
  baseUrl = $state('');
  model = $state('');
  /** A new key to store; empty keeps the saved one. Never filled from storage. */
  apiKey = $state('');
  aiRequestsPerMinute = $state('');
  concurrency = $state('');
  saved: RedactedAiSetting = $state.raw(readAiSetting(undefined));
  savedLimits: LimitsSetting = $state.raw({});
  /** Set once a save was tried, so that problems show only after that or once a field has text. */
  submitted = $state(false);
  busy: 'saving' | 'removing' | 'testing' | undefined = $state(undefined);
  status: string | undefined = $state(undefined);
  error: ShownError | undefined = $state.raw(undefined);
  check: AiConnectionCheck | undefined = $state.raw(undefined);
  /** Set once the form showed what is stored. */
  #filled = false;

  readonly problems: Partial<Record<SettingsField, string>> = $derived.by(() => {
    const remote = this.provider === 'openai-compatible';
    const found: Partial<Record<SettingsField, string>> = {};
    const url = remote ? baseUrlProblem(this.baseUrl) : undefined;
    if (url !== undefined && (this.submitted || this.baseUrl.trim() !== '')) found.baseUrl = url;
    if (remote && this.model.trim() === '' && this.submitted) found.model = 'Enter the model name, e.g. gpt-4o-mini';
    const key = remote ? apiKeyProblem(this.apiKey) : undefined;
    if (key !== undefined) found.apiKey = key;
    const rpm = countProblem(this.aiRequestsPerMinute, MAX_REQUESTS_PER_MINUTE);
    if (rpm !== undefined) found.aiRequestsPerMinute = rpm;
    const concurrency = countProblem(this.concurrency, MAX_CONCURRENCY);
    if (concurrency !== undefined) found.concurrency = concurrency;
    return found;
  });

  /** The form as it stands. */
  readonly form: SettingsForm = $derived({
    provider: this.provider,
    baseUrl: this.baseUrl,
    model: this.model,
    apiKey: this.apiKey,
    aiRequestsPerMinute: this.aiRequestsPerMinute,
    concurrency: this.concurrency,
  });
  /** True once loaded when the form holds edits that are not saved. */
  readonly unsaved: boolean = $derived(this.loaded && formDiffers(this.form, storedForm(this.saved, this.savedLimits)));

  constructor(
    private readonly client: ErrandClient,
    private readonly drafts: DraftKeeper = keptDraft,
  ) {}

  /**
   * Fills the form from storage, the key field empty; edits left unsaved on an earlier visit
   * of this tab come back over it.
   */
  async load(): Promise<void> {
    try {
      const [ai, limits] = await Promise.all([
        this.client.getSetting(SETTINGS_KEYS.ai),
        this.client.getSetting(SETTINGS_KEYS.limits),
      ]);
      this.#showAi(readAiSetting(ai));
      this.savedLimits = readLimits(limits);
      this.aiRequestsPerMinute = storedForm(this.saved, this.savedLimits).aiRequestsPerMinute;
      this.concurrency = storedForm(this.saved, this.savedLimits).concurrency;
      const draft = this.drafts.form;
      this.drafts.form = undefined;
      // The edits over what is stored now, which another tab may have changed meanwhile.
      if (draft) this.#fill({ ...storedForm(this.saved, this.savedLimits), ...draft });
      this.#filled = true;
    } catch (error) {
      this.error = shownError(error);
    } finally {
      this.loaded = true;
    }
  }

  /**
   * Loads the form, then follows what is stored: a change saved in another tab shows at once in
   * every field not edited here, where the edits stay (a save from here would otherwise put this
   * tab's old values back over it). Returns the teardown.
   */
  start(): () => void {
    let stopped = false;
    let unfollow = (): void => undefined;
    void this.load().then(() => {
      if (stopped || !this.#filled) return;
      const failed = (error: unknown) => {
        if (!toldByAppAlert(error)) this.error = shownError(error);
      };
      const stopAi = this.client
        .watchSetting(SETTINGS_KEYS.ai)
        .subscribe((value) => this.#stored({ ai: readAiSetting(value) }), failed);
      const stopLimits = this.client
        .watchSetting(SETTINGS_KEYS.limits)
        .subscribe((value) => this.#stored({ limits: readLimits(value) }), failed);
      unfollow = () => {
        stopAi();
        stopLimits();
      };
    });
    return () => {
      stopped = true;
      unfollow();
    };
  }

  /** Validates every field, then stores both settings; on a problem nothing is stored. */
  async save(): Promise<boolean> {
    // The button stays focusable while busy (aria-disabled); a press meanwhile is ignored.
    if (this.busy !== undefined) return false;
    this.submitted = true;
    this.status = undefined;
    this.error = undefined;
    if (Object.keys(this.problems).length > 0) return false;
    this.busy = 'saving';
    try {
      const key = this.apiKey.trim();
      const ai = {
        provider: this.provider,
        ...(baseUrlProblem(this.baseUrl) === undefined ? { baseUrl: this.baseUrl.trim() } : {}),
        ...(this.model.trim() === '' ? {} : { model: this.model.trim() }),
        // A key typed for the remote provider is not stored with the local one, which shows no key field.
        ...(key === '' || this.provider !== 'openai-compatible' ? {} : { apiKey: key }),
      };
      const rpm = this.aiRequestsPerMinute.trim();
      const concurrency = this.concurrency.trim();
      const limits: LimitsSetting = {
        ...(rpm === '' ? {} : { aiRequestsPerMinute: Number(rpm) }),
        ...(concurrency === '' ? {} : { concurrency: Number(concurrency) }),
      };
      const stored = await this.client.putSettings({ [SETTINGS_KEYS.ai]: ai, [SETTINGS_KEYS.limits]: limits });
      this.#showAi(readAiSetting(stored[SETTINGS_KEYS.ai]));
      this.savedLimits = limits;
      this.drafts.form = undefined;
      this.submitted = false;
      this.check = undefined;
      this.status = 'Settings saved';
      return true;
    } catch (error) {
      this.error = shownError(error);
      return false;
    } finally {
      this.busy = undefined;
    }
  }

  /** Clears the stored key, keeping the rest of the saved provider settings. */
  async removeKey(): Promise<void> {
    if (this.busy !== undefined) return;
    this.status = undefined;
    this.error = undefined;
    this.busy = 'removing';
    try {
      const { provider, baseUrl, model } = this.saved;
      const stored = readAiSetting(
        await this.client.putSetting(SETTINGS_KEYS.ai, { provider, baseUrl, model, apiKey: '' }),
      );
      this.saved = stored;
      this.apiKey = '';
      this.check = undefined;
      this.status = 'The API key was removed';
    } catch (error) {
      this.error = shownError(error);
    } finally {
      this.busy = undefined;
    }
  }

  /** Asks the saved provider to answer. */
  async test(): Promise<void> {
    if (this.busy !== undefined) return;
    this.error = undefined;
    this.check = undefined;
    this.busy = 'testing';
    try {
      this.check = await this.client.testAiConnection();
    } catch (error) {
      this.check = { ok: false, error: { name: 'Error', retryable: false, ...shownError(error) } };
    } finally {
      this.busy = undefined;
    }
  }

  /** True when the form differs from what is stored, so a test would not try these values. */
  get dirty(): boolean {
    const s = this.saved;
    return (
      this.provider !== s.provider ||
      this.baseUrl.trim() !== s.baseUrl ||
      this.model.trim() !== s.model ||
      this.apiKey.trim() !== ''
    );
  }

  /** A field was edited: the last outcome ("Settings saved") no longer speaks for the form. */
  edited(): void {
    this.status = undefined;
  }

  /** Keeps unsaved edits for the next visit of this tab, as the page is left; forgets saved ones. */
  keepDraft(): void {
    // A form that never showed what is stored holds no edits, and a kept draft stays kept.
    if (!this.#filled) return;
    this.drafts.form = this.unsaved ? editedFields(this.form, storedForm(this.saved, this.savedLimits)) : undefined;
  }

  /** Puts the form back to what is stored. */
  discard(): void {
    this.#fill(storedForm(this.saved, this.savedLimits));
    this.drafts.form = undefined;
    this.submitted = false;
    this.status = undefined;
  }

  /** Shows what is stored now, with this form's edits over it. */
  #stored(now: { readonly ai?: RedactedAiSetting; readonly limits?: LimitsSetting }): void {
    const edits = editedFields(this.form, storedForm(this.saved, this.savedLimits));
    const { ai } = now;
    if (ai) {
      // A test of the provider that is no longer saved says nothing about the one that is.
      if ((Object.keys(ai) as (keyof RedactedAiSetting)[]).some((key) => ai[key] !== this.saved[key])) {
        this.check = undefined;
      }
      this.saved = ai;
    }
    if (now.limits) this.savedLimits = now.limits;
    this.#fill({ ...storedForm(this.saved, this.savedLimits), ...edits });
  }

  #fill(form: SettingsForm): void {
    this.provider = form.provider;
    this.baseUrl = form.baseUrl;
    this.model = form.model;
    this.apiKey = form.apiKey;
    this.aiRequestsPerMinute = form.aiRequestsPerMinute;
    this.concurrency = form.concurrency;
  }

  #showAi(ai: RedactedAiSetting): void {
    this.saved = ai;
    this.provider = ai.provider;
    this.baseUrl = ai.baseUrl;
    this.model = ai.model;
    this.apiKey = '';
  }
}
