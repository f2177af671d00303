import { wrap, releaseProxy, type Endpoint, type Remote } from 'comlink';
import { liveQuery } from 'dexie';
import {
  DataCloneError,
  ErrandError,
  fromJobError,
  markedEndpoint,
  payloadCloneError,
  InvalidTransitionError,
  isTerminal,
  JobNotFoundError,
  type BulkResult,
  type EnqueueRequest,
  type JobRecord,
  type Result,
  type StoreLoss,
  type WorkerApi,
  UnsupportedContextError,
} from '../shared';
import { ErrandDb, JobQueries, mapStorageError, withStorageErrors, watchStoreLoss } from '../store';
import { renderActive, showsActive, showsInHeads } from './active-jobs';
import { FeedChannel } from './feed-channel';
import { Once } from './once';
import { ClientLife, closableClient } from './client-life';
import { feedView } from './feed-view';
import { journalChanges } from './journal-changes';
import { spacedWatch, tableWatch } from './spaced-watch';
import { guardedApi, watchWorkerStart } from './worker-start';
import { contextLocks, watchWorkerLife } from './worker-life';
import { noteExitOnPageHide } from './page-exit';
import type { ConnectOptions, ErrandClient, Watchable } from './client-api';
import { defaultMarkerStorage } from './marker-storage';
import { markerKey, storeResetWatch } from './store-reset';

/** Counts are re-read at most once a second, and pause 8 times as long as a count took in between. */
const COUNT_SPACING = { minGapMs: 1000, spacing: 8 } as const;
/**
 * Views that the change feed keeps current re-read the store after changes at most ten times a
 * second, pausing four times as long as a read took: the reads confirm what the feed brought.
 */
