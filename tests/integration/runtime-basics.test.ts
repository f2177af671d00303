import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { uuidV7Time, type JobRecord } from '../../src/shared';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('enqueue and run', () => {
  it('reports an enqueue it has not answered yet, and where it waits, in status()', async () => {
    const { types } = createFixtures();
    const clock = new ManualClock();
    harness = createHarness({ types, clock });
    await harness.runtime.becameRunner;
    await harness.client.onIdle();
    expect((await harness.client.status()).pendingEnqueues).toBeUndefined();

    // Another transaction holds the jobs: the enqueue's write waits for it.
    const idb = harness.runtime.store.db.backendDB();
    const holder = idb.transaction('jobs', 'readwrite');
    let holding = true;
    const spin = (): void => {
      const request = holder.objectStore('jobs').get('none');
      request.onsuccess = () => {
        if (holding) spin();
      };
    };
    spin();
    const released = new Promise((resolve) => holder.addEventListener('complete', resolve));
    const enqueued = harness.client.enqueue('sleep', { value: 1 });
    await vi.waitFor(async () =>
      expect((await harness?.client.status())?.pendingEnqueues).toEqual([
        { jobs: 1, since: clock.now(), stage: 'writing' },
      ]),
    );

    holding = false;
    await released;
    expect((await enqueued).status).toBe('queued');
    expect((await harness.client.status()).pendingEnqueues).toBeUndefined();
  });

  it('an insert passes through reading, writing and committing, in that order; one job with nothing to read skips reading', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    await harness.runtime.becameRunner;
    const now = Date.now();
    const first = await harness.client.enqueue('sleep', { value: 0 }, { runAt: now + 3_600_000 });
    const cases = [
      { count: 1, dependsOn: undefined, expected: ['writing', 'committing'] },
      { count: 1, dependsOn: [first.id], expected: ['reading', 'writing', 'committing'] },
      { count: 3, dependsOn: undefined, expected: ['reading', 'writing', 'committing'] },
    ];
    for (const [n, { count, dependsOn, expected }] of cases.entries()) {
      const stages: string[] = [];
      const records: JobRecord[] = [];
      for (let i = 0; i < count; i++) {
        // A job as the runtime builds it (stored, then copied under a new id for the insert).
        const built = await harness.client.enqueue('sleep', { value: i }, { runAt: now + 3_600_000 });
        records.push({ ...built, id: `staged-${n}-${i}`, ...(dependsOn ? { dependsOn } : {}) });
      }
      const served = await harness.runtime.store.jobs.insert(records, now, (stage) => stages.push(stage));
      expect(stages, `${count} job(s), dependsOn ${String(dependsOn)}`).toEqual(expected);
      const stored = await harness.client.get(`staged-${n}-0`);
      expect(stored).toMatchObject(served[0] as JobRecord);
    }
  });

  it('acknowledges a job only once it is stored, then runs it to completion', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const job = await harness.client.enqueue('sleep', { value: 42 });
    expect(job.status).toBe('queued');
    expect(await harness.client.get(job.id)).toMatchObject({ id: job.id, type: 'sleep' });

    const done = await harness.client.waitFor(job.id);
    expect(done).toMatchObject({ status: 'completed', result: 42, progress: 1, attempts: 1 });
    expect(probe.runs.get(job.id)).toBe(1);
  });

  it('journals steps and reports progress and checkpoints', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types, clock: new ManualClock() });
    const job = await harness.client.enqueue('progress-steps', { steps: 4 });
    const done = await harness.client.waitFor(job.id);
    expect(done).toMatchObject({ status: 'completed', result: { total: 10 }, completedSteps: 4, step: 'step-3' });
    const steps = await harness.client.steps(job.id);
    expect(steps.map((s) => [s.name, s.status, s.runs])).toEqual([
      ['step-0', 'completed', 1],
      ['step-1', 'completed', 1],
      ['step-2', 'completed', 1],
      ['step-3', 'completed', 1],
    ]);
    expect([...probe.stepRuns.values()]).toEqual([1, 1, 1, 1]);
  });

  it('gives new jobs UUIDv7 ids from its clock, in the order they were enqueued, across calls', async () => {
    const { types } = createFixtures();
    const clock = new ManualClock();
    harness = createHarness({ types, clock });
    const first = await harness.client.enqueueMany(
      Array.from({ length: 50 }, (_, i) => ({ type: 'sleep', payload: { value: i }, options: { delayMs: 60_000 } })),
    );
    clock.advance(1);
    const later = await harness.client.enqueue('sleep', { value: 'later' }, { delayMs: 60_000 });
    const ids = [...first, later].map((job) => job.id);
    expect(ids.map((id) => uuidV7Time(id))).toEqual([...first.map(() => clock.now() - 1), clock.now()]);
    expect([...ids].sort()).toEqual(ids);
    expect(first.map((job) => job.createdAt)).toEqual(first.map(() => clock.now() - 1));
  });
});
