import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrandClient, JobRecord } from '../../src/client';
import { CsvImportState } from '../../src/ui/routes/csv-import.svelte';
import { ExportState } from '../../src/ui/routes/export.svelte';
import { FollowedJob } from '../../src/ui/routes/followed-job.svelte';

const START = Date.UTC(2026, 11, 6, 9, 0, 0);

/** A job of `type` between attempts, its next one due 12 s after START. */
function retrying(type: string, payload: unknown): JobRecord {
  return {
    id: 'j1',
    type,
    label: `A ${type} job`,
    status: 'waiting',
    waitReason: 'retry',
    priority: 'normal',
    rank: 1,
    payload,
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

/** A client whose newest job is `job`, told at once and never changed. */
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

/** The pages that start one job and follow it in a card: Import CSV and Export. */
const pages = [
  {
    name: 'CsvImportState',
    job: () => retrying('csv_categorization', {}),
    open: (c: ErrandClient) => new CsvImportState(c),
  },
  {
    name: 'ExportState',
    job: () => retrying('history_export', { format: 'json', includePayloads: false }),
    open: (c: ErrandClient) => new ExportState(c),
  },
];

afterEach(() => {
  vi.useRealTimers();
});

describe.each(pages)('$name', ({ job, open }) => {
  it('counts the wait text down while the page stays open, with no news of the job', () => {
    vi.useFakeTimers({ now: START });
    const page = open(client(job()));
    const stop = page.connect();
    expect(page.followed.waitText).toBe('Retrying in 12 s');
    vi.advanceTimersByTime(1_000);
    expect(page.followed.waitText).toBe('Retrying in 11 s');
    vi.advanceTimersByTime(11_000);
    expect(page.followed.waitText).toBe('Retrying now');
    stop();
  });

  it('stops its clock when the page closes', () => {
    vi.useFakeTimers({ now: START });
    const page = open(client(job()));
    const stop = page.connect();
    expect(vi.getTimerCount()).toBe(1);
    stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("shows a command's refusal, and clears it when the next command is given", async () => {
    const paused: JobRecord = { ...job(), status: 'paused' };
    const refusal = Object.assign(new Error('Job j1 cannot be paused: it is paused'), { code: 'invalid-transition' });
    const pause = vi.fn().mockRejectedValue(refusal);
    const resume = vi.fn().mockResolvedValue({ ...paused, status: 'queued' });
    const page = open({ ...client(paused), pause, resume });
    const stop = page.connect();

    await page.commands.pause();
    expect(pause).toHaveBeenCalledWith('j1');
    expect(page.error).toBe('Job j1 cannot be paused: it is paused');
    await page.commands.resume();
    expect(resume).toHaveBeenCalledWith('j1');
    expect(page.error).toBeUndefined();
    stop();
  });
});

describe('ExportState start', () => {
  it('refuses a second press while the export is being queued', async () => {
    const exported = pages[1]!.job();
    const pending: ((job: JobRecord) => void)[] = [];
    const enqueue = vi.fn(() => new Promise<JobRecord>((resolve) => pending.push(resolve)));
    const exporter = new ExportState({ ...client(exported), enqueue });
    const first = exporter.start();
    const second = exporter.start();
    expect(exporter.starting).toBe(true);
    for (const resolve of pending) resolve(exported);
    await Promise.all([first, second]);
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(exporter.starting).toBe(false);
    expect(exporter.followed.job?.id).toBe('j1');
  });
});

describe('FollowedJob, following another job', () => {
  it('keeps the job shown, with its file, until the next one is read, and then lets the file go', async () => {
    const done: JobRecord = { ...retrying('history_export', {}), status: 'completed', progress: 1 };
    const next: JobRecord = { ...done, id: 'j2', status: 'queued', progress: 0 };
    const tell = new Map<string, (job: JobRecord | undefined) => void>();
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:j1');
    const revokeObjectURL = vi.spyOn(URL, 'revokeObjectURL').mockReturnValue(undefined);
    const retry = vi.fn().mockResolvedValue(undefined);
    const blob = new Blob(['{}']);
    const followed = new FollowedJob({
      watchJob: (id: string) => ({
        subscribe: (next: (job: JobRecord | undefined) => void) => {
          tell.set(id, next);
          return () => tell.delete(id);
        },
      }),
      files: async () => [{ name: 'jobs.json', blob, size: blob.size }],
      retry,
    } as unknown as ErrandClient);
    try {
      followed.follow('j1', 'jobs.json');
      tell.get('j1')!(done);
      await vi.waitFor(() => expect(followed.fileUrl).toBe('blob:j1'));

      followed.follow('j2', 'jobs.csv');
      // Not read yet: the card still shows j1 and its download, and acts on j1.
      expect(tell.has('j1')).toBe(false);
      expect(followed.job?.id).toBe('j1');
      expect(followed.fileUrl).toBe('blob:j1');
      expect(followed.fileName).toBe('jobs.json');
      await followed.retry();
      expect(retry).toHaveBeenCalledWith('j1');
      expect(revokeObjectURL).not.toHaveBeenCalled();

      tell.get('j2')!(next);
      expect(followed.job?.id).toBe('j2');
      expect(followed.fileUrl).toBeUndefined();
      expect(followed.fileName).toBe('jobs.csv');
      expect(revokeObjectURL).toHaveBeenCalledWith('blob:j1');
      expect(createObjectURL).toHaveBeenCalledTimes(1);
    } finally {
      followed.dispose();
      createObjectURL.mockRestore();
      revokeObjectURL.mockRestore();
    }
  });
});
