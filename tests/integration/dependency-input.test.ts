import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidInputError } from '../../src/shared';
import { defineJobType, type AnyJobType } from '../../src/worker';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import type { WorkerStore } from '../../src/store';
import { NOW, queuedRecord, workerStores } from '../helpers/worker-store';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const openStore = workerStores();

/** A cached type answering its text in upper case. */
const echo = defineJobType<{ text: string }, string>({
  type: 'echo',
  label: 'Echo',
  cache: {},
  run: async (payload) => payload.text.toUpperCase(),
}) as AnyJobType;

/** A type whose handler enqueues a child depending on `dependsOn`, and answers how that went. */
const parent = defineJobType<{ dependsOn: string[] }, { code?: string; message?: string; childId?: string }>({
  type: 'parent',
  label: 'Parent',
  async run(payload, ctx) {
    try {
      const child = await ctx.enqueue('sleep', {}, { dependsOn: payload.dependsOn });
      return { childId: child.id };
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) };
    }
  },
}) as AnyJobType;

/** A job enqueued to run at `NOW + 1000`, waiting for its time, that depends on `dependsOn`. */
function later(id: string, dependsOn: string[]) {
  return queuedRecord(id, {
    status: 'waiting',
    waitReason: 'scheduled',
    runAt: NOW + 1000,
    dependsOn,
    history: [{ status: 'waiting', at: NOW, waitReason: 'scheduled' }],
  });
}

/** One claim round at `now` as the runner, with no free slot: it only wakes and settles jobs. */
async function claimWithNoSlot(store: WorkerStore, now: number) {
  const { epoch } = await store.jobs.takeOver(NOW, { id: 'store-1', createdAt: NOW });
  return store.jobs.claim({
    epoch,
    now,
    limit: 0,
    capacity: new Map([['work', 0]]),
    needsNetwork: new Set(),
    online: true,
    newLease: () => ({ epoch, token: 'unused' }),
  });
}

function setup() {
  const { types, probe } = createFixtures();
  harness = createHarness({ types: [...types, echo, parent] });
  return { client: harness.client, probe };
}

