import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrandClient } from '../../src/client';
import {
  isJobFeedMessage,
  jobFeedChannelName,
  MAX_FEED_JOBS,
  summarizeJob,
  type JobFeedMessage,
  type JobRecord,
} from '../../src/shared';
import { ErrandDb, jobWritesMiddleware, writeJobs, type CommittedJobs } from '../../src/store';
import { buildJobRecord } from '../../src/worker/enqueue-builder';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, freshDbName, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { untilJob } from '../helpers/wait';

let harness: Harness | undefined;
const channels: BroadcastChannel[] = [];
afterEach(async () => {
  for (const channel of channels.splice(0)) channel.close();
  vi.restoreAllMocks();
  await harness?.close();
  harness = undefined;
});

/** Everything announced on the database's feed from now on. */
function listen(dbName: string): JobFeedMessage[] {
  const heard: JobFeedMessage[] = [];
  const channel = new BroadcastChannel(jobFeedChannelName(dbName));
  channels.push(channel);
  channel.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isJobFeedMessage(event.data)) heard.push(event.data);
  });
  return heard;
}

/** Keeps the first answer of `client.queries.active` and never answers again: a store read stuck in line. */
function holdActiveReads(client: ErrandClient): void {
  const read = client.queries.active.bind(client.queries);
  let reads = 0;
  vi.spyOn(client.queries, 'active').mockImplementation(() => {
    reads += 1;
    return reads === 1 ? read() : new Promise<JobRecord[]>(() => undefined);
  });
}

