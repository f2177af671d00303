import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectErrand } from '../../src/client';
import { createRuntime, webLocks, type Runtime } from '../../src/worker';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { MemoryLock } from '../helpers/memory-lock';

/**
 * A context without Web Locks (browsers offer them in secure contexts only, so a page served
 * over http from a LAN address has none; Node has none either): no context of the origin can
 * hold the runner lock, so no job could ever run. Enqueues are refused, not stored to wait for
 * ever; the status says why; stored jobs stay readable and changeable.
 */
let harness: Harness | undefined;
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  await harness?.close();
  harness = undefined;
});

describe('a context without Web Locks', () => {
  it('refuses enqueues with unsupported and stores nothing; the status says why; stored jobs can be changed', async () => {
    // A job stored earlier, by a context that could run jobs (kept from running: another holds the lock).
    const clock = new ManualClock();
    const lock = new MemoryLock();
    await lock.client().acquire('errand-runner', new AbortController().signal);
    harness = createHarness({ types: createFixtures().types, clock, lock });
    const stored = await harness.client.enqueue('sleep', { value: 1 }, { delayMs: 60_000 });

    runtime = createRuntime({ jobTypes: createFixtures().types, dbName: harness.dbName, clock, lock: webLocks() });
    const client = connectErrand({ worker: runtime.api, dbName: harness.dbName, markerStorage: null });
    try {
      const status = await client.status();
      expect(status.unsupported).toBe('the browser offers no Web Locks here');
      expect(status.isRunner).toBe(false);
      // The page hears it once, and a listener that comes later at once.
      const told: string[] = [];
      client.onUnsupported((reason) => told.push(reason));
      await vi.waitFor(() => expect(told).toEqual(['the browser offers no Web Locks here']));
      client.onUnsupported((reason) => told.push(reason));
      expect(told).toHaveLength(2);

      const refused = {
        name: 'UnsupportedContextError',
        code: 'unsupported',
        message: 'Jobs cannot run in this browser context: the browser offers no Web Locks here',
      };
      await expect(client.enqueue('sleep', { value: 2 })).rejects.toMatchObject(refused);
      await expect(client.enqueueMany([{ type: 'sleep', payload: { value: 3 } }])).rejects.toMatchObject(refused);
      expect(await client.count()).toBe(1);

      // What is stored can still be read and changed here.
      expect((await client.get(stored.id))?.status).toBe('waiting');
      const cancelled = await client.cancel(stored.id);
      expect(cancelled.status).toBe('cancelled');
    } finally {
      client.close();
    }
  });

  it('says a page that is not a secure context is the reason, and how to serve it', () => {
    const scope = globalThis as { isSecureContext?: boolean };
    const before = Object.getOwnPropertyDescriptor(scope, 'isSecureContext');
    scope.isSecureContext = false;
    try {
      expect(webLocks().unavailable).toBe(
        'the page is not a secure context; serve it over https, or open it from localhost',
      );
    } finally {
      if (before) Object.defineProperty(scope, 'isSecureContext', before);
      else delete scope.isSecureContext;
    }
    expect(webLocks({ request: () => Promise.resolve() }).unavailable).toBeUndefined();
  });
});
