import {
  ClosedError,
  UnsupportedContextError,
  SETTINGS_KEYS,
  type LimitsSetting,
  systemClock,
  uuidV7Generator,
  STORE_LOSS_MESSAGES,
  VersionError,
  type Clock,
  type ErrandError,
  type JobRecord,
  type StoreLoss,
  feedMessages,
  jobFeedChannelName,
  type WorkerApi,
} from '../shared';
import { mapStorageError, openWorkerStore, watchStoreLoss, type WorkerStore } from '../store';
import { createAiClient } from './ai-client';
import { AI_RATE_GROUP, WRITE_RETRY_MAX_MS, WRITE_RETRY_MS } from './runtime-constants';
import type { CreateProviderOptions } from './ai';
import type { AnyJobType, SettingsReader } from './define-job-type';
import { DeferredPosts } from './deferred-posts';
import { jobCommands } from './job-commands';
import { browserNetworkStatus, type NetworkStatus } from './network-status';
import { enqueuedNudge, type Nudge } from './nudge';
import { OfflineWake } from './offline-wake';
import { Runner } from './runner';
import { Scheduler } from './schedules';
import { scheduleCommands } from './schedule-commands';
import { settingsCommands } from './settings-commands';
import { webLocks, type LockHandle, type RunnerLock } from './runner-lock';

/** Options of `createRuntime`. */
export interface RuntimeOptions {
  readonly jobTypes: readonly AnyJobType[];
  /** IndexedDB database name; one name, one queue. @default 'errand' */
  readonly dbName?: string;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Jobs running at once across all types. @default 3 */
  readonly concurrency?: number;
  /** The cross-tab runner lock. @default the Web Locks API */
  readonly lock?: RunnerLock;
  /** @default `navigator.onLine` and the online/offline events */
  readonly network?: NetworkStatus;
  /** Least time between two progress writes of one job. @default 250 */
  readonly progressIntervalMs?: number;
  /** Pump at least this often, in case a nudge from another tab was lost. @default 5000 */
  readonly pollMs?: number;
  /**
   * New job ids. @default UUIDv7 from the runtime's clock: each id sorts after the one before,
   * so new job records sit next to each other in the store's key order.
   */
  readonly newId?: () => string;
  /** Source of jitter. @default Math.random */
  readonly random?: () => number;
  /** Gives handlers `ctx.ai`, built from the `ai` setting. @default no AI */
  readonly ai?: { readonly provider?: CreateProviderOptions };
}

/** A running Errand runtime: the worker API plus lifecycle. */
export interface Runtime {
  readonly api: WorkerApi;
  readonly store: WorkerStore;
  /** Resolves once this runtime holds the runner lock and has taken over (never, if another does). */
  readonly becameRunner: Promise<number>;
  /** Stops running, releases the lock and closes the database. In-flight attempts are abandoned as a crash would. */
  close(): Promise<void>;
}

const DEFAULT_CONCURRENCY = 3;

/**
 * Creates the runtime for one database: accepts commands at once, and competes for the
 * runner lock in the background; the one that holds it runs jobs for every tab.
 */
