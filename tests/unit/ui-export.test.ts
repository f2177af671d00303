import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrandClient, JobRecord } from '../../src/client';
import { ExportState } from '../../src/ui/routes/export.svelte';

const START = Date.UTC(2026, 11, 6, 9, 0, 0);

/** An export between attempts, its next one due 12 s after START. */
function retrying(): JobRecord {
  return {
    id: 'j1',
    type: 'history_export',
    label: 'Export jobs as JSON',
    status: 'waiting',
    waitReason: 'retry',
    priority: 'normal',
    rank: 1,
    payload: { format: 'json', includePayloads: false },
    progress: 0.25,
    completedSteps: 1,
    attempts: 1,
    maxAttempts: 3,
    runAt: START + 12_000,
    createdAt: START - 60_000,
    updatedAt: START,
    history: [],
  };
}

/** A client whose newest export is `job`, told at once and never changed. */
function client(job: JobRecord): ErrandClient {
  const feed = <T>(value: T) => ({
    subscribe: (next: (value: T) => void) => {
      next(value);
      return () => undefined;
    },
  });
  return {
    watch: () => feed([job]),
    watchJob: () => feed(job),
  } as unknown as ErrandClient;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ExportState wait text', () => {
  it('counts down while the page stays open, with no news of the job', () => {
    vi.useFakeTimers({ now: START });
    const exporter = new ExportState(client(retrying()));
    const stop = exporter.connect();
    expect(exporter.waitText).toBe('Retrying in 12 s');
    vi.advanceTimersByTime(1_000);
    expect(exporter.waitText).toBe('Retrying in 11 s');
    vi.advanceTimersByTime(11_000);
    expect(exporter.waitText).toBe('Retrying now');
    stop();
  });

  it('stops its clock when the page closes', () => {
    vi.useFakeTimers({ now: START });
    const exporter = new ExportState(client(retrying()));
    const stop = exporter.connect();
    expect(vi.getTimerCount()).toBe(1);
    stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('ExportState start', () => {
  it('refuses a second press while the export is being queued', async () => {
    const pending: ((job: JobRecord) => void)[] = [];
    const enqueue = vi.fn(() => new Promise<JobRecord>((resolve) => pending.push(resolve)));
    const exporter = new ExportState({ ...client(retrying()), enqueue });
    const first = exporter.start();
    const second = exporter.start();
    expect(exporter.starting).toBe(true);
    for (const resolve of pending) resolve(retrying());
    await Promise.all([first, second]);
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(exporter.starting).toBe(false);
    expect(exporter.followed.job?.id).toBe('j1');
  });
});