describe('an enqueue whose dependsOn names a job that does not exist', () => {
  it('is refused with invalid-input naming the unknown id, and stores nothing', async () => {
    const { client } = setup();
    const before = await client.count();

    const refused = await client.enqueue('sleep', {}, { dependsOn: ['no-such-job'] }).catch((e: unknown) => e);

    expect(refused).toBeInstanceOf(InvalidInputError);
    expect(refused).toMatchObject({
      code: 'invalid-input',
      message: 'dependsOn names a job that does not exist: no-such-job',
    });
    expect(await client.count()).toBe(before);
  });

  it('is refused when only some of its ids are unknown, naming just those', async () => {
    const { client } = setup();
    const known = await client.enqueue('sleep', { key: 'known' });
    const before = await client.count();

    await expect(
      client.enqueue('sleep', {}, { dependsOn: ['gone-1', known.id, 'gone-2', 'gone-1'] }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'dependsOn names jobs that do not exist: gone-1, gone-2',
    });
    expect(await client.count()).toBe(before);
  });

  it('names at most ten unknown ids and counts the rest', async () => {
    const { client } = setup();
    const ids = Array.from({ length: 12 }, (_, i) => `missing-${i}`);
    await expect(client.enqueue('sleep', {}, { dependsOn: ids })).rejects.toMatchObject({
      code: 'invalid-input',
      message: `dependsOn names jobs that do not exist: ${ids.slice(0, 10).join(', ')} and 2 more`,
    });
  });

  it('refuses a whole enqueueMany when one of its jobs names one, storing none of them', async () => {
    const { client } = setup();
    const known = await client.enqueue('sleep', { key: 'known' });
    const before = await client.count();

    await expect(
      client.enqueueMany([
        { type: 'sleep', payload: {} },
        { type: 'sleep', payload: {}, options: { dependsOn: [known.id] } },
        { type: 'sleep', payload: {}, options: { dependsOn: ['no-such-job'] } },
        { type: 'sleep', payload: {} },
      ]),
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('no-such-job') });
    expect(await client.count()).toBe(before);

    // The same batch without the bad job is stored whole.
    const stored = await client.enqueueMany([
      { type: 'sleep', payload: {} },
      { type: 'sleep', payload: {}, options: { dependsOn: [known.id] } },
    ]);
    // Its dependency has not completed: it waits for it from the start.
    expect(stored[1]).toMatchObject({ status: 'waiting', waitReason: 'dependencies', dependsOn: [known.id] });
    expect(await client.count()).toBe(before + 2);
  });

  it('is refused for a cached type even when the cache would answer it at once', async () => {
    const { client } = setup();
    const first = await client.enqueue('echo', { text: 'hi' });
    expect(await client.waitFor(first.id)).toMatchObject({ status: 'completed', result: 'HI' });
    const before = await client.count();

    await expect(client.enqueue('echo', { text: 'hi' }, { dependsOn: ['no-such-job'] })).rejects.toMatchObject({
      code: 'invalid-input',
    });
    expect(await client.count()).toBe(before);

    // With a dependency that exists, the cache answers as before.
    const hit = await client.enqueue('echo', { text: 'hi' }, { dependsOn: [first.id] });
    expect(hit).toMatchObject({ status: 'completed', cacheHit: true, result: 'HI', dependsOn: [first.id] });
  });

  it('is refused for a child a handler enqueues, and the child is not stored', async () => {
    const { client } = setup();
    const job = await client.enqueue('parent', { dependsOn: ['no-such-job'] });

    expect(await client.waitFor(job.id)).toMatchObject({
      status: 'completed',
      result: { code: 'invalid-input', message: 'dependsOn names a job that does not exist: no-such-job' },
    });
    expect(await client.count({ type: 'sleep' })).toBe(0);

    // A child depending on a job that exists is stored, with its parent.
    const known = await client.enqueue('sleep', { key: 'known' });
    const ok = await client.enqueue('parent', { dependsOn: [known.id] });
    const { childId } = (await client.waitFor(ok.id)).result as { childId: string };
    expect(await client.get(childId)).toMatchObject({ parentId: ok.id, dependsOn: [known.id] });
  });
});

describe('an enqueue whose dependencies exist', () => {
  it('fails at once with dependency-failed when a dependency failed or was cancelled, naming it', async () => {
    const { client } = setup();
    const failed = await client.enqueue('fail-n-times', { failures: 1, kind: 'permanent' }, { label: 'Fetch' });
    expect(await client.waitFor(failed.id)).toMatchObject({ status: 'failed' });
    const cancelled = await client.enqueue('sleep', { key: 'cancelled' }, { delayMs: 60_000, label: 'Rates' });
    await client.cancel(cancelled.id);

    // The enqueue answers with the failed job: no claim is needed to find it cannot run.
    const afterFailed = await client.enqueue('sleep', {}, { dependsOn: [failed.id] });
    const [afterCancelled] = await client.enqueueMany([
      { type: 'sleep', payload: {}, options: { dependsOn: [cancelled.id] } },
    ]);

    // Each says which dependency, by its label, and what became of it.
    expect(afterFailed).toMatchObject({
      status: 'failed',
      error: { code: 'dependency-failed', message: '“Fetch”, which it depends on, failed', retryable: false },
    });
    expect(afterCancelled).toMatchObject({
      status: 'failed',
      error: { code: 'dependency-failed', message: '“Rates”, which it depends on, was cancelled' },
    });
    expect(await client.get(afterFailed.id)).toMatchObject({ status: 'failed', attempts: 0 });
    expect(await client.count({ status: 'queued' })).toBe(0);
  });

  it('waits from the start for a dependency not yet completed, and is queued at once after one that completed', async () => {
    const { client, probe } = setup();
    const pending = await client.enqueue('sleep', { key: 'pending' }, { label: 'Pending' });
    const done = await client.enqueue('sleep', {});
    await client.waitFor(done.id);

    const waiting = await client.enqueue('sleep', {}, { dependsOn: [done.id, pending.id] });
    expect(waiting).toMatchObject({ status: 'waiting', waitReason: 'dependencies' });
    expect(waiting.history.map((entry) => entry.status)).toEqual(['queued', 'waiting']);
    // Not in the queue, so not in the run order either.
    expect(await client.list({ status: 'queued' })).toEqual([]);

    const ready = await client.enqueue('sleep', {}, { dependsOn: [done.id] });
    expect(ready).toMatchObject({ status: 'queued' });
    expect(await client.waitFor(ready.id)).toMatchObject({ status: 'completed' });

    // One due later waits for its time first; its dependencies are looked at when it wakes.
    const later = await client.enqueue('sleep', {}, { dependsOn: [pending.id], delayMs: 60_000 });
    expect(later).toMatchObject({ status: 'waiting', waitReason: 'scheduled' });

    probe.gate.open('sleep:pending');
    expect(await client.waitFor(waiting.id)).toMatchObject({ status: 'completed' });
  });
});

