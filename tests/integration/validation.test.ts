import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { defineJobType } from '../../src/worker';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, freshDbName, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { MemoryLock } from '../helpers/memory-lock';
import { untilJob } from '../helpers/wait';

let harness: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await harness?.close();
  harness = undefined;
});

const strict = defineJobType<{ n: number }, number>({
  type: 'strict',
  label: 'Strict',
  parse(payload) {
    const n = (payload as { n?: unknown } | null)?.n;
    if (typeof n !== 'number') throw new Error('n must be a number');
    return { n };
  },
  run: async (payload) => payload.n * 2,
});

/**
 * The disk is full: every write to a store fails the way browsers report it, until `restore`.
 * With `name`, every write fails with that error instead (`UnknownError`: the browser's storage
 * failed for a reason of its own).
 */
function fillStorage(name = 'QuotaExceededError') {
  const store = globalThis.IDBObjectStore.prototype;
  const full = () => {
    throw new DOMException(name === 'QuotaExceededError' ? 'The quota has been exceeded.' : 'Internal error.', name);
  };
  const put = vi.spyOn(store, 'put').mockImplementation(full);
  const add = vi.spyOn(store, 'add').mockImplementation(full);
  return {
    put,
    restore: () => {
      put.mockRestore();
      add.mockRestore();
    },
  };
}

function setup() {
  const { types } = createFixtures();
  harness = createHarness({ types: [...types, strict] });
  return harness.client;
}

