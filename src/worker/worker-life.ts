import type { LockManagerLike, RuntimeStatus, WorkerApi } from '../shared';
import { contextLocks } from './runner-lock';

/**
 * Whether the page's worker is still there once it has started. A worker that stops (it calls
 * `close()` on itself, or the page's code terminates it) fires no event at the page, so every
 * call to it would wait for ever. The worker therefore holds a Web Lock of its own for as long
 * as it lives, and names it in its `status()` answer; the page waits in line for that lock,
 * which the browser grants it only once the worker has ended and released it. (A dedicated
 * worker that runs out of memory takes its whole tab down with it in Chromium, so no page
 * outlives it to tell.)
 */

/**
 * In the worker: takes a lock of its own, held until the worker ends. Resolves with its name once
 * it is held, or with undefined where there are no Web Locks (then the page cannot tell a stop).
 */
export function holdWorkerLife(locks: LockManagerLike | undefined = contextLocks()): Promise<string | undefined> {
  if (!locks) return Promise.resolve(undefined);
  const name = `errand-worker:${crypto.randomUUID()}`;
  return new Promise((resolve) => {
    locks
      .request(name, {}, () => {
        resolve(name);
        // Never settles: the browser releases the lock when the worker ends.
        return new Promise<never>(() => undefined);
      })
      .catch(() => resolve(undefined));
  });
}

/** In the worker: the API whose `status()` also names the lock the worker holds while it lives. */
export function withWorkerLife(api: WorkerApi, lock: Promise<string | undefined>): WorkerApi {
  return {
    ...api,
    async status(): Promise<RuntimeStatus> {
      const [status, workerLock] = await Promise.all([api.status(), lock]);
      return workerLock === undefined ? status : { ...status, workerLock };
    },
  };
}
