import { wrap, releaseProxy, type Endpoint, type Remote } from 'comlink';
import { liveQuery } from 'dexie';
import {
  DataCloneError,
  ErrandError,
  fromJobError,
  markedEndpoint,
  payloadCloneError,
  type AiConnectionCheck,
  InvalidTransitionError,
  isTerminal,
  JobNotFoundError,
  type JobSummary,
  type BulkResult,
  type EnqueueOptions,
  type EnqueueRequest,
  type JobRecord,
  type JobTypeInfo,
  type LogRecord,
  type Priority,
  type Result,
  type RuntimeStatus,
  type StepRecord,
  type StoreLoss,
  type WorkerApi,
  type WorkerUnavailableError,
  UnsupportedContextError,
} from '../shared';
import {
  ErrandDb,
  JobQueries,
  mapStorageError,
  withStorageErrors,
  watchStoreLoss,
  type FileRecord,
  type JobListQuery,
  type ResponseRecord,
} from '../store';
import { renderActive, showsActive, showsInHeads, type ActiveJobs } from './active-jobs';
import { FeedChannel } from './feed-channel';
import { feedView } from './feed-view';
import { spacedWatch, type SpacedWatchOptions } from './spaced-watch';
import { guardedApi, watchWorkerStart } from './worker-start';
import { contextLocks, watchWorkerLife, type LockManagerLike } from './worker-life';
import { defaultMarkerStorage, markerKey, storeResetWatch, type MarkerStorage, type StoreReset } from './store-reset';

/** Counts are re-read at most once a second, and pause 8 times as long as a count took in between. */
const COUNT_SPACING = { minGapMs: 1000, spacing: 8 } as const;
/**
 * Views that the change feed keeps current re-read the store after changes at most ten times a
 * second, pausing four times as long as a read took: the reads confirm what the feed brought.
 */
const ACTIVE_SPACING = { minGapMs: 100, spacing: 4 } as const;
/** One job's outcome comes from the store (the feed carries no result), so it is read sooner. */
const JOB_SPACING = { minGapMs: 25, spacing: 4 } as const;
/** Jobs of each active status that `watchActiveJobs` reads unless told otherwise. */
const DEFAULT_ACTIVE_LIMIT = 50;

/** A live value: `subscribe` calls `next` with each new value and returns the unsubscribe. */
export interface Watchable<T> {
  subscribe(next: (value: T) => void, error?: (error: ErrandError) => void): () => void;
}

export interface ConnectOptions {
  /** A Worker running the Errand worker entry, or an in-process runtime's API (tests, Node). */
  readonly worker: Worker | WorkerApi;
  /** The database the worker uses. @default 'errand' */
  readonly dbName?: string;
  /**
   * Where the page remembers which database it saw, outside IndexedDB, to tell when the
   * browser deleted it (`watchStoreReset`); `null` turns that off.
   * @default localStorage, where the context has one
   */
  readonly markerStorage?: MarkerStorage | null;
  /**
   * The Web Locks through which the page learns that its worker ended after it started
   * (`onWorkerFailure`); `null` turns that off.
   * @default navigator.locks, where the context has it
   */
  readonly locks?: LockManagerLike | null;
}

