import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { connectErrand, type ErrandClient, type LockManagerLike, type MarkerStorage } from '../../src/client';
import type { Clock, MessageEndpoint } from '../../src/shared';
import { createRuntime, exposeRuntime, type AnyJobType, type Runtime } from '../../src/worker';
import { FakeNetwork } from './fake-network';
import { ManualClock } from './manual-clock';
import { MemoryLock } from './memory-lock';

let counter = 0;

/** A database name no other test uses. */
export function freshDbName(): string {
  counter += 1;
  return `errand-test-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface HarnessOptions {
  readonly types: readonly AnyJobType[];
  readonly dbName?: string;
  readonly clock?: Clock;
  readonly lock?: MemoryLock;
  readonly network?: FakeNetwork;
  readonly concurrency?: number;
  /** Gives handlers `ctx.ai` from the `ai` setting. */
  readonly ai?: boolean;
  /** Where the client remembers the database it saw (a page's `localStorage`). */
  readonly markerStorage?: MarkerStorage;
}

/** One runtime with its client, on an in-process connection. */
export interface Harness {
  readonly runtime: Runtime;
  readonly client: ErrandClient;
  readonly dbName: string;
  readonly clock: Clock;
  readonly lock: MemoryLock;
  readonly network: FakeNetwork;
  /** Its identity at the lock. */
  readonly owner: symbol;
  /** Drops the runtime the way a killed tab does: no shutdown; the browser frees its lock. */
  crash(): void;
  close(): Promise<void>;
}

/** A runtime that is not the runner (another holder keeps the lock): nothing changes but by command. */
export async function createIdleHarness(options: Omit<HarnessOptions, 'lock'>): Promise<Harness> {
  const lock = new MemoryLock();
  await lock.client().acquire('errand-runner', new AbortController().signal);
  return createHarness({ ...options, lock });
}

export function createHarness(options: HarnessOptions): Harness {
  const dbName = options.dbName ?? freshDbName();
  const clock = options.clock ?? new ManualClock();
  const lock = options.lock ?? new MemoryLock();
  const network = options.network ?? new FakeNetwork();
  const lockClient = lock.client();
  const runtime = createRuntime({
    jobTypes: options.types,
    dbName,
    clock,
    lock: lockClient,
    network,
    concurrency: options.concurrency ?? 3,
    random: () => 0.5,
    ...(options.ai ? { ai: {} } : {}),
  });
  const client = connectErrand({
    worker: runtime.api,
    dbName,
    ...(options.markerStorage ? { markerStorage: options.markerStorage } : {}),
  });
  return {
    runtime,
    client,
    dbName,
    clock,
    lock,
    network,
    owner: lockClient.owner,
    crash: () => lock.crash(lockClient.owner),
    async close() {
      client.close();
      await runtime.close();
    },
  };
}

/** A page's `localStorage`, in memory: it outlives the runtimes and clients of one test. */
export class MemoryStorage implements MarkerStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

/** A second client of `harness`'s runtime, reached over a message channel; `close` ends both. */
export interface ChannelClient {
  readonly client: ErrandClient;
  /** The client's end of the channel: where a Worker's events would arrive. */
  readonly port: MessagePort;
  close(): void;
}

/** How `clientOverChannel` wires the channel, beyond what the worker entry does by default. */
export interface ChannelOptions {
  /** Wraps the page's end of the channel, as a test of what the page's `postMessage` throws. */
  readonly pageEnd?: (port: MessagePort) => MessageEndpoint;
  /**
   * The Web Locks of the worker and of the page, as the worker entry and the page use them to
   * tell a worker that ended; without them neither side takes part.
   */
  readonly locks?: { readonly worker: LockManagerLike; readonly page: LockManagerLike };
}

/**
 * A client that reaches the runtime over a message channel, wired as the worker entry wires a
 * page to its worker: every call is posted, so its arguments go through the structured clone of
 * a real `postMessage`, and the runtime answers through `answeringEndpoint`.
 */
export function clientOverChannel(
  harness: Pick<Harness, 'runtime' | 'dbName'>,
  options: ChannelOptions = {},
): ChannelClient {
  const { port1, port2 } = new MessageChannel();
  // Exposed as a worker's entry exposes it.
  exposeRuntime(harness.runtime, {
    scope: port1 as unknown as MessageEndpoint,
    ...(options.locks ? { locks: options.locks.worker } : {}),
  });
  const page = options.pageEnd ? options.pageEnd(port2) : port2;
  const client = connectErrand({
    worker: page as unknown as Worker,
    dbName: harness.dbName,
    locks: options.locks?.page ?? null,
  });
  return {
    client,
    port: port2,
    close() {
      client.close();
      port1.close();
      port2.close();
    },
  };
}