const ACTIVE_SPACING = { minGapMs: 100, spacing: 4 } as const;
/** One job's outcome comes from the store (the feed carries no result), so it is read sooner. */
const JOB_SPACING = { minGapMs: 25, spacing: 4 } as const;
/** A job page's related jobs: a few small reads, their status shown within a quarter second. */
const RELATED_SPACING = { minGapMs: 250, spacing: 4 } as const;
/** Settings change seldom, by hand: each change is read at once. */
const SETTING_SPACING = { minGapMs: 0, spacing: 0 } as const;
/** Jobs of each active status that `watchActiveJobs` reads unless told otherwise. */
const DEFAULT_ACTIVE_LIMIT = 50;

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
  const storeLost = new Once<StoreLoss>();
  const unwatchLoss = watchStoreLoss(db, (loss) => storeLost.tell(loss));
  const { markerStorage } = options;
  const storeReset = storeResetWatch(
    () => queries.storeIdentity(),
    () => (markerStorage === null ? undefined : (markerStorage ?? defaultMarkerStorage())),
    markerKey(dbName),
  );

  const single = async (result: Promise<Result<BulkResult>>, id: string, action: JobCommand): Promise<JobRecord> => {
    const bulk = await unwrap(result);
    const job = bulk.changed[0];
    if (job) return job;
    throw skippedError(id, action, bulk.skipped[0]?.code, await queries.get(id));
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

  // Where no job can run here: said by the worker's first status, or by this page's own store.
  const unsupported = new Once<string>();
  const statusAtStart = firstStatus ?? api.status();
  void statusAtStart.then(
    (status) => status.unsupported !== undefined && unsupported.tell(status.unsupported),
    () => undefined,
  );
  db.open().catch((error: unknown) => {
    const mapped = mapStorageError(error);
    if (mapped instanceof UnsupportedContextError) unsupported.tell(mapped.reason);
  });

  // As the page unloads, it notes that its runtime ends because it left, not in a crash.
  const unwatchPageHide = noteExitOnPageHide(
    db,
    statusAtStart.then((status) => status.instance),
  );

  const life = new ClientLife();
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
    getMany: (ids) => withStorageErrors(() => queries.getMany(ids)),
    listKeys: (query, limit) => withStorageErrors(() => queries.listKeys(query, limit)),
    completionsPerMinute: () => withStorageErrors(() => queries.completionsPerMinute()),
    steps: (id) => withStorageErrors(() => queries.steps(id)),
    stepRange: (id, offset, limit) => withStorageErrors(() => queries.stepRange(id, offset, limit)),
    stepCounts: (id) => withStorageErrors(() => queries.stepCounts(id)),
    logs: (id) => withStorageErrors(() => queries.logs(id)),
    files: (id) => withStorageErrors(() => queries.files(id)),
    related: (id) => withStorageErrors(() => queries.related(id)),
    unfinishedDependents: (ids, limit) => withStorageErrors(() => queries.unfinishedDependents(ids, limit)),
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
    watchJournal: (id) => journalChanges(dbName, id),
    watchRelated: (id) => spacedWatch(dbName, () => queries.related(id), RELATED_SPACING),
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
        // Ended with `closed` as the client closes, which rejects the wait.
        stop = life.watch(watchable(() => queries.get(id))).subscribe(
          (job) => {
            if (!job) finish(() => reject(new JobNotFoundError(id)));
            else if (isTerminal(job.status)) finish(() => resolve(job));
          },
          (error) => finish(() => reject(error)),
        );
        if (done) stop();
      });
    },
    pause: (id) => single(api.pause([id]), id, 'pause'),
    resume: (id) => single(api.resume([id]), id, 'resume'),
    cancel: (id) => single(api.cancel([id]), id, 'cancel'),
    retry: (id) => single(api.retry([id]), id, 'retry'),
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
    saveSchedule: (request) => unwrap(api.saveSchedule(request), [request?.payload]),
    setScheduleEnabled: (id, enabled) => unwrap(api.setScheduleEnabled(id, enabled)),
    removeSchedule: (id) => unwrap(api.removeSchedule(id)),
    runScheduleNow: (id) => unwrap(api.runScheduleNow(id)),
    previewSchedule: (cron, timezone, count) => unwrap(api.previewSchedule(cron, timezone, count)),
    schedules: () => withStorageErrors(() => queries.schedules()),
    watchSchedules: () => watchable(() => queries.schedules()),
    jobTypes: () => api.jobTypes(),
    getSetting: (key) => unwrap(api.getSetting(key)),
    watchSetting: (key) => tableWatch(dbName, 'settings', () => unwrap(api.getSetting(key)), SETTING_SPACING),
    putSetting: (key, value) => unwrap(api.putSetting(key, value)),
    putSettings: (values) => unwrap(api.putSettings(values)),
    testAiConnection: () => unwrap(api.testAiConnection()),
    status: () => api.status(),
    onIdle: () => api.onIdle(),
    onVersionChange: (listener) => storeLost.listen(listener),
    onWorkerFailure: (listener) => start?.onFailure(listener) ?? (() => undefined),
    onUnsupported: (listener) => unsupported.listen(listener),
    watchStoreReset: () => storeReset.watch,
    acknowledgeStoreReset: () => storeReset.acknowledge(),
    close() {
      // A second close does nothing (Comlink throws on releasing a proxy twice).
      if (!life.close()) return;
      unwatchLife();
      unwatchPageHide();
      unwatchLoss();
      storeLost.clear();
      unsupported.clear();
      feed.close();
      db.close();
      start?.close();
      remote?.[releaseProxy]();
    },
  };
  // After `close()` every call rejects with `closed` and every subscription ends with it.
  return closableClient(client, life);
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

/** The commands on one job that `single` answers. */
type JobCommand = 'pause' | 'resume' | 'cancel' | 'retry';

/** Why `action` skipped the job: its status does not allow it, or it is gone. */
function skippedError(
  id: string,
  action: JobCommand,
  code: string | undefined,
  job: JobRecord | undefined,
): ErrandError {
  if (code === 'invalid-transition' && job) return new InvalidTransitionError(job.status, action);
  return new JobNotFoundError(id);
}
