import { afterEach, describe, expect, it, vi } from 'vitest';
import { JOB_STATUSES, type ErrandClient, type JobRecord } from '../../src/client';
import {
  completionsInLastMinute,
  completionsPerMinute,
  DashboardState,
  SAMPLE_MS,
  TILE_STATUSES,
} from '../../src/ui/routes/dashboard.svelte';

/** A client whose enqueues wait until the test answers them, one by one. */
function pendingClient(): { client: ErrandClient; enqueue: ReturnType<typeof vi.fn>; answer: () => void } {
  const answers: (() => void)[] = [];
  const enqueue = vi.fn(
    (type: string) =>
      new Promise<JobRecord>((resolve) =>
        answers.push(() => resolve({ id: `job-${enqueue.mock.calls.length}`, type, label: 'Demo' } as JobRecord)),
      ),
  );
  const client = {
    enqueue,
    completionsPerMinute: () => Promise.resolve([]),
    count: () => Promise.resolve(0),
  } as unknown as ErrandClient;
  return { client, enqueue, answer: () => answers.shift()?.() };
}

describe('DashboardState.startDemo', () => {
  it('starts one job for two submits in a row, and another once the first is answered', async () => {
    const { client, enqueue, answer } = pendingClient();
    const dashboard = new DashboardState(client);
    const first = dashboard.startDemo();
    const second = dashboard.startDemo();
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(dashboard.starting).toBe(true);
    answer();
    await Promise.all([first, second]);
    expect(dashboard.starting).toBe(false);
    expect(dashboard.started?.id).toBe('job-1');

    const third = dashboard.startDemo();
    expect(enqueue).toHaveBeenCalledTimes(2);
    answer();
    await third;
  });

  it('takes a submit again after one that failed', async () => {
    const enqueue = vi.fn().mockRejectedValueOnce(new Error('Storage is full')).mockResolvedValueOnce({ id: 'ok' });
    const dashboard = new DashboardState({
      enqueue,
      completionsPerMinute: () => Promise.resolve([]),
      count: () => Promise.resolve(0),
    } as unknown as ErrandClient);
    await dashboard.startDemo();
    expect(dashboard.startError).toBe('Storage is full');
    await dashboard.startDemo();
    expect(enqueue).toHaveBeenCalledTimes(2);
    expect(dashboard.startError).toBe('');
    expect(dashboard.started?.id).toBe('ok');
  });
});

describe('TILE_STATUSES', () => {
  it('has one tile for each status', () => {
    expect([...TILE_STATUSES].sort()).toEqual([...JOB_STATUSES].sort());
  });
});

describe('DashboardState counts', () => {
  afterEach(() => vi.useRealTimers());

  /** A store of `completed` finished jobs, and the change feed's listener once started. */
  function storeClient() {
    const state = { completed: 0, failing: false, feed: (): void => undefined };
    const client = {
      completionsPerMinute: () => Promise.resolve([]),
      count: (query: { status?: string }) =>
        state.failing
          ? Promise.reject(new Error('Storage failed: the read was refused'))
          : Promise.resolve(query.status === 'completed' ? state.completed : 0),
      jobTypes: () => Promise.resolve([]),
      onJobChanges: (listener: () => void) => {
        state.feed = listener;
        return () => (state.feed = () => undefined);
      },
    } as unknown as ErrandClient;
    return { client, state };
  }

  it('follow a job change within the spacing of the reads, long before the next sample', async () => {
    vi.useFakeTimers();
    const { client, state } = storeClient();
    const dashboard = new DashboardState(client);
    const stop = dashboard.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(dashboard.totals.completed).toBe(0);

    state.completed = 1;
    state.feed();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(dashboard.totals.completed).toBe(1);

    stop();
    state.completed = 2;
    state.feed();
    await vi.advanceTimersByTimeAsync(2 * SAMPLE_MS);
    expect(dashboard.totals.completed).toBe(1);
  });

  it('are read every sample besides, for changes the feed does not carry', async () => {
    vi.useFakeTimers();
    const { client, state } = storeClient();
    const dashboard = new DashboardState(client);
    const stop = dashboard.start();
    await vi.advanceTimersByTimeAsync(0);
    state.completed = 3;
    await vi.advanceTimersByTimeAsync(SAMPLE_MS);
    expect(dashboard.totals.completed).toBe(3);
    stop();
  });

  it('say a failed read until the counts read again, then take it back', async () => {
    vi.useFakeTimers();
    const { client, state } = storeClient();
    const dashboard = new DashboardState(client);
    const stop = dashboard.start();
    await vi.advanceTimersByTimeAsync(0);
    state.failing = true;
    await vi.advanceTimersByTimeAsync(SAMPLE_MS);
    expect(dashboard.error).toBe('Storage failed: the read was refused');

    state.failing = false;
    state.completed = 4;
    await vi.advanceTimersByTimeAsync(SAMPLE_MS);
    expect(dashboard.totals.completed).toBe(4);
    expect(dashboard.error).toBe('');
    stop();
  });
});

describe('completionsInLastMinute', () => {
  const MINUTE = 60_000;
  const noon = Date.UTC(2026, 11, 6, 12, 0, 0);

  it('adds to the minute so far the share of the minute before that the last 60 s still cover', () => {
    const tally = [
      { minute: noon - MINUTE, count: 120 },
      { minute: noon, count: 10 },
    ];
    expect(completionsInLastMinute(completionsPerMinute(tally, noon + 15_000), noon + 15_000)).toBe(100);
    expect(completionsInLastMinute(completionsPerMinute(tally, noon + 45_000), noon + 45_000)).toBe(40);
  });

  it('does not fall to nothing as a minute turns', () => {
    const before = completionsPerMinute([{ minute: noon - MINUTE, count: 120 }], noon - 1);
    const after = completionsPerMinute([{ minute: noon - MINUTE, count: 120 }], noon + 1);
    expect(completionsInLastMinute(before, noon - 1)).toBe(120);
    expect(completionsInLastMinute(after, noon + 1)).toBe(120);
    expect(completionsInLastMinute(completionsPerMinute([], noon), noon)).toBe(0);
  });
});
