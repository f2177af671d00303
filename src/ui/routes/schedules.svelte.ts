import { MIN_SCHEDULE_INTERVAL_MS, type ErrandClient, type JobTypeInfo, type Schedule } from '../../client';

/** Patterns offered ready-made; any cron pattern can be typed instead. */
export const CRON_PRESETS: readonly { readonly label: string; readonly cron: string }[] = [
  { label: 'Every 15 minutes', cron: '*/15 * * * *' },
  { label: 'Every hour', cron: '0 * * * *' },
  { label: 'Every day at 09:00', cron: '0 9 * * *' },
  { label: 'Every weekday at 09:00', cron: '0 9 * * 1-5' },
  { label: 'Every Monday at 08:00', cron: '0 8 * * 1' },
  { label: 'On the 1st of each month at 00:00', cron: '0 0 1 * *' },
];

/** The pattern a new schedule starts from: every day at 09:00. */
export const DEFAULT_CRON = CRON_PRESETS[2]?.cron ?? '0 9 * * *';

/** The help under the pattern field: the field counts croner reads (five, six or seven), and the least gap. */
export const CRON_HELP =
  'Five fields: minute, hour, day of month, month, day of week; six with seconds first; seven with a year last. ' +
  `At most one run every ${MIN_SCHEDULE_INTERVAL_MS / 1000} s.`;

/** A payload to start from for the Console's own job types. */
export const EXAMPLE_PAYLOADS: Readonly<Record<string, unknown>> = {
  demo_steps: { steps: 5, stepMs: 1000 },
  history_export: { format: 'csv', includePayloads: false },
  recipe_parsing: { text: 'Pancakes\n200 g flour\n2 eggs\n300 ml milk\nWhisk and fry.' },
};

/** Job types that take a file rather than text cannot be scheduled from a form. */
const FORM_TYPES_EXCLUDED = new Set(['csv_categorization', 'meal_suggestion']);

/** The browser's own time zone, which a new schedule is read in unless another is chosen. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every IANA time zone the browser knows, for the time zone field's suggestions. */
export function timeZones(): readonly string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [browserTimeZone()];
}