/** Commands on one job throw; their bulk forms (`…Many`) report what they skipped. */
export interface ErrandClient {
  /** Resolves once the job is committed to storage, with its record. */
  enqueue(type: string, payload: unknown, options?: EnqueueOptions): Promise<JobRecord>;
  /** All or nothing, in one transaction. */
  enqueueMany(requests: readonly EnqueueRequest[]): Promise<readonly JobRecord[]>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Jobs newest first, optionally filtered by status or type. */
  list(query?: JobListQuery): Promise<JobRecord[]>;
  count(query?: Omit<JobListQuery, 'offset' | 'limit'>): Promise<number>;
  steps(id: string): Promise<StepRecord[]>;
  logs(id: string): Promise<LogRecord[]>;
  /** The stored AI prompt and answer of a job with a fingerprint (AI jobs). */
  response(job: Pick<JobRecord, 'fingerprint'>): Promise<ResponseRecord | undefined>;
  /** Files the job attached (exports, results). */
  files(id: string): Promise<FileRecord[]>;
  /**
   * A live list: re-emits whenever a matching job changes, in any tab. With `spaced`, it is
   * re-read after any job changes, but one read at a time with a pause after each (see
   * `spacedWatch`): for lists over many jobs that need not follow every progress write.
   */
  watch(query?: JobListQuery, spaced?: SpacedWatchOptions): Watchable<JobRecord[]>;
  /**
   * One job, live. Progress and other changes while it is not finished come from the change
   * feed as soon as they commit (with `payload`, `result` and `checkpoint` from the store);
   * its outcome comes from the store, with its result.
   */
  watchJob(id: string): Watchable<JobRecord | undefined>;
  /**
   * A live count of the jobs matching `query`. Counting a hundred thousand jobs takes long and
   * holds up the worker's writes, so it is redone when jobs change but at most about once a
   * second (see `spacedWatch`), not on every progress write.
   */
  watchCount(query?: Omit<JobListQuery, 'offset' | 'limit'>): Watchable<number>;
  /**
   * The jobs of the pill bar: running, waiting, paused, oldest first, at most 500 of each
   * status (page through more with `list({ statuses })`). Besides the store, it
   * follows the workers' change feed, so a committed change shows within milliseconds. A job
   * known only from the feed so far (it just started) has no `payload`, `result` or
   * `checkpoint` until the store's next read brings its full record.
   *
   * @deprecated It re-reads up to 1,500 whole records (payloads included) behind the feed, which
   * keeps a page busy when many jobs run. Use `watchActiveJobs` for a bar or a count, and
   * `list({ statuses })` for pages of active jobs.
   */
  watchActive(): Watchable<JobRecord[]>;
  /**
   * What a pill bar needs when thousands of jobs may be active: the oldest `limit` (default 50)
   * running, waiting and paused jobs, in that order, and how many are active in all. Besides
   * the store it follows the change feed, so a committed change shows within milliseconds; the
   * store is read for those jobs only, and the rest are counted by index.
   */
  watchActiveJobs(options?: { readonly limit?: number }): Watchable<ActiveJobs>;
  /**
   * Calls `listener` with every job change the workers commit, as they announce it (records
   * without `payload`, `result` and `checkpoint`; ids of removed jobs). Transactions that change
   * more than a thousand jobs at once are not announced. Returns the unsubscribe.
   */
  onJobChanges(listener: (jobs: readonly JobSummary[], removed: readonly string[]) => void): () => void;
  /** Resolves with the job once it is completed, failed or cancelled; rejects `not-found` if it is removed. */
  waitFor(id: string, options?: { signal?: AbortSignal }): Promise<JobRecord>;
  pause(id: string): Promise<JobRecord>;
  resume(id: string): Promise<JobRecord>;
  cancel(id: string): Promise<JobRecord>;
  retry(id: string): Promise<JobRecord>;
  remove(id: string): Promise<void>;
  pauseMany(ids: readonly string[]): Promise<BulkResult>;
  resumeMany(ids: readonly string[]): Promise<BulkResult>;
  cancelMany(ids: readonly string[]): Promise<BulkResult>;
  retryMany(ids: readonly string[]): Promise<BulkResult>;
  removeMany(ids: readonly string[]): Promise<BulkResult>;
  reprioritize(id: string, change: { priority?: Priority; rank?: number }): Promise<JobRecord>;
  jobTypes(): Promise<readonly JobTypeInfo[]>;
  /** A setting, with secrets replaced by `has…`/`…Hint` members. */
  getSetting(key: string): Promise<unknown>;
  /** Stores a setting; leaving `apiKey` out keeps the stored key. Resolves with the redacted value. */
  putSetting(key: string, value: unknown): Promise<unknown>;
  testAiConnection(): Promise<AiConnectionCheck>;
  status(): Promise<RuntimeStatus>;
  /** Resolves when the runner has nothing running and nothing runnable. */
  onIdle(): Promise<void>;
  /**
   * Calls `listener` once this page's connection to the store is lost: a newer version of the
   * app upgraded the database (`upgraded`), another tab or app deleted it (`deleted`), or the
   * browser closed it, as it does when the site's data is cleared (`closed`). This tab's worker
   * has stopped writing and the page should offer a reload. A listener added after the loss is
   * called at once. Returns the unsubscribe.
   */
  onVersionChange(listener: (loss: StoreLoss) => void): () => void;
  /**
   * Calls `listener` once this page's worker is known not to have started (its script failed to
   * load, or threw as it started): every command then rejects with `worker` instead of waiting
   * for ever, while reads of the store go on working. A listener added after the failure is
   * called at once. Never called for an in-process runtime. Returns the unsubscribe.
   */
  onWorkerFailure(listener: (error: WorkerUnavailableError) => void): () => void;
  /**
   * Calls `listener` once with the reason no job can run in this browser context: it has no Web
   * Locks (a page served over http from another address than localhost; enqueues fail with
   * `unsupported`), or the browser lets the site store nothing (cookies and site data blocked;
   * every command and read fails). Learned from the worker's first `status()` answer and from
   * this page's own store. A listener added after that is called at once. Returns the
   * unsubscribe.
   */
  onUnsupported(listener: (reason: string) => void): () => void;
  /**
   * A `StoreReset` while the database this browser held before is gone and a new, empty one is
   * in its place (the browser deleted it: every job in it is lost), until
   * `acknowledgeStoreReset`; otherwise `undefined`.
   */
  watchStoreReset(): Watchable<StoreReset | undefined>;
  /** The user has been told: stop reporting this reset, in every tab. */
  acknowledgeStoreReset(): Promise<void>;
  /** Closes the read connection and the link to the worker (not the worker itself). */
  close(): void;
  /** The read-only queries, for views that need more than the methods above. */
  readonly queries: JobQueries;
}

