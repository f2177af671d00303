import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, freshDbName, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { MemoryLock } from '../helpers/memory-lock';
import { INTERRUPTED, PAGE_EXIT } from '../../src/shared';
import { ErrandDb, markPageExit } from '../../src/store';

const open: Harness[] = [];

/** What a page does as it unloads: notes its runtime's end (as `pagehide` does), then goes. */
async function writeExitNote(dbName: string, instance: string, at: number): Promise<void> {
  const db = new ErrandDb(dbName);
  await db.open();
  expect(markPageExit(db, instance, at)).toBe(true);
  // The page's transaction is committed before its runtime's lock is freed (the page unloads first).
  await vi.waitFor(async () => expect(await db.exits.get(instance)).toBeDefined());
  db.close();
}

async function leavePage(harness: Harness): Promise<void> {
  const { instance } = await harness.runtime.api.status();
  if (instance === undefined) throw new Error('The runtime names no instance');
  await writeExitNote(harness.dbName, instance, harness.clock.now());
  harness.crash();
}
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

  it('an attempt cut short because its page left is given back, headway or not: reloads never fail a job', async () => {
    const { types, probe } = createFixtures();
    const dbName = freshDbName();
    const lock = new MemoryLock();
    const clock = new ManualClock();
    let current = createHarness({ types, dbName, lock, clock });
    open.push(current);
    const job = await current.client.enqueue('sleep', { key: 'held' }, { maxAttempts: 2 });
    // More page exits than the job has attempts, each before the attempt saved anything.
    for (let exit = 1; exit <= 4; exit++) {
      await probe.gate.whenReached('sleep:held');
      expect(await current.client.get(job.id)).toMatchObject({ status: 'running', attempts: 1 });
      probe.gate.reached.delete('sleep:held');
      await leavePage(current);
      current = createHarness({ types, dbName, lock, clock });
      open.push(current);
      await current.runtime.becameRunner;
    }
    await probe.gate.whenReached('sleep:held');
    const running = await current.client.get(job.id);
    expect(running).toMatchObject({ status: 'running', attempts: 1, interruptions: 4 });
    expect(running?.crashes).toBeUndefined();
    expect(running?.history.filter((entry) => entry.code === PAGE_EXIT)).toHaveLength(4);
    expect(running?.history.filter((entry) => entry.code === INTERRUPTED)).toEqual([]);
    probe.gate.open('sleep:held');
    expect(await current.client.waitFor(job.id)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it("only the runner's own page counts: a note left by another tab gives nothing back to a crashed runner", async () => {
    const { types, probe } = createFixtures();
    const dbName = freshDbName();
    const lock = new MemoryLock();
    const clock = new ManualClock();
    const first = createHarness({ types, dbName, lock, clock });
    const watcher = createHarness({ types, dbName, lock, clock });
    open.push(first, watcher);
    const job = await first.client.enqueue('sleep', { key: 'held' }, { maxAttempts: 3 });
    await probe.gate.whenReached('sleep:held');
    probe.gate.reached.delete('sleep:held');
    // The runner's page leaves: its note is taken by the next takeover and cleared.
    await leavePage(first);
    await watcher.runtime.becameRunner;
    await probe.gate.whenReached('sleep:held');
    probe.gate.reached.delete('sleep:held');
    expect(await watcher.client.get(job.id)).toMatchObject({ attempts: 1, interruptions: 1 });

    // Another tab leaves (a note for a runtime that is not the runner), then the runner crashes.
    await writeExitNote(dbName, crypto.randomUUID(), clock.now());
    watcher.crash();
    const third = createHarness({ types, dbName, lock, clock });
    open.push(third);
    await third.runtime.becameRunner;
    await probe.gate.whenReached('sleep:held');
    const after = await third.client.get(job.id);
    // The crash used the attempt up: it had saved nothing.
    expect(after).toMatchObject({ status: 'running', attempts: 2, interruptions: 1 });
    expect(after?.history.at(-2)).toMatchObject({ status: 'queued', code: INTERRUPTED });
    probe.gate.open('sleep:held');
    await third.client.waitFor(job.id);
  });

  it('a note whose page is closed or whose store is gone is not written, and throws nothing', async () => {
    const db = new ErrandDb(freshDbName());
    expect(markPageExit(db, 'someone', 1)).toBe(false);
    await db.open();
    expect(markPageExit(db, 'someone', 1)).toBe(true);
    await vi.waitFor(async () => expect(await db.exits.get('someone')).toEqual({ instance: 'someone', at: 1 }));
    db.close();
    expect(markPageExit(db, 'someone-else', 2)).toBe(false);
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
