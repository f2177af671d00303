import type { LockHandle, RunnerLock } from '../../src/worker';
import type { LockManagerLike } from '../../src/client';

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

interface LockRequest {
  readonly context: symbol;
  readonly grant: () => void;
}

/** What a context of `MemoryLockManager` offers: `navigator.locks`'s request, and its end. */
export interface MemoryLockContext extends LockManagerLike {
  /** Ends the context as a browser does when its worker or tab ends: its locks are released. */
  end(): void;
}

/**
 * In-process stand-in for `navigator.locks` across contexts (a page and its worker): exclusive
 * locks by name, granted in request order, released when the callback's promise settles or
 * when the holding context ends.
 */
export class MemoryLockManager {
  private readonly held = new Map<string, { readonly context: symbol; readonly token: symbol }>();
  private readonly queues = new Map<string, LockRequest[]>();

  context(): MemoryLockContext {
    const context = Symbol('context');
    return {
      request: (name, options, callback) =>
        new Promise<unknown>((resolve, reject) => {
          const request: LockRequest = {
            context,
            grant: () => {
              const token = Symbol('grant');
              this.held.set(name, { context, token });
              const release = () => {
                if (this.held.get(name)?.token !== token) return;
                this.held.delete(name);
                this.grantNext(name);
              };
              Promise.resolve()
                .then(callback)
                .then(
                  (value) => {
                    release();
                    resolve(value);
                  },
                  (error: unknown) => {
                    release();
                    reject(error instanceof Error ? error : new Error(String(error)));
                  },
                );
            },
          };
          options.signal?.addEventListener('abort', () => {
            const queue = this.queues.get(name) ?? [];
            const at = queue.indexOf(request);
            if (at < 0) return;
            queue.splice(at, 1);
            reject(new DOMException('The lock request was aborted', 'AbortError'));
          });
          this.queues.set(name, [...(this.queues.get(name) ?? []), request]);
          this.grantNext(name);
        }),
      end: () => {
        for (const [name, queue] of this.queues) {
          this.queues.set(
            name,
            queue.filter((request) => request.context !== context),
          );
        }
        for (const [name, holder] of [...this.held]) {
          if (holder.context !== context) continue;
          this.held.delete(name);
          this.grantNext(name);
        }
      },
    };
  }

  /** Requests waiting in line, over every name. */
  get waiting(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.length;
    return count;
  }

  private grantNext(name: string): void {
    if (this.held.has(name)) return;
    const next = this.queues.get(name)?.shift();
    next?.grant();
  }
}
