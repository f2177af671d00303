import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, freshDbName, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { MemoryLock } from '../helpers/memory-lock';

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});

describe('a crash mid-job', () => {
  it('resumes from the checkpoint on a new runtime, never re-runs finished steps, completes once', async () => {
    const { types, probe } = createFixtures();
    const dbName = freshDbName();
    const lock = new MemoryLock();
    const clock = new ManualClock();
    const first = createHarness({ types, dbName, lock, clock });
    open.push(first);
    const job = await first.client.enqueue('progress-steps', { steps: 5, holdAt: 3 });
    await probe.gate.whenReached(`hold:${job.id}:1`);

    // The tab dies: no shutdown, the browser frees its lock; its code is simply gone (here:
    // it keeps running, which is worse, and must be fenced).
    first.crash();
    const second = createHarness({ types, dbName, lock, clock });
    open.push(second);
    const epoch = await second.runtime.becameRunner;
    expect(epoch).toBe(2);

    await probe.gate.whenReached(`hold:${job.id}:2`);
    const resumed = await second.client.get(job.id);
    // The cut-short attempt had finished steps, so it is given back: a closed tab or a reload
    // does not use up a job's attempts while the job gets somewhere.
    expect(resumed).toMatchObject({ status: 'running', attempts: 1, interruptions: 1, lease: { epoch: 2 } });
    expect(resumed?.history.map((h) => h.status)).toEqual(['queued', 'running', 'queued', 'running']);

    // The old runtime wakes up while the new one runs the job, and tries to go on: every
    // write it attempts is refused, and it stops.
    probe.gate.open(`hold:${job.id}:1`);
    await vi.waitFor(() => expect(probe.runningNow.get('progress-steps')).toBe(1));
    const during = await second.client.get(job.id);
    expect(during).toMatchObject({ status: 'running', lease: resumed?.lease, checkpoint: resumed?.checkpoint });
    expect(probe.stepRuns.get(`${job.id}/step-3`)).toBeUndefined();

    probe.gate.open(`hold:${job.id}:2`);
    const done = await second.client.waitFor(job.id);
    expect(done).toMatchObject({ status: 'completed', result: { total: 15 }, attempts: 1, interruptions: 1 });
    await second.client.onIdle();

    const final = await second.client.get(job.id);
    expect(final?.history.filter((h) => h.status === 'completed')).toHaveLength(1);
    expect(final?.completedAt).toBe(done.completedAt);
    for (let i = 0; i < 5; i++) expect(probe.stepRuns.get(`${job.id}/step-${i}`)).toBe(1);
    const steps = await second.client.steps(job.id);
    expect(steps.map((s) => s.runs)).toEqual([1, 1, 1, 1, 1]);
  });

  it('an attempt cut short before it saved any headway counts, and the last one fails the job as stalled', async () => {
    const { types, probe } = createFixtures();
    const dbName = freshDbName();
    const lock = new MemoryLock();
    let current = createHarness({ types, dbName, lock });
    open.push(current);
    const job = await current.client.enqueue('sleep', { key: 'held' }, { maxAttempts: 2 });
    for (let attempt = 1; attempt <= 2; attempt++) {
      await probe.gate.whenReached('sleep:held');
      expect(await current.client.get(job.id)).toMatchObject({ status: 'running', attempts: attempt });
      probe.gate.reached.delete('sleep:held');
      current.crash();
      current = createHarness({ types, dbName, lock });
      open.push(current);
      await current.runtime.becameRunner;
    }
    const failed = await current.client.waitFor(job.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'stalled', retryable: true } });
    expect(failed.interruptions).toBeUndefined();
    expect(failed.error?.message).toMatch(/interrupted during its last allowed attempt/);
  });

  it('the stale runner cannot claim new jobs either', async () => {
    const { types, probe } = createFixtures();
    const dbName = freshDbName();
    const lock = new MemoryLock();
    const first = createHarness({ types, dbName, lock });
    open.push(first);
    await first.runtime.becameRunner;
    first.crash();
    const second = createHarness({ types, dbName, lock });
    open.push(second);
    await second.runtime.becameRunner;

    const jobs = await first.client.enqueueMany(Array.from({ length: 5 }, () => ({ type: 'sleep', payload: {} })));
    for (const job of jobs) {
      const done = await second.client.waitFor(job.id);
      expect(done.status).toBe('completed');
      expect(done.lease).toBeUndefined();
    }
    expect((await first.runtime.api.status()).isRunner).toBe(false);
    for (const job of jobs) expect(probe.runs.get(job.id)).toBe(1);
  });

  it('a runtime waiting in line for the runner lock keeps its database open, ready to take over', async () => {
    const { types } = createFixtures();
    const dbName = freshDbName();
    const lock = new MemoryLock();
    const runner = createHarness({ types, dbName, lock });
    const waiting = createHarness({ types, dbName, lock });
    open.push(runner, waiting);
    await runner.runtime.becameRunner;
    // Nothing asks the waiting runtime for anything, yet both its connections open.
    await vi.waitFor(() => {
      expect(waiting.runtime.store.db.isOpen()).toBe(true);
      expect(waiting.runtime.store.relaxedDb.isOpen()).toBe(true);
    });
    expect((await waiting.runtime.api.status()).isRunner).toBe(false);
  });

  it('one runner across runtimes: jobs enqueued anywhere run once, and a closed runner hands over', async () => {
    const { types, probe } = createFixtures();
    const dbName = freshDbName();
    const lock = new MemoryLock();
    const a = createHarness({ types, dbName, lock });
    const b = createHarness({ types, dbName, lock });
    const c = createHarness({ types, dbName, lock });
    open.push(a, b, c);
    await a.runtime.becameRunner;
    const statuses = await Promise.all([a, b, c].map((h) => h.runtime.api.status()));
    expect(statuses.map((s) => s.isRunner)).toEqual([true, false, false]);
    // Only the runner says since when it holds the lock and since when it runs: the time its
    // takeover committed.
    expect(statuses.map((s) => s.lockedSince)).toEqual([a.clock.now(), undefined, undefined]);
    expect(statuses.map((s) => s.runnerSince)).toEqual([a.clock.now(), undefined, undefined]);

    const fromB = await b.client.enqueueMany(
      Array.from({ length: 10 }, (_, i) => ({ type: 'sleep', payload: { key: i < 2 ? `held${i}` : undefined } })),
    );
    await probe.gate.whenReached('sleep:held0');
    await a.close();
    open.splice(open.indexOf(a), 1);
    await b.runtime.becameRunner;
    expect((await b.runtime.api.status()).runnerSince).toBe(b.clock.now());
    probe.gate.open('sleep:held0');
    probe.gate.open('sleep:held1');
    for (const job of fromB) {
      const done = await c.client.waitFor(job.id);
      expect(done.status).toBe('completed');
      expect(done.history.filter((h) => h.status === 'completed')).toHaveLength(1);
      // A job runs again only when its runner went away mid-run: its history shows the requeue.
      const starts = done.history.filter((h) => h.status === 'running').length;
      expect(probe.runs.get(job.id)).toBe(starts);
      if (starts > 1) expect(done.history.map((h) => h.status)).toContain('queued');
    }
    expect(fromB.filter((job) => (probe.runs.get(job.id) ?? 0) > 1).length).toBeLessThanOrEqual(3);
  });
});
