import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobRepository, ResponseStore, type ClaimOptions } from '../../src/store';
import { StorageError } from '../../src/shared';
import { defineJobType, type AnyJobType } from '../../src/worker';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { untilJob } from '../helpers/wait';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  vi.restoreAllMocks();
});

/** A cached, batched type: one "call" per batch, recorded. */
function echoType(calls: string[][], options: { failOnce?: Set<string> } = {}) {
  const upper = (text: string) => {
    if (options.failOnce?.delete(text)) return { ok: false as const, error: new Error(`bad item ${text}`) };
    return { ok: true as const, value: text.toUpperCase() };
  };
  return defineJobType<{ text: string }, string>({
    type: 'echo',
    label: 'Echo',
    cache: {},
    batch: { windowMs: 250, maxSize: 10 },
    concurrency: 2,
    retry: { maxAttempts: 3, backoff: { baseMs: 1000, jitter: false } },
    async run(payload) {
      calls.push([payload.text]);
      const outcome = upper(payload.text);
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
    async runBatch(items) {
      calls.push(items.map((item) => item.payload.text));
      return items.map((item) => upper(item.payload.text));
    },
  }) as AnyJobType;
}

function setup(calls: string[][], options?: { failOnce?: Set<string> }) {
  const clock = new ManualClock();
  const { types } = createFixtures();
  harness = createHarness({ types: [...types, echoType(calls, options)], clock });
  return { clock, client: harness.client };
}

describe('batching', () => {
  it('sends 100 similar jobs enqueued together in at most 10 calls', async () => {
    const calls: string[][] = [];
    const { client } = setup(calls);
    const jobs = await client.enqueueMany(
      Array.from({ length: 100 }, (_, i) => ({ type: 'echo', payload: { text: `r${i}` } })),
    );
    for (const job of jobs)
      expect(await client.waitFor(job.id)).toMatchObject({
        status: 'completed',
        result: job.payload && (job.payload as { text: string }).text.toUpperCase(),
      });
    expect(calls.length).toBeLessThanOrEqual(10);
    expect(calls.flat().sort()).toEqual(jobs.map((job) => (job.payload as { text: string }).text).sort());
  });

  it('waits for the window before sending a small batch, then sends it as one call', async () => {
    const calls: string[][] = [];
    const { client, clock } = setup(calls);
    const jobs = await client.enqueueMany(['a', 'b', 'c'].map((text) => ({ type: 'echo', payload: { text } })));
    await client.onIdle();
    expect(calls).toEqual([]);
    expect(await client.get(jobs[0]!.id)).toMatchObject({ status: 'queued' });
    clock.advance(249);
    await client.onIdle();
    expect(calls).toEqual([]);
    clock.advance(1);
    for (const job of jobs) await client.waitFor(job.id);
    expect(calls).toEqual([['a', 'b', 'c']]);
  });

  it("records a batch's outcomes in one round, not one round each", async () => {
    const calls: string[][] = [];
    const { client, clock } = setup(calls);
    const claim = vi.spyOn(JobRepository.prototype, 'claim');
    const jobs = await client.enqueueMany(
      Array.from({ length: 10 }, (_, i) => ({ type: 'echo', payload: { text: `b${i}` } })),
    );
    for (const job of jobs) await client.waitFor(job.id);
    clock.advance(0);
    expect(calls).toHaveLength(1);
    const finishesPerRound = claim.mock.calls
      .map(([options]: [ClaimOptions]) => options.finishes?.length ?? 0)
      .filter((count) => count > 0);
    expect(finishesPerRound).toEqual([10]);
  });

  it('a failed item retries alone; the rest of its batch completes', async () => {
    const calls: string[][] = [];
    const { client, clock } = setup(calls, { failOnce: new Set(['b']) });
    const jobs = await client.enqueueMany(['a', 'b', 'c'].map((text) => ({ type: 'echo', payload: { text } })));
    clock.advance(250);
    const [a, b, c] = jobs;
    expect(await client.waitFor(a!.id)).toMatchObject({ status: 'completed', result: 'A' });
    expect(await client.waitFor(c!.id)).toMatchObject({ status: 'completed', result: 'C' });
    const waiting = await untilJob(client, b!.id, (job) => job.status === 'waiting');
    expect(waiting).toMatchObject({ waitReason: 'retry', attempts: 1 });
    clock.advance(1000);
    await client.onIdle();
    clock.advance(250);
    expect(await client.waitFor(b!.id)).toMatchObject({ status: 'completed', result: 'B', attempts: 2 });
    expect(calls).toEqual([['a', 'b', 'c'], ['b']]);
  });

  it('a half-formed batch survives a restart: its members are ordinary queued jobs', async () => {
    const calls: string[][] = [];
    const { client } = setup(calls);
    const jobs = await client.enqueueMany(['x', 'y'].map((text) => ({ type: 'echo', payload: { text } })));
    await client.onIdle();
    const dbName = harness!.dbName;
    await harness!.close();
    const clock = new ManualClock(Date.UTC(2026, 0, 1) + 10_000);
    const { types } = createFixtures();
    harness = createHarness({ types: [...types, echoType(calls)], dbName, clock });
    for (const job of jobs) expect(await harness.client.waitFor(job.id)).toMatchObject({ status: 'completed' });
    expect(calls).toEqual([['x', 'y']]);
  });
});

describe('the result cache', () => {
  it('a job that asks anew is not answered from the store and replaces the stored answer', async () => {
    let calls = 0;
    const counting = defineJobType<{ text: string }, string>({
      type: 'counting',
      label: 'Counting',
      cache: {},
      async run(payload) {
        calls += 1;
        return `${payload.text} #${calls}`;
      },
    }) as AnyJobType;
    harness = createHarness({ types: [counting], clock: new ManualClock() });
    const { client } = harness;
    const first = await client.enqueue('counting', { text: 'soup' });
    expect(await client.waitFor(first.id)).toMatchObject({ result: 'soup #1' });
    expect(await client.enqueue('counting', { text: 'soup' })).toMatchObject({ cacheHit: true, result: 'soup #1' });

    const fresh = await client.enqueue('counting', { text: 'soup' }, { fresh: true });
    expect(fresh).toMatchObject({ status: 'queued', fresh: true });
    // A second one asked anew does not join the first: each asks.
    const fresher = await client.enqueue('counting', { text: 'soup' }, { fresh: true });
    expect(fresher.id).not.toBe(fresh.id);
    expect(await client.waitFor(fresh.id)).toMatchObject({ status: 'completed', result: 'soup #2' });
    expect(await client.waitFor(fresher.id)).toMatchObject({ status: 'completed', result: 'soup #3' });
    expect(await client.enqueue('counting', { text: 'soup' })).toMatchObject({ cacheHit: true, result: 'soup #3' });
    expect(calls).toBe(3);
    await expect(client.enqueue('counting', { text: 'soup' }, { fresh: 'yes' as never })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it('answers a repeated request from the store at once, with no call', async () => {
    const calls: string[][] = [];
    const { client, clock } = setup(calls);
    const first = await client.enqueue('echo', { text: 'soup' });
    clock.advance(250);
    await client.waitFor(first.id);
    expect(calls).toEqual([['soup']]);

    const again = await client.enqueue('echo', { text: 'soup' });
    expect(again).toMatchObject({ status: 'completed', result: 'SOUP', cacheHit: true });
    expect(again.id).not.toBe(first.id);
    expect(await client.get(again.id)).toMatchObject({ status: 'completed', cacheHit: true });
    expect(calls).toEqual([['soup']]);
  });

  it('a failed read of the stored answers fails the attempt, which retries: no job is left running', async () => {
    const calls: string[][] = [];
    const { client, clock } = setup(calls);
    vi.spyOn(ResponseStore.prototype, 'getMany').mockRejectedValueOnce(
      new StorageError('Storage failed: Internal error'),
    );
    const job = await client.enqueue('echo', { text: 'unread' });
    clock.advance(250);
    await vi.waitFor(async () =>
      expect(await client.get(job.id)).toMatchObject({ status: 'waiting', error: { code: 'storage' } }),
    );
    expect(calls).toEqual([]);
    // The retry's wait, then the batch window from the new run time.
    clock.advance(1000);
    await client.onIdle();
    clock.advance(250);
    expect(await client.waitFor(job.id)).toMatchObject({ status: 'completed', result: 'UNREAD', attempts: 2 });
    expect(calls).toEqual([['unread']]);
  });

  it('an identical request while one is in flight joins it instead of making a second job', async () => {
    const calls: string[][] = [];
    const { client, clock } = setup(calls);
    const first = await client.enqueue('echo', { text: 'stew' });
    const second = await client.enqueue('echo', { text: 'stew' });
    const [third] = await client.enqueueMany([{ type: 'echo', payload: { text: 'stew' } }]);
    expect(second.id).toBe(first.id);
    expect(third!.id).toBe(first.id);
    expect(await client.count()).toBe(1);
    clock.advance(250);
    await client.waitFor(first.id);
    expect(calls).toEqual([['stew']]);
  });

  it('fingerprints ignore key order', async () => {
    const calls: string[][] = [];
    const { client } = setup(calls);
    const a = await client.enqueue('echo', { text: 'pie', note: { x: 1, y: 2 } });
    const b = await client.enqueue('echo', { note: { y: 2, x: 1 }, text: 'pie' });
    expect(b.id).toBe(a.id);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });
});
