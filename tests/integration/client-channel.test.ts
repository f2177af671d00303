import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageEndpoint, WorkerUnavailableError } from '../../src/shared';
import { connectErrand, type ErrandClient } from '../../src/client';
import { createFixtures } from '../fixtures/job-types';
import { clientOverChannel, createHarness, type ChannelClient, type Harness } from '../helpers/harness';
import { MemoryLockManager } from '../helpers/memory-lock';

let harness: Harness | undefined;
let channel: ChannelClient | undefined;
let remote: ErrandClient | undefined;
const ports: MessagePort[] = [];
afterEach(async () => {
  channel?.close();
  channel = undefined;
  remote?.close();
  remote = undefined;
  for (const port of ports.splice(0)) port.close();
  await harness?.close();
  harness = undefined;
});

/** A client of a fresh runtime over a message channel, as a page reaches its worker. */
function clientOfRuntime(): ErrandClient {
  harness = createHarness({ types: createFixtures().types });
  channel = clientOverChannel(harness);
  return channel.client;
}

describe('a client posting to its worker', () => {
  it('enqueues and answers as the in-process client does', async () => {
    const client = clientOfRuntime();
    const job = await client.enqueue('sleep', { value: 7 });
    expect(job).toMatchObject({ type: 'sleep', status: 'queued' });
    expect((await client.waitFor(job.id)).status).toBe('completed');
    await expect(client.enqueue('no_such_type', {})).rejects.toMatchObject({ code: 'unknown-job-type' });
  });

  it('refuses a payload the message cannot carry with data-clone, naming it, and stores nothing', async () => {
    const client = clientOfRuntime();
    await expect(client.enqueue('sleep', { callback: () => 1 })).rejects.toMatchObject({
      name: 'DataCloneError',
      code: 'data-clone',
      message: expect.stringMatching(/^The payload cannot be stored: /),
    });
    const requests = Array.from({ length: 4 }, (_, i) => ({
      type: 'sleep',
      payload: i === 1 ? { node: new WeakMap() } : { value: i },
    }));
    await expect(client.enqueueMany(requests)).rejects.toMatchObject({
      code: 'data-clone',
      message: expect.stringMatching(/^The payload of job 2 of 4 cannot be stored: /),
    });
    const unreadable = {
      get secret(): string {
        throw new Error('not readable');
      },
    };
    await expect(client.enqueue('sleep', unreadable)).rejects.toMatchObject({
      code: 'data-clone',
      message: expect.stringMatching(/^The payload cannot be stored: .*not readable/),
    });
    expect(await client.count()).toBe(0);
  });

  it('refuses a payload the worker cannot read (nested thousands deep) with data-clone, and answers the next call', async () => {
    const client = clientOfRuntime();
    let deep: unknown = 'bottom';
    // Deep enough that reading the message fails in Node after posting it succeeded.
    for (let i = 0; i < 2_500; i++) deep = { a: deep };
    await expect(client.enqueue('sleep', deep)).rejects.toMatchObject({
      name: 'DataCloneError',
      code: 'data-clone',
      message: expect.stringMatching(/^The payload cannot be stored: /),
    });
    expect(await client.count()).toBe(0);
    const job = await client.enqueue('sleep', { value: 2 });
    expect((await client.waitFor(job.id)).status).toBe('completed');
  });

  it('refuses a call the page cannot post (nested deeper than its stack) with data-clone, and answers the next call', async () => {
    harness = createHarness({ types: createFixtures().types });
    channel = clientOverChannel(harness, {
      pageEnd: (port) => ({
        postMessage(message: unknown, transfer?: Transferable[]) {
          // As Chromium and Node throw when serializing a value runs out of stack.
          if (JSON.stringify(message ?? null).includes('"overflow"')) {
            throw new RangeError('Maximum call stack size exceeded');
          }
          port.postMessage(message, transfer as never);
        },
        addEventListener: port.addEventListener.bind(port) as MessageEndpoint['addEventListener'],
        removeEventListener: port.removeEventListener.bind(port) as MessageEndpoint['removeEventListener'],
        start: port.start.bind(port),
      }),
    });
    const { client } = channel;
    await expect(client.enqueue('sleep', { overflow: true })).rejects.toMatchObject({
      name: 'DataCloneError',
      code: 'data-clone',
      message:
        'The value cannot be sent to the worker: Maximum call stack size exceeded (a value nested too deeply to copy)',
    });
    await expect(client.putSetting('limits', { overflow: true })).rejects.toMatchObject({ code: 'data-clone' });
    expect(await client.count()).toBe(0);
    const job = await client.enqueue('sleep', { value: 3 });
    expect((await client.waitFor(job.id)).status).toBe('completed');
  });

  it('refuses any other value the message cannot carry with data-clone', async () => {
    const client = clientOfRuntime();
    await expect(client.putSetting('limits', { f: () => 1 })).rejects.toMatchObject({
      code: 'data-clone',
      message: expect.stringMatching(/^The value cannot be sent to the worker: /),
    });
    await expect(
      client.enqueue('sleep', { value: 1 }, { label: 'x', onDone: () => 1 } as unknown as { label: string }),
    ).rejects.toMatchObject({ code: 'data-clone', message: expect.stringMatching(/^The value cannot be sent/) });
    expect(await client.count()).toBe(0);
  });
});

