import type {
  AiConnectionCheck,
  BulkResult,
  EnqueueOptions,
  EnqueueRequest,
  ErrandError,
  JobRecord,
  JobStatus,
  JobSummary,
  JobTypeInfo,
  LockManagerLike,
  LogRecord,
  Priority,
  RuntimeStatus,
  Schedule,
  ScheduleRequest,
  StepRecord,
  StoreLoss,
  WorkerApi,
  WorkerUnavailableError,
} from '../shared';
import type {
  FileRecord,
  JobListQuery,
  JobQueries,
  JobRef,
  MinuteTally,
  RelatedJobs,
  ResponseRecord,
  StepCounts,
} from '../store';
import type { ActiveJobs } from './active-jobs';
import type { SpacedWatchOptions } from './spaced-watch';
import type { MarkerStorage, StoreReset } from './store-reset';

/* The main thread's API to Errand, as `connectErrand` (./connect.ts) gives it. */

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
   * browser deleted it (`watchStoreReset`); `null` turns that off. Its writes must be on disk
   * when they resolve, as a crash is when the marker is needed.
   * @default a file in the origin private file system, with `localStorage` beside it (alone
   *   where files cannot be written)
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
  /** Jobs by id, in the order asked (undefined for one that is gone), in one read. */
  getMany(ids: readonly string[]): Promise<(JobRecord | undefined)[]>;
  /**
   * The id and status of the first `limit` jobs a list query matches, newest first, from index
   * keys alone: cheap enough to select every job of a list of thousands.
   */
  listKeys(
    query: Omit<JobListQuery, 'offset' | 'limit'>,
    limit: number,
  ): Promise<{ readonly id: string; readonly status: JobStatus }[]>;
  /**
   * Jobs completed per wall-clock minute over the last hour, oldest first (minutes with none
   * left out), as the runner counted them when they completed.
   */
  completionsPerMinute(): Promise<readonly MinuteTally[]>;
  /** The job's whole step journal, in the order the steps began. */
  steps(id: string): Promise<StepRecord[]>;
  /**
   * Steps `offset` to `offset + limit` of the job's journal, in the order they began: for a
   * journal of thousands of steps, whose records (outputs included) are too many to read whole
   * each time the job changes.
   */
  stepRange(id: string, offset: number, limit: number): Promise<StepRecord[]>;
  /** The job's steps counted by status and reruns, from the store's indexes (no record is read). */
  stepCounts(id: string): Promise<StepCounts>;
  /** The job's newest `LOG_READ_LIMIT` (500) log lines, oldest first. */
  logs(id: string): Promise<LogRecord[]>;
  /** The stored AI prompt and answer of a job with a fingerprint (AI jobs). */
  response(job: Pick<JobRecord, 'fingerprint'>): Promise<ResponseRecord | undefined>;
  /** Files the job attached (exports, results). */
  files(id: string): Promise<FileRecord[]>;
  /**
   * What the job depends on and what depends on it: its dependencies and parent, and the first
   * `RELATED_READ_LIMIT` (500) jobs that name it in `dependsOn` or that it enqueued, with their
   * totals. Undefined for a job not stored.
   */
  related(id: string): Promise<RelatedJobs | undefined>;
  /**
   * The unfinished jobs, other than `ids`, that depend on one of `ids` (the first `limit`, 500 by
   * default, and whether there are more): those that cancelling or removing `ids` would fail.
   */
  unfinishedDependents(
    ids: readonly string[],
    limit?: number,
  ): Promise<{ readonly jobs: readonly JobRef[]; readonly more: boolean }>;
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
   * Tells each time job `id`'s steps, logs or files change, in any tab or worker (nothing is
   * read; read them with `stepRange`, `stepCounts`, `logs` and `files`). A step that starts
   * and a log line leave the job's record as it was, so `watchJob` does not tell of them.
   */
  watchJournal(id: string): Watchable<void>;
  /**
   * `related(id)`, live: read again, spaced, after jobs change in any tab, so that a
   * dependency's outcome and a new dependent show.
   */
  watchRelated(id: string): Watchable<RelatedJobs | undefined>;
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
  /**
   * Stores a recurring job: `request.type` and `request.payload` are checked as an enqueue would
   * check them, and `request.cron` must read as a cron pattern that runs again and never twice
   * within 10 s (`invalid-input` otherwise). Give `request.id` to change a stored schedule, or
   * to create one under a name of your own. The runner enqueues the job at each run of the
   * pattern, once per run across every tab; a run missed while no tab was open happens once
   * when the app opens again.
   */
  saveSchedule(request: ScheduleRequest): Promise<Schedule>;
  /** Turns a schedule off, or on again from its pattern's next run; rejects `not-found` for an unknown id. */
  setScheduleEnabled(id: string, enabled: boolean): Promise<Schedule>;
  /** Removes a schedule; the jobs it enqueued stay. Rejects `not-found` for an unknown id. */
  removeSchedule(id: string): Promise<void>;
  /** Enqueues a schedule's job now; its next run stays as it was. */
  runScheduleNow(id: string): Promise<JobRecord>;
  /** The next runs (epoch ms; 3 unless told, at most 10) of a pattern, or why it cannot be a schedule's. */
  previewSchedule(cron: string, timezone?: string, count?: number): Promise<readonly number[]>;
  /** Every schedule, oldest first. */
  schedules(): Promise<Schedule[]>;
  /** Every schedule, oldest first, live. */
  watchSchedules(): Watchable<Schedule[]>;
  jobTypes(): Promise<readonly JobTypeInfo[]>;
  /** A setting, with secrets replaced by `has…`/`…Hint` members. */
  getSetting(key: string): Promise<unknown>;
  /** A setting as `getSetting` gives it, live: read again when any tab or worker stores a setting. */
  watchSetting(key: string): Watchable<unknown>;
  /** Stores a setting; leaving `apiKey` out keeps the stored key. Resolves with the redacted value. */
  putSetting(key: string, value: unknown): Promise<unknown>;
  /**
   * Stores several settings, by key, in one transaction: either all are stored or, when one is
   * refused or the write fails, none is. Resolves with each stored value, redacted.
   */
  putSettings(values: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>;
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
  /**
   * Closes the read connection and the link to the worker (not the worker itself). From then on
   * every method above rejects with `closed` (`ClosedError`), as does a call not settled yet
   * (whether or not it took effect); a live subscription ends with one `closed` error, and one
   * made later gets that error and no value; listeners are no longer called. A second close does
   * nothing.
   */
  close(): void;
  /**
   * The read-only queries, for views that need more than the methods above. They read the
   * store directly: after `close()` they fail with the store's own error, not `closed`.
   */
  readonly queries: JobQueries;
}