describe('change feed', () => {
  it('brings a committed start and progress to watchActive while the store read is stuck', async () => {
    const clock = new ManualClock();
    const { types, probe } = createFixtures();
    harness = createHarness({ types, clock });
    const { client } = harness;
    holdActiveReads(client);
    const seen: JobRecord[][] = [];
    const stop = client.watchActive().subscribe((jobs) => seen.push(jobs));
    const job = await client.enqueue('progress-steps', { steps: 4, holdAt: 2 });

    await probe.gate.whenReached(`hold:${job.id}:1`);
    await vi.waitFor(() => expect(seen.at(-1)?.[0]).toMatchObject({ id: job.id, status: 'running' }));
    clock.advance(250); // lets the throttled progress of step 1 be written
    await vi.waitFor(() => expect(seen.at(-1)?.[0]?.progress).toBe(0.5));
    const shown = seen.at(-1)?.[0];
    expect(shown).toMatchObject({ id: job.id, status: 'running', step: 'step-1', completedSteps: 2 });
    expect(await client.get(job.id)).toMatchObject({ progress: 0.5, updatedAt: shown?.updatedAt });

    await client.cancel(job.id);
    await vi.waitFor(() => expect(seen.at(-1)).toEqual([]));
    stop();
  });

  it('announces records as stored, without index keys or the heavy fields', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client, dbName } = harness;
    const heard = listen(dbName);
    const job = await client.enqueue('sleep', { key: 'hold', value: 'x' }, { delayMs: 60_000 });
    await client.pause(job.id);
    const stored = await client.get(job.id);
    if (!stored) throw new Error('expected the job');
    await vi.waitFor(() => expect(heard.flatMap((message) => message.jobs)).toContainEqual(summarizeJob(stored)));
    const announced = heard.flatMap((message) => message.jobs).find((each) => each.status === 'paused');
    expect(announced).not.toHaveProperty('payload');
    expect(announced).not.toHaveProperty('wakeAt');
    expect(announced).not.toHaveProperty('queueKey');

    await client.remove(job.id);
    await vi.waitFor(() => expect(heard.flatMap((message) => message.removed)).toContain(job.id));
  });

  it('never lets an older record replace a newer one', async () => {
    const clock = new ManualClock();
    const { types, probe } = createFixtures();
    harness = createHarness({ types, clock });
    const { client: errand, dbName } = harness;
    const job = await errand.enqueue('progress-steps', { steps: 4, holdAt: 2 });
    await probe.gate.whenReached(`hold:${job.id}:1`);
    clock.advance(250);
    const newer = await untilJob(errand, job.id, (each) => each.progress === 0.5);

    holdActiveReads(errand);
    const seen: JobRecord[][] = [];
    const stop = errand.watchActive().subscribe((jobs) => seen.push(jobs));
    await vi.waitFor(() => expect(seen.at(-1)?.[0]?.progress).toBe(0.5));

    const stale = { ...summarizeJob(newer), progress: 0.1, updatedAt: newer.updatedAt - 1 };
    const liar = new BroadcastChannel(jobFeedChannelName(dbName));
    channels.push(liar);
    liar.postMessage({ kind: 'jobs', committedAt: Date.now(), jobs: [stale], removed: [] } satisfies JobFeedMessage);
    // A later announcement from the same sender arrives after the stale one.
    const marker = { ...summarizeJob(newer), id: 'marker', createdAt: newer.createdAt + 1 };
    liar.postMessage({ kind: 'jobs', committedAt: Date.now(), jobs: [marker], removed: [] } satisfies JobFeedMessage);
    await vi.waitFor(() => expect(seen.at(-1)?.map((each) => each.id)).toEqual([job.id, 'marker']));
    expect(
      seen
        .flat()
        .filter((each) => each.id === job.id)
        .map((each) => each.progress),
    ).not.toContain(0.1);
    stop();
  });

  it('announces nothing for a transaction that failed: a fenced write is refused', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { runtime, dbName, client: errand } = harness;
    const job = await errand.enqueue('sleep', { key: 'held' });
    await probe.gate.whenReached('sleep:held');
    const running = await errand.get(job.id);
    const lease = running?.lease;
    if (!lease) throw new Error('expected a lease');
    const heard = listen(dbName);
    await errand.cancel(job.id);
    // The cancel is announced, and so is the runner's end of the aborted attempt, in an order
    // of tasks that nothing fixes: once the runner is idle, a later write's announcement comes
    // after both. Then listen afresh.
    await errand.onIdle();
    const settled = await errand.enqueue('sleep', {}, { delayMs: 60_000 });
    await vi.waitFor(() =>
      expect(heard.flatMap((message) => message.jobs).map((each) => each.id)).toEqual(
        expect.arrayContaining([job.id, settled.id]),
      ),
    );
    heard.length = 0;

    const refused = runtime.store.jobs.applyAsRunner(job.id, lease, { type: 'progress', progress: 0.9 }, Date.now());
    await expect(refused).rejects.toMatchObject({ code: 'stale-runner' });
    // A later write of the same worker is heard after anything the refused one could have sent.
    const later = await errand.enqueue('sleep', {}, { delayMs: 60_000 });
    await vi.waitFor(() => expect(heard.flatMap((message) => message.jobs).map((each) => each.id)).toContain(later.id));
    expect(heard.flatMap((message) => message.jobs).map((each) => each.id)).not.toContain(job.id);
  });

  it('announces no transaction of more than MAX_FEED_JOBS jobs: readers find a bulk enqueue in the store', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client, dbName } = harness;
    const heard = listen(dbName);
    const bulk = await client.enqueueMany(
      Array.from({ length: MAX_FEED_JOBS + 1 }, () => ({ type: 'sleep', payload: {}, options: { delayMs: 60_000 } })),
    );
    const later = await client.enqueue('sleep', {}, { delayMs: 60_000 });
    await vi.waitFor(() => expect(heard.flatMap((message) => message.jobs).map((each) => each.id)).toContain(later.id));
    expect(heard.flatMap((message) => message.jobs).map((each) => each.id)).not.toContain(bulk[0]?.id);
    expect(await client.count({ status: 'waiting' })).toBe(MAX_FEED_JOBS + 2);
  });

  it('tells the listener only after the commit, and nothing when the transaction aborts', async () => {
    const name = freshDbName();
    const db = new ErrandDb(name);
    db.use(jobWritesMiddleware);
    const reader = new ErrandDb(name);
    const { types } = createFixtures();
    const byType = new Map(types.map((type) => [type.type, type]));
    const record = (id: string) =>
      buildJobRecord({ type: 'sleep', payload: {} }, byType, { id, now: 1_000, rank: 1_000 });
    const heard: CommittedJobs[] = [];
    const storedWhenHeard: (JobRecord | undefined)[] = [];
    const listener = (committed: CommittedJobs) => {
      heard.push(committed);
      void reader.jobs.get(committed.changed[0]?.id ?? '').then((job) => storedWhenHeard.push(job));
    };
    try {
      const failing = writeJobs(
        db,
        [db.jobs],
        async () => {
          await db.jobs.put(record('aborted'));
          throw new Error('refused after the write');
        },
        listener,
      );
      await expect(failing).rejects.toThrow();
      expect(heard).toEqual([]);
      expect(await reader.jobs.get('aborted')).toBeUndefined();

      await writeJobs(db, [db.jobs], () => db.jobs.put(record('kept')), listener);
      expect(heard).toEqual([{ changed: [record('kept')], removed: [] }]);
      await vi.waitFor(() => expect(storedWhenHeard).toEqual([record('kept')]));
    } finally {
      db.close();
      reader.close();
    }
  });

  it('re-reads a spaced count and list after jobs change, one read at a time', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const counts: number[] = [];
    const stopCount = client.watchCount().subscribe((count) => counts.push(count));
    const lists: number[] = [];
    const stopList = client.watch({ status: 'waiting' }, { minGapMs: 50 }).subscribe((jobs) => lists.push(jobs.length));
    await vi.waitFor(() => expect(counts).toEqual([0]));
    await client.enqueueMany([1, 2, 3].map(() => ({ type: 'sleep', payload: {}, options: { delayMs: 60_000 } })));
    await client.enqueue('sleep', {}, { delayMs: 60_000 });
    await vi.waitFor(() => expect(counts.at(-1)).toBe(4), { timeout: 5_000 });
    await vi.waitFor(() => expect(lists.at(-1)).toBe(4)); // delayed jobs wait for their time
    // Two writes within the pause make one more count, not two.
    expect(counts.length).toBeLessThanOrEqual(3);
    stopCount();
    stopList();
  });
});