/** Reads the payload field: JSON text, or why it is not. */
export function parsePayload(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `The payload is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * A refusal's message with the job type named by its label, as the form shows it, rather than by
 * its id (the worker says "Invalid payload for demo_steps: …").
 */
export function withTypeLabel(message: string, type: string, label: string): string {
  const prefix = `Invalid payload for ${type}: `;
  return message.startsWith(prefix) ? `Invalid payload for ${label}: ${message.slice(prefix.length)}` : message;
}

/** A message beside the form; `field` names the field it is about, whose description it becomes. */
export interface FormNotice {
  readonly text: string;
  readonly tone: 'info' | 'error';
  readonly field?: 'payload';
}

/**
 * How a save ended: saved; refused, with the field to fix when there is one (the pattern's
 * refusal is the preview's error, shown at its field and nowhere else); or not tried, because
 * a save was already in flight.
 */
export type SaveOutcome =
  | { readonly kind: 'saved'; readonly schedule: Schedule; readonly formReset: boolean }
  | { readonly kind: 'refused'; readonly field?: 'cron' | 'payload' }
  | { readonly kind: 'busy' };

/** The schedules screen: the stored schedules, live, and the form that adds one. */
/** The form as typed, kept while the person visits another page of the app. */
export interface ScheduleDraft {
  readonly editing: Schedule | undefined;
  readonly type: string;
  readonly label: string;
  readonly cron: string;
  readonly timezone: string;
  readonly payloadText: string;
}

/** Where the form waits for the return: in memory, for this tab's visit. */
export interface ScheduleDraftKeeper {
  form: ScheduleDraft | undefined;
}

const keptDraft: ScheduleDraftKeeper = { form: undefined };

export class SchedulesState {
  schedules: readonly Schedule[] = $state.raw([]);
  loaded = $state(false);
  types: readonly JobTypeInfo[] = $state.raw([]);
  /** The form. */
  type = $state('');
  label = $state('');
  cron = $state(DEFAULT_CRON);
  timezone = $state(browserTimeZone());
  payloadText = $state('');
  /** The pattern's next runs as the worker reads them, or why it cannot be used. */
  preview: readonly number[] = $state.raw([]);
  previewError: string | undefined = $state(undefined);
  saving = $state(false);
  /** The schedule the form edits, or undefined when it adds a new one. */
  editing: Schedule | undefined = $state.raw(undefined);
  /** What the last command on a saved schedule said: an error, or what it did. */
  notice: { readonly text: string; readonly tone: 'info' | 'error' } | undefined = $state(undefined);
  /** What the form's last refused save said, shown beside the form. */
  formNotice: FormNotice | undefined = $state(undefined);
  /** Ids of schedules with a command in flight. */
  busy: ReadonlySet<string> = $state.raw(new Set());
  #previewTimer: ReturnType<typeof setTimeout> | undefined;
  #previewSeq = 0;
  /** The form was changed while a save was in flight: the save leaves it as typed. */
  #changedWhileSaving = false;
  /** The form was typed in since it was last put back to its defaults or saved. */
  #touched = false;

  constructor(
    private readonly client: ErrandClient,
    private readonly drafts: ScheduleDraftKeeper = keptDraft,
  ) {
    const draft = drafts.form;
    drafts.form = undefined;
    if (draft === undefined) return;
    // Back from another page of the app: the form as it was left.
    ({ editing: this.editing, type: this.type, label: this.label, cron: this.cron } = draft);
    this.timezone = draft.timezone;
    this.payloadText = draft.payloadText;
    this.#touched = true;
  }

  /** Keeps the form as typed for the return to this page, when it holds anything typed or edits a schedule. */
  keepDraft(): void {
    const { editing, type, label, cron, timezone, payloadText } = this;
    this.drafts.form = this.#touched || editing ? { editing, type, label, cron, timezone, payloadText } : undefined;
  }

  /** Job types a schedule can be made for from the form. */
  get formTypes(): readonly JobTypeInfo[] {
    return this.types.filter((info) => !FORM_TYPES_EXCLUDED.has(info.type));
  }

  /** Follows the stored schedules and loads the job types; returns the cleanup. */
  connect(): () => void {
    const stop = this.client.watchSchedules().subscribe(
      (schedules) => {
        this.schedules = schedules;
        this.loaded = true;
      },
      (error) => {
        this.loaded = true;
        this.notice = { text: `Could not read schedules: ${messageOf(error)}`, tone: 'error' };
      },
    );
    this.client
      .jobTypes()
      .then((types) => {
        this.types = types;
        const first = this.formTypes[0];
        if (this.type === '' && first) this.chooseType(first.type);
      })
      .catch(() => undefined);
    this.refreshPreview();
    return () => {
      stop();
      clearTimeout(this.#previewTimer);
    };
  }

  /** The label of a job type, as the form's type list shows it; the id for a type not (yet) known. */
  typeLabel(type: string): string {
    return this.types.find((info) => info.type === type)?.label ?? type;
  }

  chooseType(type: string): void {
    this.type = type;
    const example = EXAMPLE_PAYLOADS[type];
    this.payloadText = example === undefined ? '{}' : JSON.stringify(example, null, 2);
  }

  setCron(cron: string): void {
    this.cron = cron;
    this.refreshPreview();
  }

  setTimezone(timezone: string): void {
    this.timezone = timezone;
    this.refreshPreview();
  }

  /** Asks the worker for the pattern's next runs once typing pauses. */
  refreshPreview(): void {
    clearTimeout(this.#previewTimer);
    this.#previewTimer = setTimeout(() => void this.#loadPreview(), 200);
  }

  /**
   * Reads the next runs of a pattern (the form's unless told) into the preview, unless a later
   * read overtook it; resolves false when the worker refuses the pattern or its time zone.
   */
  async #loadPreview(cron = this.cron, timezone = this.timezone.trim() || undefined): Promise<boolean> {
    clearTimeout(this.#previewTimer);
    const seq = ++this.#previewSeq;
    try {
      const runs = await this.client.previewSchedule(cron, timezone, 3);
      if (seq === this.#previewSeq) {
        this.preview = runs;
        this.previewError = undefined;
      }
      return true;
    } catch (error) {
      if (seq === this.#previewSeq) {
        this.preview = [];
        this.previewError = messageOf(error);
      }
      return false;
    }
  }

  /** Fills the form with a stored schedule, to change it. */
  edit(schedule: Schedule): void {
    this.editing = schedule;
    this.type = schedule.type;
    this.label = schedule.label;
    this.cron = schedule.cron;
    this.timezone = schedule.timezone ?? '';
    this.payloadText = JSON.stringify(schedule.payload, null, 2);
    this.formNotice = undefined;
    this.refreshPreview();
  }

  /** Leaves the form for a new schedule again. */
  stopEditing(): void {
    this.#touched = false;
    this.editing = undefined;
    this.label = '';
    this.chooseType(this.type);
  }

  /** Puts the form back as it opens (first job type, its example payload, the default pattern and zone). */
  resetForm(): void {
    this.#touched = false;
    this.editing = undefined;
    this.label = '';
    this.chooseType(this.formTypes[0]?.type ?? '');
    this.cron = DEFAULT_CRON;
    this.timezone = browserTimeZone();
    this.formNotice = undefined;
    this.refreshPreview();
  }

  /** The form was changed: what its last save refused no longer describes it. */
  edited(): void {
    this.#touched = true;
    if (this.saving) this.#changedWhileSaving = true;
    if (this.formNotice?.tone === 'error') this.formNotice = undefined;
  }

  /**
   * Saves the form as a new schedule, or over the one being edited, then puts the form back to
   * its defaults (so that a submit after it adds nothing twice; not when it was changed meanwhile,
   * which would lose what was typed) and says so in the list's notice.
   * A refusal says why, once, and keeps the form as typed. A save while one is in flight does
   * nothing: the flag is set before anything is awaited, so two quick submits save once.
   */
  async save(): Promise<SaveOutcome> {
    if (this.saving) return { kind: 'busy' };
    const payload = parsePayload(this.payloadText);
    if (!payload.ok) {
      this.formNotice = { text: payload.reason, tone: 'error', field: 'payload' };
      return { kind: 'refused', field: 'payload' };
    }
    const editing = this.editing && this.schedules.find((schedule) => schedule.id === this.editing?.id);
    if (this.editing && !editing) {
      // Removed meanwhile (in this tab or another): saving would bring it back.
      this.formNotice = { text: `“${this.editing.label}” was removed, so it cannot be changed.`, tone: 'error' };
      this.editing = undefined;
      return { kind: 'refused' };
    }
    const timezone = this.timezone.trim();
    const request = {
      ...(editing ? { id: editing.id, enabled: editing.enabled } : {}),
      type: this.type,
      cron: this.cron,
      payload: payload.value,
      ...(timezone !== '' ? { timezone } : {}),
      ...(this.label.trim() !== '' ? { label: this.label.trim() } : {}),
    };
    this.saving = true;
    this.#changedWhileSaving = false;
    this.formNotice = undefined;
    try {
      // The pattern first, read as the preview reads it: its refusal is the preview's error, at its field.
      if (!(await this.#loadPreview(request.cron, request.timezone))) return { kind: 'refused', field: 'cron' };
      const schedule = await this.client.saveSchedule(request);
      const formReset = !this.#changedWhileSaving;
      if (formReset) this.resetForm();
      else this.editing = undefined;
      this.notice = { text: `Saved “${schedule.label}”.`, tone: 'info' };
      return { kind: 'saved', schedule, formReset };
    } catch (error) {
      const text = withTypeLabel(messageOf(error), request.type, this.typeLabel(request.type));
      const field = (error as { code?: unknown } | null)?.code === 'invalid-payload' ? 'payload' : undefined;
      this.formNotice = { text, tone: 'error', ...(field ? { field } : {}) };
      return { kind: 'refused', ...(field ? { field } : {}) };
    } finally {
      this.saving = false;
    }
  }

  /** Turns a schedule on or off; resolves false when it could not (the notice says why). */
  setEnabled(schedule: Schedule, enabled: boolean): Promise<boolean> {
    return this.#command(schedule, async () => {
      await this.client.setScheduleEnabled(schedule.id, enabled);
      return `${enabled ? 'Turned on' : 'Turned off'} “${schedule.label}”.`;
    });
  }

  runNow(schedule: Schedule): Promise<boolean> {
    return this.#command(schedule, async () => {
      await this.client.runScheduleNow(schedule.id);
      return `Started “${schedule.label}”.`;
    });
  }

  remove(schedule: Schedule): Promise<boolean> {
    return this.#command(schedule, async () => {
      await this.client.removeSchedule(schedule.id);
      return `Removed “${schedule.label}”. The jobs it started stay.`;
    });
  }

  async #command(schedule: Schedule, run: () => Promise<string>): Promise<boolean> {
    if (this.busy.has(schedule.id)) return false;
    this.busy = new Set([...this.busy, schedule.id]);
    try {
      this.notice = { text: await run(), tone: 'info' };
      return true;
    } catch (error) {
      const gone = (error as { code?: unknown } | null)?.code === 'not-found';
      this.notice = {
        text: gone ? `“${schedule.label}” was removed (in this tab or another one).` : messageOf(error),
        tone: 'error',
      };
      return false;
    } finally {
      this.busy = new Set([...this.busy].filter((id) => id !== schedule.id));
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
