import type { LockHandle, RunnerLock } from '../../src/worker';

interface Waiter {
  readonly owner: symbol;
  readonly grant: (handle: LockHandle) => void;
}

/**
 * In-process stand-in for the Web Locks API, shared by the runtimes of one test. `crash()`
 * frees the lock the way a browser does when the holder's tab dies: its code may still be
 * running, but the next waiter gets the lock.
 */
export class MemoryLock {
  private holder: symbol | undefined;
  private readonly queue: Waiter[] = [];

  /** A lock client for one runtime. */
  client(): RunnerLock & { readonly owner: symbol } {
    const owner = Symbol('runtime');
    return {
      owner,
      acquire: (_name, signal) =>
        new Promise<LockHandle | undefined>((resolve) => {
          const waiter: Waiter = { owner, grant: resolve };
          signal.addEventListener('abort', () => {
            const index = this.queue.indexOf(waiter);
            if (index >= 0) {
              this.queue.splice(index, 1);
              resolve(undefined);
            }
          });
          this.queue.push(waiter);
          this.grantNext();
        }),
    };
  }

  get heldBy(): symbol | undefined {
    return this.holder;
  }

  /** Frees the lock of `owner` without any cooperation from it. */
  crash(owner: symbol): void {
    if (this.holder === owner) {
      this.holder = undefined;
      this.grantNext();
    }
  }

  private grantNext(): void {
    if (this.holder !== undefined) return;
    const next = this.queue.shift();
    if (!next) return;
    this.holder = next.owner;
    let released = false;
    next.grant({
      release: () => {
        if (released || this.holder !== next.owner) return;
        released = true;
        this.holder = undefined;
        this.grantNext();
      },
    });
  }
}
