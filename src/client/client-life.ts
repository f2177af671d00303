import { ClosedError } from '../shared';
import type { ErrandClient, Watchable } from './client-api';

/**
 * Whether the client is still open, and what its methods do once it is not: a call fails with
 * `closed` as a rejected promise (the store connection and the link to the worker are gone,
 * and a call the worker had not answered would otherwise wait for ever), a live subscription
 * ends with one `closed` error, and a listener is never called.
 */
export class ClientLife {
  #closed = false;
  #reject: (error: ClosedError) => void = () => undefined;
  readonly #whenClosed = new Promise<never>((_, reject) => (this.#reject = reject));
  /** Ends each live subscription with `closed`. */
  readonly #subscriptions = new Set<() => void>();

  constructor() {
    this.#whenClosed.catch(() => undefined);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Settles as `call` does while the client is open. After `close()` it rejects with `closed`
   * without calling; one not settled when the client closes rejects with `closed` then (it may
   * or may not have taken effect).
   */
  call<T>(call: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new ClosedError());
    // A call that throws at once (a released Comlink proxy does) rejects like the others.
    return Promise.race([new Promise<T>((resolve) => resolve(call())), this.#whenClosed]);
  }

  /**
   * `watch`, ended with one `closed` error when the client closes. A subscription made after
   * `close()` gets that error in a microtask, and never a value.
   */
  watch<T>(watch: Watchable<T>): Watchable<T> {
    return {
      subscribe: (next, error) => {
        let ended = false;
        let stop: (() => void) | undefined = undefined;
        const end = () => {
          if (ended) return;
          ended = true;
          this.#subscriptions.delete(end);
          stop?.();
        };
        const endClosed = () => {
          if (ended) return;
          end();
          error?.(new ClosedError());
        };
        if (this.#closed) {
          queueMicrotask(endClosed);
          return end;
        }
        this.#subscriptions.add(endClosed);
        stop = watch.subscribe(
          (value) => {
            if (!ended) next(value);
          },
          (e) => {
            if (!ended) error?.(e);
          },
        );
        // It ended while it subscribed.
        if (ended) stop();
        return end;
      },
    };
  }

  /** Adds a listener while the client is open; after `close()` adds none. Returns the unsubscribe. */
  listen(add: () => () => void): () => void {
    return this.#closed ? () => undefined : add();
  }

  /** Closes: returns false, changing nothing, when it was closed before. */
  close(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    this.#reject(new ClosedError());
    for (const end of [...this.#subscriptions]) end();
    return true;
  }
}

type Kind = 'call' | 'watch' | 'listen';

/** What each method of the client is, for `ClientLife`: a method missing here fails to compile. */
const METHOD_KINDS = {
  enqueue: 'call',
  enqueueMany: 'call',
  get: 'call',
  list: 'call',
  count: 'call',
  getMany: 'call',
  listKeys: 'call',
  completionsPerMinute: 'call',
  steps: 'call',
  stepRange: 'call',
  stepCounts: 'call',
  logs: 'call',
  response: 'call',
  files: 'call',
  related: 'call',
  unfinishedDependents: 'call',
  watch: 'watch',
  watchJob: 'watch',
  watchJournal: 'watch',
  watchRelated: 'watch',
  watchCount: 'watch',
  watchActive: 'watch',
  watchActiveJobs: 'watch',
  onJobChanges: 'listen',
  waitFor: 'call',
  pause: 'call',
  resume: 'call',
  cancel: 'call',
  retry: 'call',
  remove: 'call',
  pauseMany: 'call',
  resumeMany: 'call',
  cancelMany: 'call',
  retryMany: 'call',
  removeMany: 'call',
  reprioritize: 'call',
  saveSchedule: 'call',
  setScheduleEnabled: 'call',
  removeSchedule: 'call',
  runScheduleNow: 'call',
  previewSchedule: 'call',
  schedules: 'call',
  watchSchedules: 'watch',
  jobTypes: 'call',
  getSetting: 'call',
  watchSetting: 'watch',
  putSetting: 'call',
  putSettings: 'call',
  testAiConnection: 'call',
  status: 'call',
  onIdle: 'call',
  onVersionChange: 'listen',
  onWorkerFailure: 'listen',
  onUnsupported: 'listen',
  watchStoreReset: 'watch',
  acknowledgeStoreReset: 'call',
} as const satisfies Record<Exclude<keyof ErrandClient, 'queries' | 'close'>, Kind>;

/** `client` with every method but `close` going through `life` (see `ClientLife`). */
export function closableClient(client: ErrandClient, life: ClientLife): ErrandClient {
  const methods = client as unknown as Record<keyof typeof METHOD_KINDS, (...args: unknown[]) => unknown>;
  const guarded = Object.fromEntries(
    Object.entries(METHOD_KINDS).map(([name, kind]) => {
      const method = methods[name as keyof typeof METHOD_KINDS];
      const run = (args: unknown[]) => method.apply(client, args);
      const wrapped =
        kind === 'call'
          ? (...args: unknown[]) => life.call(() => run(args) as Promise<unknown>)
          : kind === 'watch'
            ? (...args: unknown[]) => life.watch(run(args) as Watchable<unknown>)
            : (...args: unknown[]) => life.listen(() => run(args) as () => void);
      return [name, wrapped];
    }),
  );
  return { ...guarded, queries: client.queries, close: () => client.close() } as unknown as ErrandClient;
}