/**
 * Connects the main thread to Errand: commands go to the worker, reads come straight from
 * IndexedDB through Dexie's liveQuery, which also sees the writes of every other tab.
 */
export function connectErrand(options: ConnectOptions): ErrandClient {
  const isWorker = 'postMessage' in options.worker;
  // Calls are marked, so that one the worker cannot read is answered with an error (see `markedEndpoint`).
  const remote: Remote<WorkerApi> | undefined = isWorker
    ? wrap<WorkerApi>(markedEndpoint(options.worker) as unknown as Endpoint)
    : undefined;
  // The first answer of a worker tells it started; until then an `error` event says it did not.
  const firstStatus = remote ? remote.status() : undefined;
  const start =
    remote && firstStatus !== undefined ? watchWorkerStart(options.worker as Worker, firstStatus) : undefined;
  // After it: the browser granting the page the lock the worker holds says the worker ended.
  const unwatchLife =
    start && firstStatus !== undefined
      ? watchWorkerLife(
          firstStatus,
          () => start.stopped('it was closed or terminated'),
          options.locks === null ? undefined : (options.locks ?? contextLocks()),
        )
      : () => undefined;
  const api: WorkerApi = remote && start ? guardedApi(remote, start) : (options.worker as WorkerApi);
  const dbName = options.dbName ?? 'errand';
  const db = new ErrandDb(dbName);
  const queries = new JobQueries(db);
  const feed = new FeedChannel(dbName);
  let storeLost: StoreLoss | undefined;
  const lossListeners = new Set<(loss: StoreLoss) => void>();
  const unwatchLoss = watchStoreLoss(db, (loss) => {
    storeLost = loss;
    for (const listener of [...lossListeners]) listener(loss);
  });
  const { markerStorage } = options;
  const storeReset = storeResetWatch(
    () => queries.storeIdentity(),
    () => (markerStorage === null ? undefined : (markerStorage ?? defaultMarkerStorage())),
    markerKey(dbName),
  );

  const single = async (result: Promise<Result<BulkResult>>, id: string): Promise<JobRecord> => {
    const bulk = await unwrap(result);
    const job = bulk.changed[0];
    if (job) return job;
    throw skippedError(id, bulk.skipped[0]?.code, await queries.get(id));
  };

  const watchable = <T>(query: () => Promise<T>): Watchable<T> => ({
    subscribe(next, error) {
      const subscription = liveQuery(query).subscribe({
        next,
        error: (e: unknown) => error?.(mapStorageError(e)),
      });
      return () => subscription.unsubscribe();
    },
  });

  let closed = false;
  // Where no job can run here: said by the worker's first status, or by this page's own store.
  let unsupported: string | undefined;
  const unsupportedListeners = new Set<(reason: string) => void>();
  const reportUnsupported = (reason: string | undefined): void => {
    if (reason === undefined || unsupported !== undefined || closed) return;
    unsupported = reason;
    for (const listener of [...unsupportedListeners]) listener(reason);
    unsupportedListeners.clear();
  };
  void (firstStatus ?? api.status()).then(
    (status) => reportUnsupported(status.unsupported),
    () => undefined,
  );
  db.open().catch((error: unknown) => {
    const mapped = mapStorageError(error);
    if (mapped instanceof UnsupportedContextError) reportUnsupported(mapped.reason);
  });

  const client: ErrandClient = {
    queries,
    enqueue: async (type, payload, enqueueOptions) =>
      unwrap(
        api.enqueue(enqueueOptions === undefined ? { type, payload } : { type, payload, options: enqueueOptions }),
        [payload],
      ),
    enqueueMany: (requests) =>
      unwrap(
        api.enqueueMany(requests),
        Array.isArray(requests) ? requests.map((request: EnqueueRequest | null) => request?.payload) : undefined,
      ),
    get: (id) => withStorageErrors(() => queries.get(id)),
    list: (query) => withStorageErrors(() => queries.list(query)),
    count: (query) => withStorageErrors(() => queries.count(query)),
    steps: (id) => withStorageErrors(() => queries.steps(id)),
    logs: (id) => withStorageErrors(() => queries.logs(id)),
    files: (id) => withStorageErrors(() => queries.files(id)),
    response: async ({ fingerprint }) =>
      fingerprint === undefined ? undefined : withStorageErrors(() => queries.response(fingerprint)),
    watch: (query, spaced) =>
      spaced ? spacedWatch(dbName, () => queries.list(query), spaced) : watchable(() => queries.list(query)),
    watchJob: (id) =>
      feedView(dbName, feed, {
        read: () => queries.get(id),
        jobsOf: (job) => (job ? [job] : []),
        takes: (job) => job.id === id && !isTerminal(job.status),
        shows: () => true,
        render: (job, overlay) => overlay.apply(job ? [job] : [])[0],
        spacing: JOB_SPACING,
      }),
    watchCount: (query) => spacedWatch(dbName, () => queries.count(query), COUNT_SPACING),
    watchActive: () =>
      feedView(dbName, feed, {
        read: () => queries.active(),
        jobsOf: (jobs) => jobs,
        takes: () => true,
        shows: showsActive,
        render: (jobs, overlay) => overlay.apply(jobs).sort((a, b) => a.createdAt - b.createdAt),
        spacing: ACTIVE_SPACING,
      }),
    watchActiveJobs: (activeOptions) =>
      feedView(dbName, feed, {
        read: () => queries.activeHeads(activeOptions?.limit ?? DEFAULT_ACTIVE_LIMIT),
        jobsOf: (heads) => heads.flatMap((head) => head.jobs),
        takes: () => true,
        shows: showsInHeads,
        render: renderActive,
        spacing: ACTIVE_SPACING,
      }),
    onJobChanges: (listener) => feed.subscribe((message) => listener(message.jobs, message.removed)),
    waitFor(id, waitOptions) {
      return new Promise<JobRecord>((resolve, reject) => {
        const signal = waitOptions?.signal;
        if (signal?.aborted) {
          reject(signal.reason as Error);
          return;
        }
        let stop: (() => void) | undefined = undefined;
        let done = false;
        const finish = (settle: () => void) => {
          if (done) return;
          done = true;
          stop?.();
          signal?.removeEventListener('abort', onAbort);
          settle();
        };
        const onAbort = () => finish(() => reject(signal?.reason as Error));
        signal?.addEventListener('abort', onAbort, { once: true });
        stop = watchable(() => queries.get(id)).subscribe(
          (job) => {
            if (!job) finish(() => reject(new JobNotFoundError(id)));
            else if (isTerminal(job.status)) finish(() => resolve(job));
          },
          (error) => finish(() => reject(error)),
        );
        if (done) stop();
      });
    },
    pause: (id) => single(api.pause([id]), id),
    resume: (id) => single(api.resume([id]), id),
    cancel: (id) => single(api.cancel([id]), id),
    retry: (id) => single(api.retry([id]), id),
    remove: async (id) => {
      const bulk = await unwrap(api.remove([id]));
      if (bulk.changed.length === 0) throw new JobNotFoundError(id);
    },
    pauseMany: (ids) => unwrap(api.pause(ids)),
    resumeMany: (ids) => unwrap(api.resume(ids)),
    cancelMany: (ids) => unwrap(api.cancel(ids)),
    retryMany: (ids) => unwrap(api.retry(ids)),
    removeMany: (ids) => unwrap(api.remove(ids)),
    reprioritize: (id, change) => unwrap(api.reprioritize(id, change)),
    jobTypes: () => api.jobTypes(),
    getSetting: (key) => unwrap(api.getSetting(key)),
    putSetting: (key, value) => unwrap(api.putSetting(key, value)),
    testAiConnection: () => unwrap(api.testAiConnection()),
    status: () => api.status(),
    onIdle: () => api.onIdle(),
    onVersionChange(listener) {
      if (storeLost) {
        listener(storeLost);
        return () => undefined;
      }
      lossListeners.add(listener);
      return () => lossListeners.delete(listener);
    },
    onWorkerFailure: (listener) => start?.onFailure(listener) ?? (() => undefined),
    onUnsupported(listener) {
      if (unsupported !== undefined) {
        listener(unsupported);
        return () => undefined;
      }
      unsupportedListeners.add(listener);
      return () => unsupportedListeners.delete(listener);
    },
    watchStoreReset: () => storeReset.watch,
    acknowledgeStoreReset: () => storeReset.acknowledge(),
    close() {
      // A second close does nothing (Comlink throws on releasing a proxy twice).
      if (closed) return;
      closed = true;
      unwatchLife();
      unwatchLoss();
      lossListeners.clear();
      unsupportedListeners.clear();
      feed.close();
      db.close();
      start?.close();
      remote?.[releaseProxy]();
    },
  };
  return client;
}

