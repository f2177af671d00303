import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  InvalidPayloadError,
  type ErrandClient,
  type JobTypeInfo,
  type Schedule,
  type ScheduleRequest,
} from '../../src/client';
import { CRON_HELP, DEFAULT_CRON, SchedulesState, withTypeLabel } from '../../src/ui/routes/schedules.svelte';
import { previewRuns } from '../../src/worker/schedules';

const TYPES = [
  { type: 'demo_steps', label: 'Demo task' },
  { type: 'history_export', label: 'Export job history' },
] as JobTypeInfo[];

function schedule(request: ScheduleRequest, id: string): Schedule {
  return {
    id,
    type: request.type,
    cron: request.cron,
    payload: request.payload,
    label: request.label ?? TYPES.find((info) => info.type === request.type)?.label ?? request.type,
    enabled: true,
    runs: 0,
    createdAt: 0,
    updatedAt: 0,
  };
}

/** A client whose saves wait until `finish` is called, and whose preview refuses what `refuse` says. */
function setup(options: { refuse?: (cron: string) => string | undefined; saveError?: Error } = {}) {
  const saves: ScheduleRequest[] = [];
  const pending: (() => void)[] = [];
  const client = {
    watchSchedules: () => ({ subscribe: () => () => undefined }),
    jobTypes: () => Promise.resolve(TYPES),
    previewSchedule: (cron: string) => {
      const refusal = options.refuse?.(cron);
      return refusal === undefined ? Promise.resolve([1, 2, 3]) : Promise.reject(new InvalidInputError(refusal));
    },
    saveSchedule: (request: ScheduleRequest) => {
      saves.push(request);
      if (options.saveError) return Promise.reject(options.saveError);
      return new Promise<Schedule>((resolve) => pending.push(() => resolve(schedule(request, `s${saves.length}`))));
    },
  } as unknown as ErrandClient;
  const page = new SchedulesState(client);
  return { page, saves, finish: () => pending.splice(0).forEach((resolve) => resolve()) };
}

/** Lets the page's pending promises settle. */
async function settle(page: SchedulesState, until: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !until(); turn++) await Promise.resolve();
  expect(until(), `settled (saving: ${page.saving})`).toBe(true);
}

describe('saving a schedule', () => {
  it('saves once when submitted twice before the first save ends, then puts the form back to its defaults', async () => {
    const { page, saves, finish } = setup();
    const stop = page.connect();
    await settle(page, () => page.type !== '');
    const defaults = { type: page.type, payloadText: page.payloadText, timezone: page.timezone };
    page.chooseType('history_export');
    page.label = 'Nightly export';
    page.setCron('0 2 * * *');

    const first = page.save();
    expect(page.saving).toBe(true);
    expect(await page.save()).toEqual({ kind: 'busy' });
    await settle(page, () => saves.length === 1);
    expect(await page.save()).toEqual({ kind: 'busy' });
    finish();
    expect(await first).toMatchObject({ kind: 'saved', formReset: true });
    expect(saves).toHaveLength(1);
    expect(saves[0]).toMatchObject({ type: 'history_export', label: 'Nightly export', cron: '0 2 * * *' });

    expect(page.notice).toEqual({ text: 'Saved “Nightly export”.', tone: 'info' });
    expect(page.formNotice).toBeUndefined();
    expect({
      type: page.type,
      label: page.label,
      cron: page.cron,
      payloadText: page.payloadText,
      timezone: page.timezone,
    }).toEqual({ ...defaults, label: '', cron: DEFAULT_CRON });
    expect(page.editing).toBeUndefined();
    stop();
  });

  it('leaves the form as typed when it was changed while the save was in flight', async () => {
    const { page, saves, finish } = setup();
    const stop = page.connect();
    await settle(page, () => page.type !== '');
    page.label = 'First';
    const first = page.save();
    await settle(page, () => saves.length === 1);
    page.label = 'Second';
    page.edited();
    finish();
    expect(await first).toMatchObject({ kind: 'saved', formReset: false });
    expect(page.label).toBe('Second');
    expect(saves.map((request) => request.label)).toEqual(['First']);
    stop();
  });

  it('says a refused pattern once, as the preview error, and saves nothing', async () => {
    const reason = '"* * * * * *" runs 1 s apart; a schedule may run at most once every 10 s';
    const { page, saves } = setup({ refuse: (cron) => (cron.startsWith('* ') ? reason : undefined) });
    const stop = page.connect();
    await settle(page, () => page.type !== '');
    // Saved before the preview's pause after typing is over.
    page.setCron('* * * * * *');
    expect(await page.save()).toEqual({ kind: 'refused', field: 'cron' });
    expect(page.previewError).toBe(reason);
    expect(page.formNotice).toBeUndefined();
    expect(saves).toEqual([]);
    expect(page.saving).toBe(false);
    stop();
  });

  it('names the job type by its label in a payload refusal, tied to the payload field', async () => {
    const { page } = setup({
      saveError: new InvalidPayloadError('Invalid payload for demo_steps: steps must be a whole number from 1 to 100'),
    });
    const stop = page.connect();
    await settle(page, () => page.type !== '');
    page.chooseType('demo_steps');
    expect(await page.save()).toEqual({ kind: 'refused', field: 'payload' });
    expect(page.formNotice).toEqual({
      text: 'Invalid payload for Demo task: steps must be a whole number from 1 to 100',
      tone: 'error',
      field: 'payload',
    });
    stop();
  });
});

