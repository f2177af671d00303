import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrandClient, JobRecord } from '../../src/client';
import { CsvImportState } from '../../src/ui/routes/csv-import.svelte';

const START = Date.UTC(2026, 11, 6, 9, 0, 0);

/** A categorization between attempts, its next one due 12 s after START. */
function retrying(): JobRecord {
  return {
    id: 'j1',
    type: 'csv_categorization',
    label: 'Categorize bank-statement.csv',
    status: 'waiting',
    waitReason: 'retry',
    priority: 'normal',
    rank: 1,
    payload: {},
    progress: 0.25,
    completedSteps: 10,
    attempts: 1,
    maxAttempts: 3,
    runAt: START + 12_000,
    createdAt: START - 60_000,
    updatedAt: START,
    history: [],
  };
}

/** A client whose newest categorization is `job`, told at once and never changed. */
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

describe('CsvImportState wait text', () => {
  it('counts down while the page stays open, with no news of the job', () => {
    vi.useFakeTimers({ now: START });
    const importer = new CsvImportState(client(retrying()));
    const stop = importer.connect();
    expect(importer.waitText).toBe('Retrying in 12 s');
    vi.advanceTimersByTime(1_000);
    expect(importer.waitText).toBe('Retrying in 11 s');
    vi.advanceTimersByTime(11_000);
    expect(importer.waitText).toBe('Retrying now');
    stop();
  });

  it('stops its clock when the page closes', () => {
    vi.useFakeTimers({ now: START });
    const importer = new CsvImportState(client(retrying()));
    const stop = importer.connect();
    expect(vi.getTimerCount()).toBe(1);
    stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('CsvImportState commands', () => {
  it("shows a command's refusal, and clears it when the next command is given", async () => {
    const paused = { ...retrying(), status: 'paused' as const };
    const refusal = Object.assign(new Error('Job j1 cannot be paused: it is paused'), { code: 'invalid-transition' });
    const pause = vi.fn().mockRejectedValue(refusal);
    const resume = vi.fn().mockResolvedValue({ ...paused, status: 'queued' });
    const importer = new CsvImportState({ ...client(paused), pause, resume });
    const stop = importer.connect();

    await importer.commands.pause();
    expect(pause).toHaveBeenCalledWith('j1');
    expect(importer.error).toBe('Job j1 cannot be paused: it is paused');
    await importer.commands.resume();
    expect(resume).toHaveBeenCalledWith('j1');
    expect(importer.error).toBeUndefined();
    stop();
  });
});
