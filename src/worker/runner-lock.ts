import type { LockManagerLike } from '../shared';

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
  /** Set where the lock can never be held (no Web Locks here): why, in words for the user. */
  readonly unavailable?: string;
}

/** `navigator.locks` where this context has it. */
export function contextLocks(): LockManagerLike | undefined {
  return (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
}

/** The Web Locks API, available in windows and workers of every current browser. */
export function webLocks(locks: LockManagerLike | undefined = contextLocks()): RunnerLock {
  return {
    ...(locks ? {} : { unavailable: noLocksReason() }),
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

/**
 * Why a context has no Web Locks. Browsers offer them in secure contexts only: a page served over
 * http from an address other than localhost has none, and no tab of its origin can run jobs.
 */
function noLocksReason(): string {
  return (globalThis as { isSecureContext?: boolean }).isSecureContext === false
    ? 'the page is not a secure context; serve it over https, or open it from localhost'
    : 'the browser offers no Web Locks here';
}