describe('withTypeLabel', () => {
  it('puts the label in place of the id in a payload refusal, and leaves other messages alone', () => {
    expect(withTypeLabel('Invalid payload for demo_steps: steps must be 1 to 100', 'demo_steps', 'Demo task')).toBe(
      'Invalid payload for Demo task: steps must be 1 to 100',
    );
    expect(withTypeLabel('Invalid payload for other: x', 'demo_steps', 'Demo task')).toBe(
      'Invalid payload for other: x',
    );
    expect(withTypeLabel('Storage is full', 'demo_steps', 'Demo task')).toBe('Storage is full');
  });
});

describe('the cron help', () => {
  const now = Date.UTC(2026, 0, 1);
  const patterns = { five: '0 9 * * *', six: '0 0 9 * * *', seven: '0 0 9 * * * 2030' };

  it('names every field count the parser takes, and only those', () => {
    for (const [count, pattern] of Object.entries(patterns)) {
      expect(CRON_HELP.toLowerCase()).toContain(count);
      expect(previewRuns(pattern, 'UTC', now, 1)).toHaveLength(1);
    }
    expect(() => previewRuns('0 0 9 * * * 2030 1', 'UTC', now, 1)).toThrow(
      /is not a cron pattern: write five fields .*a sixth in front gives seconds, a seventh at the end years$/,
    );
    expect(() => previewRuns('0 9 * *', 'UTC', now, 1)).toThrow(
      /is not a cron pattern: write five fields .*a sixth in front gives seconds, a seventh at the end years$/,
    );
    expect(CRON_HELP).toMatch(/six with seconds first; seven with a year last/);
    expect(previewRuns(patterns.seven, 'UTC', now, 1)).toEqual([Date.UTC(2030, 0, 1, 9)]);
  });
});

describe('the form left for another page', () => {
  const client = {
    watchSchedules: () => ({ subscribe: () => () => undefined }),
    jobTypes: () => Promise.resolve(TYPES),
    previewSchedule: () => Promise.resolve([1, 2, 3]),
  } as unknown as ErrandClient;

  it('comes back as typed, the schedule being edited included, once', () => {
    const drafts = { form: undefined };
    const first = new SchedulesState(client, drafts);
    first.chooseType('history_export');
    first.label = 'Nightly';
    first.setCron('0 2 * * *');
    first.edited();
    first.keepDraft();

    const back = new SchedulesState(client, drafts);
    expect([back.type, back.label, back.cron, back.payloadText]).toEqual([
      'history_export',
      'Nightly',
      '0 2 * * *',
      first.payloadText,
    ]);
    expect(drafts.form).toBeUndefined();
    const stored = schedule({ type: 'demo_steps', cron: '*/5 * * * *', payload: {}, label: 'Often' }, 's1');
    back.edit(stored);
    back.keepDraft();
    expect(new SchedulesState(client, drafts).editing).toEqual(stored);
  });

  it('is not kept when nothing was typed, nor once saved or put back', () => {
    const drafts = { form: undefined };
    new SchedulesState(client, drafts).keepDraft();
    expect(drafts.form).toBeUndefined();
    const page = new SchedulesState(client, drafts);
    page.label = 'Typed';
    page.edited();
    page.resetForm();
    page.keepDraft();
    expect(drafts.form).toBeUndefined();
    expect(new SchedulesState(client, drafts).label).toBe('');
  });
});
