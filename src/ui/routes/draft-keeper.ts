import type { SettingsForm } from './settings-form';

/**
 * Where unsaved edits wait while the page is left for another one of the app: the fields that
 * were changed only, so that what another tab saved meanwhile shows in the others on return.
 */
export interface DraftKeeper {
  form: Partial<SettingsForm> | undefined;
}

/**
 * Unsaved edits, kept when the person goes to another page of the app and put back on return.
 * In memory only, for this tab's visit: a typed API key is never written anywhere but the
 * settings table. While edits are kept, a reload or a closed tab asks before dropping them, from
 * whatever page of the app it happens on.
 */
class TabDraft implements DraftKeeper {
  #form: Partial<SettingsForm> | undefined;
  readonly #ask = (event: BeforeUnloadEvent) => event.preventDefault();

  get form(): Partial<SettingsForm> | undefined {
    return this.#form;
  }

  set form(form: Partial<SettingsForm> | undefined) {
    this.#form = form;
    if (typeof window === 'undefined') return;
    if (form) window.addEventListener('beforeunload', this.#ask);
    else window.removeEventListener('beforeunload', this.#ask);
  }
}

/** This tab's one keeper of unsaved settings edits. */
export const keptDraft: DraftKeeper = new TabDraft();