export function createRuntime(options: RuntimeOptions): Runtime {
  const dbName = options.dbName ?? 'errand';
  const clock = options.clock ?? systemClock;
  const network = options.network ?? browserNetworkStatus();
  const lock = options.lock ?? webLocks();
  /** Set where no job can ever run here (no Web Locks, or the store denied to this site): why. */
  let unsupported = lock.unavailable;
  const newId = options.newId ?? uuidV7Generator(() => clock.now());
  /** Who this runtime is: its page names it in its exit note (see `markPageExit`). */
  const instance = crypto.randomUUID();
  const types = new Map(options.jobTypes.map((type) => [type.type, type]));
  const hasChannels = typeof BroadcastChannel === 'function';
  const feed = hasChannels ? new BroadcastChannel(jobFeedChannelName(dbName)) : undefined;
  const posts = new DeferredPosts();
  // Each committed transaction's changes go to every tab's client on the change feed (a
  // BroadcastChannel also reaches other listeners in this same context, so an in-process client
  // hears it too). Bulk changes past `MAX_FEED_JOBS` are not told: readers find them in the store.
  const store = openWorkerStore(
    dbName,
    feed &&
      ((committed) => {
        const committedAt = clock.now();
        for (const message of feedMessages(committed.changed, committed.removed, committedAt))
          posts.post(feed, message);
      }),
  );
  const channel = hasChannels ? new BroadcastChannel(`errand:${dbName}`) : undefined;
  const lockController = new AbortController();
  let lockHandle: LockHandle | undefined;
  let closed = false;
  /** Set once this runtime's store is gone: upgraded, deleted or closed by the browser. */
  let storeLost: StoreLoss | undefined;
  let epoch = 0;
  /** When this runtime was granted the runner lock, and when its takeover committed. */
  let lockedSince: number | undefined;
  let runnerSince: number | undefined;
  let lastRank = 0;

  const readSetting: SettingsReader = (key) => store.settings.get(key);
  const ai = options.ai
    ? createAiClient({
        settings: readSetting,
        responses: store.responses,
        now: () => clock.now(),
        ...(options.ai.provider ? { provider: options.ai.provider } : {}),
      })
    : undefined;

  const runner = new Runner({
    store,
    types,
    clock,
    network,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    progressIntervalMs: options.progressIntervalMs ?? 250,
    pollMs: options.pollMs ?? 5000,
    ai,
    enqueue: (type, payload, enqueueOptions) =>
      jobApi.enqueueMany([{ type, payload, options: enqueueOptions }]).then((jobs) => jobs[0] as JobRecord),
    random: options.random ?? Math.random,
    onStopped: (error: ErrandError) => {
      if (error instanceof VersionError) storeLost ??= 'upgraded';
      scheduler.stop();
      releaseLock();
    },
  });

  const scheduler = new Scheduler({
    schedules: store.schedules,
    types,
    clock,
    newId,
    nextRank,
    pollMs: options.pollMs ?? 5000,
    onEnqueued: (jobs) => nudge(enqueuedNudge(jobs)),
  });

  /** Strictly increasing, so jobs enqueued in one millisecond keep their order. */
  function nextRank(now: number): number {
    lastRank = Math.max(now, lastRank + 0.001);
    return lastRank;
  }

  function onNudge(message: Nudge): void {
    if (!runner.isActive) return;
    if (message.kind === 'enqueued' && message.runnable === false) {
      // Only scheduled jobs or answers from the cache: no round to run, at most a wake-up to set.
      if (message.wakeAt !== undefined) runner.wakeAt(message.wakeAt);
      return;
    }
    if (message.kind === 'changed') void runner.checkOwnership(message.ids);
    if (message.kind === 'settings') void applySettings();
    if (message.kind === 'schedules') {
      void scheduler.check();
      return;
    }
    void runner.pump();
  }

  function nudge(message: Nudge): void {
    onNudge(message);
    if (channel) posts.post(channel, message);
  }

  channel?.addEventListener('message', (event: MessageEvent<Nudge>) => onNudge(event.data));

  /** Applies the stored limits to the runner. */
  async function applySettings(): Promise<void> {
    const limits = ((await readSetting(SETTINGS_KEYS.limits)) ?? {}) as LimitsSetting;
    runner.setConcurrency(validCount(limits.concurrency) ?? options.concurrency ?? DEFAULT_CONCURRENCY);
    const rpm = validCount(limits.aiRequestsPerMinute);
    runner.setRateLimit(AI_RATE_GROUP, rpm === undefined ? undefined : { max: rpm, intervalMs: 60_000 });
  }

  const offlineWake = new OfflineWake({
    clock,
    wake: () => store.jobs.wakeOffline(clock.now()),
    wanted: () => runner.isActive && network.isOnline(),
    lasting: lastingRefusal,
    woken: () => void runner.pump(),
  });

  const unsubscribeNetwork = network.subscribe((online) => {
    if (online) void offlineWake.run();
  });

  // A newer version upgrading the database, another context deleting it, or the browser closing
  // it (site data cleared): stop writing, close every connection and let it happen.
  const unwatchLoss = [store.db, store.relaxedDb].map((db) =>
    watchStoreLoss(db, (loss) => {
      storeLost ??= loss;
      runner.stop();
      scheduler.stop();
      releaseLock();
      store.close();
    }),
  );

  // A context waiting in line for the lock keeps its connections open, so that taking over
  // when the runner's tab dies does not first wait to open the database (0.1–0.6 s measured
  // with five Console tabs at work).
  for (const db of [store.db, store.relaxedDb]) {
    void db.open().catch((error: unknown) => {
      const mapped = mapStorageError(error);
      if (mapped instanceof UnsupportedContextError) unsupported ??= mapped.reason;
    });
  }

  const becameRunner = (async () => {
    if (unsupported !== undefined) return new Promise<number>(() => undefined);
    const handle = await lock.acquire(`errand-runner:${dbName}`, lockController.signal);
    if (!handle) return new Promise<number>(() => undefined);
    if (closed) {
      handle.release();
      return new Promise<number>(() => undefined);
    }
    lockHandle = handle;
    lockedSince = clock.now();
    epoch = await takeOver();
    runnerSince = clock.now();
    await applySettings().catch(() => undefined);
    runner.start(epoch);
    scheduler.start();
    // Jobs that waited for the network in an earlier session go on if it is back.
    void offlineWake.run();
    return epoch;
  })();
  becameRunner.catch(() => undefined);

  /**
   * Takes over as the runner. While the store refuses the write (full, or a passing failure),
   * this runtime keeps the lock and tries again, 1 s after the first refusal and up to 10 s
   * apart: without the takeover no tab runs any job, even once room returns.
   */
  async function takeOver(): Promise<number> {
    for (let wait = WRITE_RETRY_MS; ; wait = Math.min(wait * 2, WRITE_RETRY_MAX_MS)) {
      const now = clock.now();
      try {
        return (await store.jobs.takeOver(now, { id: crypto.randomUUID(), createdAt: now }, instance)).epoch;
      } catch (error) {
        if (lastingRefusal(error)) throw error;
      }
      await new Promise<void>((resolve) => clock.setTimeout(resolve, wait));
      if (closed) throw new ClosedError();
    }
  }

  /** A refusal no retry gets past: the store upgraded, closed or denied, or this runtime done with it. */
  function lastingRefusal(error: unknown): boolean {
    return (
      error instanceof VersionError ||
      error instanceof ClosedError ||
      error instanceof UnsupportedContextError ||
      closed ||
      storeLost !== undefined
    );
  }

  function releaseLock(): void {
    lockController.abort();
    lockHandle?.release();
    lockHandle = undefined;
  }

  function assertOpen(): void {
    if (closed) throw new ClosedError();
    if (storeLost) throw new VersionError(STORE_LOSS_MESSAGES[storeLost]);
  }

  const jobApi = jobCommands({
    jobs: store.jobs,
    types,
    clock,
    newId,
    nextRank,
    readSetting,
    assertOpen,
    unsupported: () => unsupported,
    nudge,
  });

  /**
   * In the runner: nothing running and nothing runnable. Elsewhere: the store shows nothing
   * queued or running (another tab's runner drained it), or this runtime became the runner.
   */
  async function onIdle(): Promise<void> {
    if (!runner.isActive && !closed) {
      const storeIdle = store.queries.whenDrained();
      const first = await Promise.race([
        storeIdle.promise.then(() => 'drained' as const),
        becameRunner.then(() => 'runner' as const),
      ]);
      storeIdle.cancel();
      if (first === 'drained') return;
    }
    await runner.onIdle();
  }

  // Every command checks its arguments first (see `./validate`): a page reaches this API through
  // Comlink, where the types promise nothing.
  const api: WorkerApi = {
    ...jobApi.commands,
    ...scheduleCommands({
      schedules: store.schedules,
      types,
      clock,
      newId,
      assertOpen,
      nudge,
      enqueueOne: async (request) => (await jobApi.enqueueMany([request]))[0] as JobRecord,
    }),
    jobTypes: () =>
      Promise.resolve(
        [...types.values()].map((type) => ({
          type: type.type,
          label: type.label,
          priority: type.priority ?? 'normal',
          maxAttempts: type.retry?.maxAttempts ?? 3,
          needsNetwork: type.needsNetwork ?? false,
          ...(type.concurrency !== undefined ? { concurrency: type.concurrency } : {}),
          ...(type.expectedMs !== undefined ? { expectedMs: type.expectedMs } : {}),
        })),
      ),
    ...settingsCommands({ settings: store.settings, readSetting, assertOpen, nudge, ai }),
    status: () =>
      Promise.resolve({
        isRunner: runner.isActive,
        ...(runner.isActive && lockedSince !== undefined ? { lockedSince } : {}),
        ...(runner.isActive && runnerSince !== undefined ? { runnerSince } : {}),
        epoch,
        instance,
        running: runner.running,
        online: network.isOnline(),
        outdated: storeLost === 'upgraded',
        ...(storeLost ? { storeLost } : {}),
        ...(unsupported === undefined ? {} : { unsupported }),
        ...(jobApi.pendingEnqueues.size > 0
          ? { pendingEnqueues: [...jobApi.pendingEnqueues].map((entry) => ({ ...entry })) }
          : {}),
      }),
    onIdle,
  };

  return {
    api,
    store,
    becameRunner,
    async close() {
      if (closed) return;
      closed = true;
      runner.stop();
      scheduler.stop();
      releaseLock();
      unsubscribeNetwork();
      for (const unwatch of unwatchLoss) unwatch();
      posts.flush();
      channel?.close();
      feed?.close();
      store.close();
    },
  };
}

function validCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}
