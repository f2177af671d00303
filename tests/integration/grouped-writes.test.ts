import { describe, expect, it, vi } from 'vitest';
import { StaleRunnerError, type JobRecord, type Lease } from '../../src/shared';
import type { WorkerStore } from '../../src/store';
import { WriteGroup } from '../../src/store/write-group';
import { NOW, queuedRecord, workerStores } from '../helpers/worker-store';

const openStore = workerStores();

function queued(i: number): JobRecord {
  return queuedRecord(`job-${String(i).padStart(3, '0')}`, { label: `Work ${i}`, rank: i, payload: { i } });
}

/** `count` jobs running under this store's runner, each with its lease. */
async function running(opened: WorkerStore, count: number): Promise<{ id: string; lease: Lease }[]> {
  await opened.jobs.insert(
    Array.from({ length: count }, (_, i) => queued(i)),
    NOW,
  );
  const { epoch } = await opened.jobs.takeOver(NOW, { id: 'store-1', createdAt: NOW });
  let token = 0;
  const { started } = await opened.jobs.claim({
    epoch,
    now: NOW,
    limit: count,
    capacity: new Map([['work', count]]),
    needsNetwork: new Set(),
    online: true,
    newLease: () => ({ epoch, token: `lease-${(token += 1)}` }),
  });
  return started.map((job) => ({ id: job.id, lease: job.lease as Lease }));
}

/**
 * Counts the read-write transactions opened on IndexedDB, by the stores they cover. Dexie binds
 * `transaction` when it opens a database, so this is installed before the store opens.
 */
