/** Held while this context is the runner. */
export interface LockHandle {
  release(): void;
}

/**
 * An exclusive lock across every tab and worker of the origin. Only the holder runs jobs.
 * Acquiring waits in line; when the holder's context dies, the browser releases its lock
 * and the next in line gets it.
 */
export interface RunnerLock {
  /** Resolves once held, or with undefined when `signal` aborts first. */
  acquire(name: string, signal: AbortSignal): Promise<LockHandle | undefined>;
}

/** What Errand needs of the Web Locks API (`navigator.locks`). */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

/** The Web Locks API, available in windows and workers of every current browser. */
export function webLocks(
  locks: LockManagerLike | undefined = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks,
): RunnerLock {
  return {
    acquire(name, signal) {
      if (!locks) return Promise.reject(new Error('The Web Locks API is not available here'));
      return new Promise<LockHandle | undefined>((resolve, reject) => {
        locks
          .request(name, { signal }, () => new Promise<void>((release) => resolve({ release: () => release() })))
          .catch((error: unknown) => {
            if (signal.aborted) resolve(undefined);
            else reject(error instanceof Error ? error : new Error(String(error)));
          });
      });
    },
  };
}
