import type { ErrandClient, JobTypeInfo, Schedule } from '../../client';

/** Patterns offered ready-made; any cron pattern can be typed instead. */
export const CRON_PRESETS: readonly { readonly label: string; readonly cron: string }[] = [
  { label: 'Every 15 minutes', cron: '*/15 * * * *' },
  { label: 'Every hour', cron: '0 * * * *' },
  { label: 'Every day at 09:00', cron: '0 9 * * *' },
  { label: 'Every weekday at 09:00', cron: '0 9 * * 1-5' },
  { label: 'Every Monday at 08:00', cron: '0 8 * * 1' },
  { label: 'On the 1st of each month at 00:00', cron: '0 0 1 * *' },
];

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

/** The schedules screen: the stored schedules, live, and the form that adds one. */
export class SchedulesState {
  schedules: readonly Schedule[] = $state.raw([]);
  loaded = $state(false);
  types: readonly JobTypeInfo[] = $state.raw([]);
  /** The form. */
  type = $state('');
  label = $state('');
  cron = $state(CRON_PRESETS[2]?.cron ?? '0 9 * * *');
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
  /** What the form's last save said, shown beside the form. */
  formNotice: { readonly text: string; readonly tone: 'info' | 'error' } | undefined = $state(undefined);
  /** Ids of schedules with a command in flight. */
  busy: ReadonlySet<string> = $state.raw(new Set());
  #previewTimer: ReturnType<typeof setTimeout> | undefined;
  #previewSeq = 0;

  constructor(private readonly client: ErrandClient) {}

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

  async #loadPreview(): Promise<void> {
    const seq = ++this.#previewSeq;
    try {
      const runs = await this.client.previewSchedule(this.cron, this.timezone.trim() || undefined, 3);
      if (seq !== this.#previewSeq) return;
      this.preview = runs;
      this.previewError = undefined;
    } catch (error) {
      if (seq !== this.#previewSeq) return;
      this.preview = [];
      this.previewError = messageOf(error);
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
    this.editing = undefined;
    this.label = '';
    this.chooseType(this.type);
  }

  /** The form was changed: what its last save refused no longer describes it. */
  edited(): void {
    if (this.formNotice?.tone === 'error') this.formNotice = undefined;
  }

  /** Saves the form as a new schedule, or over the one being edited; a refusal says why and keeps the form as typed. */
  async save(): Promise<boolean> {
    const payload = parsePayload(this.payloadText);
    if (!payload.ok) {
      this.formNotice = { text: payload.reason, tone: 'error' };
      return false;
    }
    const editing = this.editing && this.schedules.find((schedule) => schedule.id === this.editing?.id);
    if (this.editing && !editing) {
      // Removed meanwhile (in this tab or another): saving would bring it back.
      this.formNotice = { text: `"${this.editing.label}" was removed, so it cannot be changed.`, tone: 'error' };
      this.editing = undefined;
      return false;
    }
    this.saving = true;
    this.formNotice = undefined;
    try {
      const saved = await this.client.saveSchedule({
        ...(editing ? { id: editing.id, enabled: editing.enabled } : {}),
        type: this.type,
        cron: this.cron,
        payload: payload.value,
        ...(this.timezone.trim() !== '' ? { timezone: this.timezone.trim() } : {}),
        ...(this.label.trim() !== '' ? { label: this.label.trim() } : {}),
      });
      this.formNotice = { text: `Saved "${saved.label}".`, tone: 'info' };
      this.editing = undefined;
      this.label = '';
      return true;
    } catch (error) {
      this.formNotice = { text: messageOf(error), tone: 'error' };
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** Turns a schedule on or off; resolves false when it could not (the notice says why). */
  setEnabled(schedule: Schedule, enabled: boolean): Promise<boolean> {
    return this.#command(schedule, async () => {
      await this.client.setScheduleEnabled(schedule.id, enabled);
      return `${enabled ? 'Turned on' : 'Turned off'} "${schedule.label}".`;
    });
  }

  runNow(schedule: Schedule): Promise<boolean> {
    return this.#command(schedule, async () => {
      await this.client.runScheduleNow(schedule.id);
      return `Started "${schedule.label}".`;
    });
  }

  remove(schedule: Schedule): Promise<boolean> {
    return this.#command(schedule, async () => {
      await this.client.removeSchedule(schedule.id);
      return `Removed "${schedule.label}". The jobs it started stay.`;
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
        text: gone ? `"${schedule.label}" was removed (in this tab or another one).` : messageOf(error),
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
