import { expose } from 'comlink';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { connectErrand, type ErrandClient } from '../../src/client';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';

let harness: Harness | undefined;
let remote: ErrandClient | undefined;
const ports: MessagePort[] = [];
afterEach(async () => {
  remote?.close();
  remote = undefined;
  for (const port of ports.splice(0)) port.close();
  await harness?.close();
  harness = undefined;
});

/**
 * A client that reaches the runtime over a message channel, as a page reaches its worker: every
 * call is posted, so its arguments go through the structured clone of a real `postMessage`.
 */
function clientOverChannel(): ErrandClient {
  harness = createHarness({ types: createFixtures().types });
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  expose(harness.runtime.api, port1 as unknown as Parameters<typeof expose>[1]);
  remote = connectErrand({ worker: port2 as unknown as Worker, dbName: harness.dbName });
  return remote;
}

describe('a client posting to its worker', () => {
  it('enqueues and answers as the in-process client does', async () => {
    const client = clientOverChannel();
    const job = await client.enqueue('sleep', { value: 7 });
    expect(job).toMatchObject({ type: 'sleep', status: 'queued' });
    expect((await client.waitFor(job.id)).status).toBe('completed');
    await expect(client.enqueue('no_such_type', {})).rejects.toMatchObject({ code: 'unknown-job-type' });
  });

  it('refuses a payload the message cannot carry with data-clone, naming it, and stores nothing', async () => {
    const client = clientOverChannel();
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
    expect(await client.count()).toBe(0);
  });

  it('refuses any other value the message cannot carry with data-clone', async () => {
    const client = clientOverChannel();
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