describe('bad input is refused with a typed error and leaves nothing behind', () => {
  it('an unknown job type', async () => {
    const client = setup();
    await expect(client.enqueue('no_such_type', {})).rejects.toMatchObject({
      name: 'UnknownJobTypeError',
      code: 'unknown-job-type',
    });
    expect(await client.count()).toBe(0);
  });

  it('a payload that cannot be stored', async () => {
    const client = setup();
    await expect(client.enqueue('sleep', { callback: () => 1 })).rejects.toMatchObject({
      name: 'DataCloneError',
      code: 'data-clone',
    });
    await expect(client.enqueue('sleep', { node: new WeakMap() })).rejects.toMatchObject({
      code: 'data-clone',
      message: expect.stringMatching(/^The payload cannot be stored: /),
    });
    expect(await client.count()).toBe(0);
  });

  it('a payload whose getter throws while it is stored', async () => {
    const client = setup();
    const payload = {
      get secret(): string {
        throw new Error('not readable');
      },
    };
    await expect(
      client.enqueueMany([
        { type: 'sleep', payload: {} },
        { type: 'sleep', payload },
      ]),
    ).rejects.toMatchObject({
      code: 'data-clone',
      message: expect.stringMatching(/^The payload of job 2 of 2 cannot be stored: .*not readable/),
    });
    expect(await client.count()).toBe(0);
  });

  it('a bulk enqueue with one payload that cannot be stored stores none and names that one', async () => {
    const client = setup();
    const requests = Array.from({ length: 5 }, (_, i) => ({
      type: 'sleep',
      payload: i === 2 ? { callback: () => 1 } : { ms: 0, i },
    }));
    await expect(client.enqueueMany(requests)).rejects.toMatchObject({
      code: 'data-clone',
      message: expect.stringMatching(/^The payload of job 3 of 5 cannot be stored: /),
    });
    expect(await client.count()).toBe(0);
  });

  it('a payload its type rejects', async () => {
    const client = setup();
    await expect(client.enqueue('strict', { n: 'seven' })).rejects.toMatchObject({
      name: 'InvalidPayloadError',
      code: 'invalid-payload',
    });
    expect(await client.count()).toBe(0);
    const ok = await client.enqueue('strict', { n: 7 });
    expect(await client.waitFor(ok.id)).toMatchObject({ status: 'completed', result: 14 });
  });

  it('options out of range', async () => {
    const client = setup();
    for (const options of [
      { maxAttempts: 0 },
      { delayMs: -5 },
      { runAt: Number.NaN },
      { priority: 'urgent' },
      { label: 42 },
    ]) {
      await expect(client.enqueue('sleep', {}, options as never)).rejects.toMatchObject({ code: 'invalid-input' });
    }
    expect(await client.count()).toBe(0);
  });

  it('a batch with one bad request stores none of it', async () => {
    const client = setup();
    await expect(
      client.enqueueMany([
        { type: 'sleep', payload: {} },
        { type: 'no_such_type', payload: {} },
      ]),
    ).rejects.toMatchObject({ code: 'unknown-job-type' });
    expect(await client.count()).toBe(0);
  });

  it('a full store: quota-exceeded, no partial record, earlier jobs intact, works again when room returns', async () => {
    const client = setup();
    const before = await client.enqueue('sleep', { value: 'kept' });
    await client.waitFor(before.id);

    const { restore } = fillStorage();
    await expect(
      client.enqueueMany([
        { type: 'sleep', payload: {} },
        { type: 'sleep', payload: {} },
      ]),
    ).rejects.toMatchObject({ name: 'QuotaExceededError', code: 'quota-exceeded', retryable: true });
    restore();

    expect(await client.count()).toBe(1);
    expect(await client.get(before.id)).toMatchObject({ status: 'completed', result: 'kept' });
    const after = await client.enqueue('sleep', {});
    expect(await client.waitFor(after.id)).toMatchObject({ status: 'completed' });
  });

  it('a tab that takes over while the store is full keeps the runner lock and runs the jobs once room returns', async () => {
    const clock = new ManualClock();
    const lock = new MemoryLock();
    const dbName = freshDbName();
    const { types, probe } = createFixtures();
    const first = createHarness({ types, clock, lock, dbName });
    onTestFinished(() => first.close());
    const job = await first.client.enqueue('sleep', { key: 'taken-over', value: 'done' });
    await probe.gate.whenReached('sleep:taken-over');

    const { put, restore } = fillStorage();
    first.crash();
    harness = createHarness({ types, clock, lock, dbName });
    await vi.waitFor(() => expect(put).toHaveBeenCalled());
    expect(await harness.runtime.api.status()).toMatchObject({ isRunner: false });

    restore();
    clock.advance(1000);
    expect(await harness.runtime.becameRunner).toBe(2);
    probe.gate.open('sleep:taken-over');
    expect(await harness.client.waitFor(job.id)).toMatchObject({ status: 'completed', result: 'done' });
  });

  it('jobs waiting for the network, back while the store is full, are woken once room returns', async () => {
    const clock = new ManualClock();
    const { types } = createFixtures(undefined, { sleep: { needsNetwork: true } });
    harness = createHarness({ types, clock });
    const { client, network } = harness;
    await harness.runtime.becameRunner;
    network.set(false);
    const job = await client.enqueue('sleep', { value: 'done' });
    await untilJob(client, job.id, (j) => j.status === 'waiting' && j.waitReason === 'offline');

    const { put, restore } = fillStorage();
    network.set(true);
    await vi.waitFor(() => expect(put).toHaveBeenCalled());
    // Still full at the next try: tried again, later.
    const refused = put.mock.calls.length;
    clock.advance(1000);
    await vi.waitFor(() => expect(put.mock.calls.length).toBeGreaterThan(refused));
    expect(await client.get(job.id)).toMatchObject({ status: 'waiting', waitReason: 'offline' });

    restore();
    clock.advance(2000);
    expect(await client.waitFor(job.id)).toMatchObject({ status: 'completed', result: 'done', attempts: 1 });
  });

  it('an outcome that cannot be stored while the store is full is kept and committed once room returns', async () => {
    const clock = new ManualClock();
    const { types, probe } = createFixtures();
    harness = createHarness({ types, clock });
    const { client } = harness;
    const job = await client.enqueue('sleep', { key: 'full', value: 'done' });
    await probe.gate.whenReached('sleep:full');

    const { put, restore } = fillStorage();
    probe.gate.open('sleep:full');
    await vi.waitFor(() => expect(put).toHaveBeenCalled());
    clock.advance(1000);
    clock.advance(1000);
    expect(await client.get(job.id)).toMatchObject({ status: 'running' });
    await expect(client.enqueue('sleep', {})).rejects.toMatchObject({ code: 'quota-exceeded' });

    restore();
    clock.advance(1000);
    expect(await client.waitFor(job.id)).toMatchObject({ status: 'completed', result: 'done', attempts: 1 });
    expect(await client.count()).toBe(1);
  });

  it.each([
    { failure: 'QuotaExceededError', code: 'quota-exceeded', when: 'the store stays full' },
    { failure: 'UnknownError', code: 'storage', when: 'storage keeps failing for another reason' },
  ])(
    'an outcome given up while $when leaves no job running: its failure lands once writes succeed again',
    async ({ failure, code }) => {
      const clock = new ManualClock();
      const { types, probe } = createFixtures();
      harness = createHarness({ types, clock });
      const { client } = harness;
      const job = await client.enqueue('sleep', { key: 'long-full', value: 'done' });
      await probe.gate.whenReached('sleep:long-full');

      const { put, restore } = fillStorage(failure);
      probe.gate.open('sleep:long-full');
      // Every round fails, each a second after the last, until the outcome is given up and the
      // failure recorded instead is refused too; then that failure is tried again, spaced out.
      for (let second = 0; second < 30; second++) {
        const calls = put.mock.calls.length;
        await vi.waitFor(() => expect(put.mock.calls.length).toBeGreaterThan(calls));
        clock.advance(1000);
      }
      const givenUpBy = put.mock.calls.length;
      for (let second = 0; second < 60; second++) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        clock.advance(1000);
      }
      expect(put.mock.calls.length, 'the failure recorded instead is tried again').toBeGreaterThan(givenUpBy + 2);
      expect(await client.get(job.id)).toMatchObject({ status: 'running' });

      restore();
      for (let wait = 0; wait < 5; wait++) clock.advance(30_000);
      await vi.waitFor(async () =>
        expect(await client.get(job.id)).toMatchObject({ status: 'waiting', error: { code } }),
      );
      clock.advance(60_000);
      expect(await client.waitFor(job.id)).toMatchObject({ status: 'completed', result: 'done', attempts: 2 });
    },
  );
});