/** A client whose worker never answers, as when its script has not loaded (yet, or at all). */
function clientOfSilentWorker(): { client: ErrandClient; worker: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  remote = connectErrand({ worker: port2 as unknown as Worker, dbName: `silent-${Math.random()}` });
  return { client: remote, worker: port2 };
}

/** An `error` event as a Worker fires it when its script throws while it starts. */
function startError(message: string): Event {
  return Object.assign(new Event('error'), { message });
}

describe('a worker that does not start', () => {
  it('rejects the calls waiting for it, and every call after, with worker; reads still work', async () => {
    const { client, worker } = clientOfSilentWorker();
    const failures: WorkerUnavailableError[] = [];
    client.onWorkerFailure((error) => failures.push(error));
    const pending = client.enqueue('sleep', {});
    const settledBefore = await Promise.race([
      pending.then(
        () => 'settled',
        () => 'settled',
      ),
      Promise.resolve('waiting'),
    ]);
    expect(settledBefore).toBe('waiting');

    worker.dispatchEvent(startError('Uncaught SyntaxError: Unexpected token'));
    await expect(pending).rejects.toMatchObject({
      name: 'WorkerUnavailableError',
      code: 'worker',
      reason: 'Uncaught SyntaxError: Unexpected token',
      message: expect.stringContaining('Unexpected token'),
    });
    expect(failures.map((error) => error.code)).toEqual(['worker']);
    await expect(client.cancel('x')).rejects.toMatchObject({ code: 'worker' });
    await expect(client.status()).rejects.toMatchObject({ code: 'worker' });
    await expect(client.onIdle()).rejects.toMatchObject({ code: 'worker' });
    expect(await client.count()).toBe(0);

    const late: string[] = [];
    client.onWorkerFailure((error) => late.push(error.code));
    expect(late).toEqual(['worker']);
  });

  it('says the script did not load when the error carries no message', async () => {
    const { client, worker } = clientOfSilentWorker();
    worker.dispatchEvent(new Event('error'));
    await expect(client.enqueue('sleep', {})).rejects.toMatchObject({
      code: 'worker',
      message: expect.stringContaining('its script did not load'),
    });
  });

  it('is not a failure once the worker has answered: a later error event is a handler of its own', async () => {
    const client = clientOfRuntime();
    await client.status();
    const failures: unknown[] = [];
    client.onWorkerFailure((error) => failures.push(error));
    channel?.port.dispatchEvent(startError('Uncaught Error: from a timer in a handler'));
    const job = await client.enqueue('sleep', { value: 1 });
    expect((await client.waitFor(job.id)).status).toBe('completed');
    expect(failures).toEqual([]);
  });
});

describe('a worker that stops after it started', () => {
  /** A client whose worker holds a lock while it lives, and the means to end that worker. */
  function clientOfMortalWorker(): {
    client: ErrandClient;
    locks: MemoryLockManager;
    silence: () => void;
    stop: () => void;
  } {
    harness = createHarness({ types: createFixtures().types });
    const locks = new MemoryLockManager();
    const worker = locks.context();
    channel = clientOverChannel(harness, { locks: { worker, page: locks.context() } });
    const port = channel.port;
    return {
      client: channel.client,
      locks,
      // As a worker's end looks from the page: no answer any more, then its locks released.
      silence() {
        port.postMessage = () => undefined;
      },
      stop() {
        port.postMessage = () => undefined;
        worker.end();
      },
    };
  }

  it('is told by the lock it held: calls waiting for it, and every call after, fail with worker; reads still work', async () => {
    const { client, silence, stop } = clientOfMortalWorker();
    const failures: WorkerUnavailableError[] = [];
    client.onWorkerFailure((error) => failures.push(error));
    const job = await client.enqueue('sleep', { value: 1 });
    expect((await client.waitFor(job.id)).status).toBe('completed');
    expect((await client.status()).workerLock).toMatch(/^errand-worker:/);
    expect(failures, 'a worker that lives is not reported').toEqual([]);

    silence();
    const pending = client.enqueue('sleep', { value: 2 });
    stop();
    const stopped = {
      name: 'WorkerUnavailableError',
      code: 'worker',
      phase: 'stopped',
      message: 'The job worker stopped (it was closed or terminated); reload the page to start it again',
    };
    await expect(pending).rejects.toMatchObject(stopped);
    await expect(client.enqueue('sleep', { value: 3 })).rejects.toMatchObject(stopped);
    await expect(client.status()).rejects.toMatchObject(stopped);
    await expect(client.onIdle()).rejects.toMatchObject(stopped);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject(stopped);
    // Reads come from the store, not the worker.
    expect(await client.count()).toBe(1);
    expect((await client.get(job.id))?.status).toBe('completed');
  });

  it('is not reported once the page has closed its client (twice, harmlessly), before it ends the worker itself', async () => {
    const { client, locks, stop } = clientOfMortalWorker();
    const failures: WorkerUnavailableError[] = [];
    client.onWorkerFailure((error) => failures.push(error));
    await client.status();
    expect(locks.waiting, 'the page waits in line for the lock of its worker').toBe(1);
    client.close();
    client.close();
    expect(locks.waiting, 'the page withdrew its request').toBe(0);
    stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toEqual([]);
  });
});