function countWriteTransactions(): Map<string, number> {
  const counts = new Map<string, number>();
  const { prototype } = IDBDatabase;
  const original = Object.getOwnPropertyDescriptor(prototype, 'transaction')?.value as IDBDatabase['transaction'];
  vi.spyOn(prototype, 'transaction').mockImplementation(function (this: IDBDatabase, names, mode, options) {
    if (mode === 'readwrite') {
      const key = [...(typeof names === 'string' ? [names] : names)].sort().join('+');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return original.call(this, names, mode, options);
  });
  return counts;
}

/** A store with `count` running jobs; `counts` counts its write transactions from then on. */
async function countedStore(count: number) {
  const counts = countWriteTransactions();
  const opened = openStore();
  const jobs = await running(opened, count);
  counts.clear();
  return { opened, jobs, counts };
}

describe('grouped writes of running attempts', () => {
  it('writes the step starts and ends of many attempts that arrive together in one transaction each', async () => {
    const { opened, jobs, counts } = await countedStore(40);

    await Promise.all(jobs.map(({ id, lease }) => opened.journal.beginStep(id, lease, 'fetch', NOW + 1)));
    await Promise.all(jobs.map(({ id, lease }) => opened.journal.finishStep(id, lease, 'fetch', { id }, NOW + 2)));

    expect(counts.get('jobs+steps')).toBe(2);
    const stored = await opened.db.jobs.bulkGet(jobs.map(({ id }) => id));
    expect(stored.map((job) => job?.completedSteps)).toEqual(jobs.map(() => 1));
    const steps = await opened.db.steps
      .where('jobId')
      .anyOf(jobs.map(({ id }) => id))
      .toArray();
    expect(steps).toHaveLength(40);
    expect(steps.every((step) => step.status === 'completed' && step.runs === 1)).toBe(true);
  });

  it('writes the progress of many attempts that arrive together in one transaction', async () => {
    const { opened, jobs, counts } = await countedStore(40);

    const answers = await Promise.all(
      jobs.map(({ id, lease }, i) => opened.jobs.progress(id, lease, { progress: i / 40, step: 'half' }, NOW + 1)),
    );

    expect(counts.get('jobs')).toBe(1);
    expect(answers.map((job) => job?.progress)).toEqual(jobs.map((_, i) => i / 40));
    const stored = await opened.db.jobs.bulkGet(jobs.map(({ id }) => id));
    expect(stored.map((job) => job?.progress)).toEqual(jobs.map((_, i) => i / 40));
  });

  it('commits the checkpoints of many attempts that arrive together in one transaction', async () => {
    const { opened, jobs, counts } = await countedStore(40);

    const answers = await Promise.all(
      jobs.map(({ id, lease }, i) => opened.jobs.checkpoint(id, lease, { next: i }, NOW + 1)),
    );

    expect(counts.get('jobs')).toBe(1);
    expect(answers.map((job) => job.checkpoint)).toEqual(jobs.map((_, i) => ({ next: i })));
    const stored = await opened.db.jobs.bulkGet(jobs.map(({ id }) => id));
    expect(stored.map((job) => job?.checkpoint)).toEqual(jobs.map((_, i) => ({ next: i })));
    const stale: Lease = { epoch: 0, token: 'someone-else' };
    await expect(opened.jobs.checkpoint(jobs[0]?.id ?? '', stale, { next: 99 }, NOW + 2)).rejects.toBeInstanceOf(
      StaleRunnerError,
    );
  });

  it('answers a step begun again after it finished with its stored record, and writes nothing', async () => {
    const { opened, jobs } = await countedStore(2);
    const [job] = jobs;
    if (!job) throw new Error('a job should run');
    await opened.journal.beginStep(job.id, job.lease, 'fetch', NOW + 1);
    await opened.journal.finishStep(job.id, job.lease, 'fetch', { rows: 3 }, NOW + 2);

    const again = await opened.journal.beginStep(job.id, job.lease, 'fetch', NOW + 3);

    expect(again).toMatchObject({ status: 'completed', output: { rows: 3 }, runs: 1, finishedAt: NOW + 2 });
    expect(await opened.db.steps.get([job.id, 'fetch'])).toEqual(again);
  });

  it('refuses a write whose lease is stale alone; the rest of its group commits', async () => {
    const store = openStore();
    const [first, second, third] = await running(store, 3);
    if (!first || !second || !third) throw new Error('three jobs should run');
    const stale: Lease = { ...second.lease, token: 'someone-else' };

    const outcomes = await Promise.allSettled([
      store.journal.finishStep(first.id, first.lease, 'a', 1, NOW + 1),
      store.journal.finishStep(second.id, stale, 'a', 2, NOW + 1),
      store.jobs.progress(third.id, third.lease, { progress: 0.5 }, NOW + 1),
      store.jobs.progress(second.id, stale, { progress: 0.5 }, NOW + 1),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(StaleRunnerError);
    }
    expect((await store.db.jobs.get(first.id))?.completedSteps).toBe(1);
    expect(await store.db.jobs.get(second.id)).toMatchObject({ completedSteps: 0, progress: 0 });
    expect((await store.db.jobs.get(third.id))?.progress).toBe(0.5);
  });

  it('applies two ends of one job in one group in order, neither lost', async () => {
    const store = openStore();
    const [job] = await running(store, 1);
    if (!job) throw new Error('a job should run');

    await Promise.all([
      store.journal.finishStep(job.id, job.lease, 'a', 'A', NOW + 1),
      store.journal.finishStep(job.id, job.lease, 'b', 'B', NOW + 2),
    ]);

    expect(await store.db.jobs.get(job.id)).toMatchObject({ completedSteps: 2, step: 'b' });
  });
});

describe('WriteGroup', () => {
  it('hands requests of one task to one flush, and later ones to the next', async () => {
    const flushed: number[][] = [];
    let release: (() => void) | undefined;
    const group = new WriteGroup<number, number>(async (requests) => {
      flushed.push([...requests]);
      if (flushed.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return requests.map((value) => ({ ok: true as const, value: value * 10 }));
    });

    const first = [group.push(1), group.push(2)];
    await vi.waitFor(() => expect(flushed).toHaveLength(1));
    const later = [group.push(3), group.push(4)];
    release?.();

    expect(await Promise.all([...first, ...later])).toEqual([10, 20, 30, 40]);
    expect(flushed).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('fails every request of a group whose flush fails, and goes on with the next group', async () => {
    let calls = 0;
    const group = new WriteGroup<number, number>((requests) => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('disk full'));
      return Promise.resolve(requests.map((value) => ({ ok: true as const, value })));
    });

    const failed = await Promise.allSettled([group.push(1), group.push(2)]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(await group.push(3)).toBe(3);
  });
});