/**
 * Returns the value, or throws the error rebuilt as its class with its code. A call whose
 * arguments cannot be posted to the worker (a function or a WeakMap in a payload) never reaches
 * it: the browser refuses the message with a `DOMException`, which becomes `data-clone` here,
 * naming the payload when `payloads` says which values were sent.
 */
async function unwrap<T>(result: Promise<Result<T>>, payloads?: readonly unknown[]): Promise<T> {
  let settled: Result<T>;
  try {
    settled = await result;
  } catch (error) {
    throw refusedMessageError(error, payloads);
  }
  if (settled.ok) return settled.value;
  throw fromJobError(settled.error);
}

function refusedMessageError(error: unknown, payloads: readonly unknown[] | undefined): unknown {
  if (!(error instanceof Error) || error instanceof ErrandError) return error;
  // A payload the message could not carry, or whose getter threw while it was cloned.
  const refused = payloads && payloadCloneError(payloads);
  if (refused) return refused;
  if (error.name !== 'DataCloneError') return error;
  return new DataCloneError(`The value cannot be sent to the worker: ${error.message}`, { cause: error });
}

function skippedError(id: string, code: string | undefined, job: JobRecord | undefined): ErrandError {
  if (code === 'invalid-transition' && job) return new InvalidTransitionError(job.status, 'change');
  return new JobNotFoundError(id);
}