describe('the store', () => {
  it('accepts a job depending on another job of the same insert', async () => {
    const store = openStore();
    await store.jobs.insert([queuedRecord('first'), queuedRecord('second', { dependsOn: ['first'] })], NOW);
    expect(await store.jobs.get('second')).toMatchObject({
      status: 'waiting',
      waitReason: 'dependencies',
      dependsOn: ['first'],
    });
  });

  it('fails the jobs of an insert that wait on one of it failed at once for its dependency', async () => {
    const store = openStore();
    await store.jobs.insert([queuedRecord('gone', { label: 'Gone' })], NOW);
    await store.jobs.apply('gone', { type: 'cancel' }, NOW);
    const answer = await store.jobs.insert(
      [
        // Listed before the job it waits on, which fails only as the insert is read.
        queuedRecord('last', { dependsOn: ['middle'] }),
        queuedRecord('middle', { label: 'Middle', dependsOn: ['gone'] }),
      ],
      NOW,
    );
    // The answer says what was stored.
    expect(answer.map((job) => job.status)).toEqual(['failed', 'failed']);
    expect(await store.jobs.get('middle')).toMatchObject({
      status: 'failed',
      error: { code: 'dependency-failed', message: '“Gone”, which it depends on, was cancelled' },
    });
    expect(await store.jobs.get('last')).toMatchObject({
      status: 'failed',
      error: { code: 'dependency-failed', message: '“Middle”, which it depends on, failed' },
    });
  });

  it('takes a job of the same insert as it came out: answered from the cache, or joined to another job', async () => {
    const store = openStore();
    await store.db.responses.put({
      fingerprint: 'fp-known',
      type: 'work',
      provider: 'test',
      model: 'test',
      request: {},
      prompt: '',
      response: 'stored answer',
      createdAt: NOW,
    });
    await store.jobs.insert([queuedRecord('running-one', { fingerprint: 'fp-live' })], NOW);
    const answer = await store.jobs.insert(
      [
        queuedRecord('hit', { fingerprint: 'fp-known' }),
        queuedRecord('after-hit', { dependsOn: ['hit'] }),
        queuedRecord('join', { fingerprint: 'fp-live' }),
        queuedRecord('after-join', { dependsOn: ['join'] }),
      ],
      NOW,
    );
    expect(answer.map((job) => [job.id, job.status])).toEqual([
      ['hit', 'completed'],
      // Its dependency completed from the cache: it can run.
      ['after-hit', 'queued'],
      ['running-one', 'queued'],
      // The request it named stands for the job it joined, which it now waits for.
      ['after-join', 'waiting'],
    ]);
    expect(await store.jobs.get('after-join')).toMatchObject({
      status: 'waiting',
      waitReason: 'dependencies',
      dependsOn: ['running-one'],
    });
    expect(await store.jobs.get('join')).toBeUndefined();
  });

  it('sets a job due to run that depends on unfinished jobs waiting for them, not queued, even with no free slot', async () => {
    const store = openStore();
    await store.jobs.insert(
      [queuedRecord('dep', { label: 'Dep' }), queuedRecord('dropped', { label: 'Dropped' })],
      NOW,
    );
    await store.jobs.apply('dropped', { type: 'cancel' }, NOW);
    await store.jobs.insert([later('blocked', ['dep']), later('doomed', ['dropped']), later('free', [])], NOW);
    expect(await store.jobs.get('blocked')).toMatchObject({ status: 'waiting', waitReason: 'scheduled' });

    const result = await claimWithNoSlot(store, NOW + 2000);
    expect(result.woken).toBe(1);
    expect(await store.jobs.get('free')).toMatchObject({ status: 'queued' });
    expect(await store.jobs.get('blocked')).toMatchObject({ status: 'waiting', waitReason: 'dependencies' });
    expect(await store.jobs.get('doomed')).toMatchObject({
      status: 'failed',
      error: { code: 'dependency-failed', message: '“Dropped”, which it depends on, was cancelled' },
    });
    expect((await store.db.jobs.toArray()).filter((job) => job.status === 'queued').map((job) => job.id)).toEqual([
      'dep',
      'free',
    ]);
  });

  it('fails a due job that waits on a due job failed in the same round, rather than leave it waiting', async () => {
    const store = openStore();
    await store.jobs.insert([queuedRecord('dropped', { label: 'Dropped' })], NOW);
    await store.jobs.apply('dropped', { type: 'cancel' }, NOW);
    await store.jobs.insert([later('second', ['first']), later('first', ['dropped'])], NOW);

    await claimWithNoSlot(store, NOW + 2000);
    expect(await store.jobs.get('first')).toMatchObject({ status: 'failed', error: { code: 'dependency-failed' } });
    expect(await store.jobs.get('second')).toMatchObject({
      status: 'failed',
      error: { code: 'dependency-failed', message: '“Work first”, which it depends on, failed' },
    });
  });

  it('does not join a request to a job of the same insert that fails at once for its dependency', async () => {
    const store = openStore();
    await store.jobs.insert([queuedRecord('dropped')], NOW);
    await store.jobs.apply('dropped', { type: 'cancel' }, NOW);
    const answer = await store.jobs.insert(
      [
        queuedRecord('doomed', { fingerprint: 'fp', dependsOn: ['dropped'] }),
        queuedRecord('asked', { fingerprint: 'fp' }),
      ],
      NOW,
    );
    expect(answer.map((job) => [job.id, job.status])).toEqual([
      ['doomed', 'failed'],
      ['asked', 'queued'],
    ]);
  });

  it('reads no job for an insert without dependencies, and reads the dependencies of one with them', async () => {
    const store = openStore();
    await store.db.open();
    await store.jobs.insert([queuedRecord('dep')], NOW);
    const reads: string[] = [];
    const methods = ['get', 'getAll', 'getAllKeys', 'getKey', 'openCursor', 'openKeyCursor', 'count'] as const;
    type Reader = (this: { name: string }, ...args: unknown[]) => unknown;
    for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype]) {
      const readers = proto as unknown as Record<(typeof methods)[number], Reader>;
      for (const method of methods) {
        const original = readers[method];
        vi.spyOn(readers, method).mockImplementation(function (this: { name: string }, ...args: unknown[]) {
          reads.push(`${this.name}.${method}`);
          return original.apply(this, args);
        });
      }
    }

    await store.jobs.insert([queuedRecord('plain')], NOW);
    await store.jobs.insert([queuedRecord('a'), queuedRecord('b')], NOW);
    expect(reads).toEqual([]);

    await store.jobs.insert([queuedRecord('dependent', { dependsOn: ['dep'] })], NOW);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((read) => read.startsWith('jobs.'))).toBe(true);

    await expect(store.jobs.insert([queuedRecord('orphan', { dependsOn: ['nope'] })], NOW)).rejects.toMatchObject({
      code: 'invalid-input',
    });
    expect(await store.jobs.get('orphan')).toBeUndefined();
  });
});
