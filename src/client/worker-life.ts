import type { LockManagerLike, RuntimeStatus } from '../shared';

/**
 * On the page, the other half of `holdWorkerLife` (src/worker/worker-life.ts): the page learns
 * that its worker ended after it started from the lock the worker held while it lived.
 */

/** `navigator.locks` where the context has it. */
export function contextLocks(): LockManagerLike | undefined {
  return (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
}

/**
 * On the page: once the worker's first `status()` answer names its lock, waits in line for it
 * and calls `onStopped` when it is granted, which is when the worker has ended. Returns a
 * function that stops watching (call it before the page terminates the worker itself).
 */
export function watchWorkerLife(
  firstStatus: Promise<RuntimeStatus>,
  onStopped: () => void,
  locks: LockManagerLike | undefined = contextLocks(),
): () => void {
  const watching = new AbortController();
  firstStatus.then(
    ({ workerLock }) => {
      if (!locks || workerLock === undefined || watching.signal.aborted) return;
      locks
        .request(workerLock, { signal: watching.signal }, () => {
          if (!watching.signal.aborted) onStopped();
        })
        .catch(() => undefined);
    },
    () => undefined,
  );
  return () => watching.abort();
}
