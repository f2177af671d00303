/**
 * @tanstack/offline-transactions used as its README shows: an executor over a collection,
 * one offline transaction per job, its IndexedDB outbox (IndexedDBAdapter) and a mutation
 * function that does nothing (the no-op job). Each run gets its own outbox database,
 * collection and leader lock.
 *
 * Enqueue is acknowledged when the outbox write resolves: the library's own persistence
 * point (IndexedDBAdapter.set resolves on the put request's success, before its transaction
 * commits). `commit()` itself resolves only once the mutation function ran, so it is the
 * drain figure's completion point.
 */
import { createCollection, localOnlyCollectionOptions } from '@tanstack/db';
import {
  IndexedDBAdapter,
  startOfflineExecutor,
  WebLocksLeader,
  type OfflineExecutor,
  type OnlineDetector,
  type StorageAdapter,
} from '@tanstack/offline-transactions';
import {
  deleteDatabase,
  payloadOf,
  perSecond,
  quantile,
  scaled,
  timedStep,
  within,
  type Figures,
  type ScenarioOptions,
} from './measure';

/**
 * Enqueue loops give the event loop a turn this often, as an app enqueuing from events would:
 * the outbox writes and the executor only progress between turns.
 */
const YIELD_EVERY = 50;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

interface Item {
  readonly id: string;
  readonly payload: unknown;
}

/** The outbox adapter, reporting when each key's write resolved. */
class ObservedStorage implements StorageAdapter {
  readonly #inner: IndexedDBAdapter;
  readonly #waiters = new Map<string, () => void>();

  constructor(inner: IndexedDBAdapter) {
    this.#inner = inner;
  }

  whenStored(key: string): Promise<void> {
    return new Promise((resolve) => this.#waiters.set(key, resolve));
  }

  async set(key: string, value: string): Promise<void> {
    await this.#inner.set(key, value);
    const waiter = this.#waiters.get(key);
    this.#waiters.delete(key);
    waiter?.();
  }

  get = (key: string) => this.#inner.get(key);
  delete = (key: string) => this.#inner.delete(key);
  keys = () => this.#inner.keys();
  clear = () => this.#inner.clear();
}

/** Online or offline on demand, so enqueue can be measured without the drain running. */
class SwitchedOnline implements OnlineDetector {
  readonly #listeners = new Set<() => void>();

  constructor(public online: boolean) {}

  subscribe(callback: () => void): () => void {
    this.#listeners.add(callback);
    return () => this.#listeners.delete(callback);
  }

  notifyOnline(): void {
    for (const listener of this.#listeners) listener();
  }

  isOnline(): boolean {
    return this.online;
  }

  dispose(): void {
    this.#listeners.clear();
  }
}

interface Setup {
  readonly executor: OfflineExecutor;
  readonly storage: ObservedStorage;
  readonly enqueue: (index: number) => { readonly stored: Promise<void>; readonly done: Promise<unknown> };
  readonly dispose: () => Promise<void>;
}

async function setUp(name: string, online: boolean): Promise<Setup> {
  await deleteDatabase(name);
  const jobs = createCollection(localOnlyCollectionOptions<Item, string>({ id: name, getKey: (item) => item.id }));
  const storage = new ObservedStorage(new IndexedDBAdapter(name, 'transactions'));
  const executor = startOfflineExecutor({
    collections: { jobs },
    mutationFns: { runJob: () => Promise.resolve() },
    storage,
    leaderElection: new WebLocksLeader(name),
    onlineDetector: new SwitchedOnline(online),
  });
  await executor.waitForInit();
  if (!executor.isOfflineEnabled) throw new Error('tanstack: the executor did not become the leader with an outbox');
  return {
    executor,
    storage,
    enqueue(index) {
      const tx = executor.createOfflineTransaction({ mutationFnName: 'runJob', autoCommit: false });
      const stored = storage.whenStored(`tx:${tx.id}`);
      tx.mutate(() => {
        jobs.insert({ id: `job-${index}`, payload: payloadOf(index) });
      });
      const done = tx.commit();
      done.catch(() => undefined);
      return { stored, done };
    },
    async dispose() {
      // The collection is left to the worker's end: cleaning up thousands of pending
      // optimistic transactions takes longer than the measurement.
      executor.dispose();
      await deleteDatabase(name);
    },
  };
}

async function singleEnqueue(name: string, count: number): Promise<{ p50: number; p95: number }> {
  const setup = await setUp(name, false);
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await setup.enqueue(i).stored;
    latencies.push(performance.now() - t0);
  }
  await setup.dispose();
  return { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95) };
}

/**
 * Enqueues without waiting for each, as fast as the API allows. Creating a transaction gets
 * slower as more are pending, so creation stops at the cap; the rate counts the transactions
 * created, up to the moment the last of them is stored.
 */
async function bulkEnqueue(name: string, count: number, maxMs: number): Promise<{ rate: number; done: number }> {
  const setup = await setUp(name, false);
  const t0 = performance.now();
  const stored: Promise<void>[] = [];
  for (let i = 0; i < count && performance.now() - t0 < maxMs; i++) {
    stored.push(setup.enqueue(i).stored);
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
  }
  await Promise.all(stored);
  const rate = perSecond(stored.length, performance.now() - t0);
  await setup.dispose();
  return { rate, done: stored.length };
}

/**
 * Enqueue through completed. Creation stops at the cap; then the wait for completions stops
 * at the cap too (completions barely start while transactions are still being created).
 */
async function drain(name: string, count: number, maxMs: number): Promise<{ rate: number; done: number }> {
  const setup = await setUp(name, true);
  let done = 0;
  const t0 = performance.now();
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < count && performance.now() - t0 < maxMs; i++) {
    all.push(setup.enqueue(i).done.then(() => (done += 1)));
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
  }
  const finished = (await within(Promise.all(all), maxMs)) && all.length === count;
  const elapsed = performance.now() - t0;
  const completed = done;
  const left = finished ? (await setup.executor.peekOutbox()).length : 0;
  await setup.dispose();
  if (left !== 0) throw new Error(`tanstack: ${left} transactions left in the outbox after every commit resolved`);
  return { rate: perSecond(completed, elapsed), done: completed };
}

export async function runTanstack(options: ScenarioOptions): Promise<Figures> {
  const { scale, dbPrefix } = options;
  const name = (part: string) => `${dbPrefix}-tanstack-${part}`;
  const single = await timedStep('tanstack single enqueue', () => singleEnqueue(name('single'), scaled(500, scale)));
  const bulk = await timedStep('tanstack bulk enqueue', () =>
    bulkEnqueue(name('bulk'), scaled(10_000, scale), options.maxDrainMs),
  );
  const drained = await timedStep('tanstack drain', () =>
    drain(name('drain'), scaled(10_000, scale), options.maxDrainMs),
  );
  return {
    'tanstack.enqueueP50': single.p50,
    'tanstack.enqueueP95': single.p95,
    'tanstack.bulk': bulk.rate,
    'tanstack.bulkDone': bulk.done,
    'tanstack.drain': drained.rate,
    'tanstack.drainDone': drained.done,
  };
}
