/**
 * The worker boundary, written once. Only structured-cloneable data crosses it: no class
 * instances, no functions, no Dexie objects. Failures cross as `JobError` data inside a
 * `Result`, because a thrown error loses its `code` on the way (Comlink keeps name and message).
 */
import type { StoreLoss } from './errors';
import type { JobError, JobRecord, Priority } from './job';
import type { Schedule, ScheduleRequest } from './schedule';

/** Options of one enqueue. */
export interface EnqueueOptions {
  /** User-facing label. @default the job type's label */
  readonly label?: string;
  /** @default the job type's priority */
  readonly priority?: Priority;
  /** Position within the priority; lower runs first. @default creation time */
  readonly rank?: number;
  /** Not before this many milliseconds from now. */
  readonly delayMs?: number;
  /** Not before this time (epoch ms). */
  readonly runAt?: number;
  /** @default the job type's retry.maxAttempts */
  readonly maxAttempts?: number;
  /**
   * Ids of jobs that must complete first. Each must be a stored job: an id no job has refuses the
   * enqueue with `invalid-input` naming it, and nothing is stored (for `enqueueMany`, none of its
   * jobs). The job waits (`dependencies`) until they all complete; a dependency that fails, is
   * cancelled, or is removed before it completed fails this job with `dependency-failed`, at once
   * where that happened before the enqueue.
   */
  readonly dependsOn?: readonly string[];
  readonly parentId?: string;
  /**
   * For a type with a result cache: ask again, neither answered from a stored result nor joined
   * to the same request in flight; the new result replaces the stored one.
   */
  readonly fresh?: boolean;
}

export interface EnqueueRequest {
  readonly type: string;
  readonly payload: unknown;
  readonly options?: EnqueueOptions;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: JobError };

/** Outcome of a command over several jobs: the jobs it changed and why the others were skipped. */
export interface BulkResult {
  readonly changed: readonly JobRecord[];
  readonly skipped: readonly { readonly id: string; readonly code: string }[];
}

export interface ReprioritizeRequest {
  readonly priority?: Priority;
  readonly rank?: number;
}

/** What a job type tells the UI about itself. */
export interface JobTypeInfo {
  readonly type: string;
  readonly label: string;
  readonly priority: Priority;
  readonly maxAttempts: number;
  readonly concurrency?: number;
  readonly needsNetwork: boolean;
  /** Typical run time in ms, where known; drives the pill's kind of feedback. */
  readonly expectedMs?: number;
}

/**
 * Where an enqueue not answered yet is: building its records (`preparing`), asking for its
 * transaction (`waiting`: the database is still opening), reading stored answers (`reading`),
 * its records handed to IndexedDB, which has not answered (`writing`: other transactions on the
 * jobs come first), or IndexedDB has the records and has not said whether they committed
 * (`committing`).
 */
export type EnqueueStage = 'preparing' | 'waiting' | 'reading' | 'writing' | 'committing';

/** An enqueue this runtime has not answered yet. */
export interface PendingEnqueue {
  /** How many jobs it asks for. */
  readonly jobs: number;
  /** When it arrived (epoch ms, the runtime's clock). */
  readonly since: number;
  readonly stage: EnqueueStage;
}

export interface RuntimeStatus {
  /** True in the one context that holds the runner lock and runs jobs. */
  readonly isRunner: boolean;
  /**
   * While the runner: when this context was granted the runner lock (epoch ms, the runtime's
   * clock), which is when the previous holder's context ended or let go.
   */
  readonly lockedSince?: number;
  /** While the runner: when this context's takeover committed (epoch ms, the runtime's clock). */
  readonly runnerSince?: number;
  readonly epoch: number;
  /**
   * Who this runtime is. Its page names it in the note it leaves as it unloads, so that a runner
   * taking over gives back the attempts the page's leaving cut short (see `markPageExit`).
   */
  readonly instance?: string;
  readonly running: number;
  readonly online: boolean;
  /** Set once this runtime stopped because a newer version of the app took over the database. */
  readonly outdated: boolean;
  /** Set once this runtime's store is gone (and it stopped): how it was lost. */
  readonly storeLost?: StoreLoss;
  /**
   * The Web Lock the worker holds for as long as it lives (see `watchWorkerLife`), where the
   * worker entry took one.
   */
  readonly workerLock?: string;
  /**
   * Set where jobs cannot run at all (no Web Locks in this context, or the browser denies the
   * site its store): why, in words for the user. Enqueues are then refused with `unsupported`.
   */
  readonly unsupported?: string;
  /**
   * Enqueues that have not been answered yet, oldest first (absent when there are none): an
   * enqueue long in `committing` is waiting on the browser's storage, not on Errand.
   */
  readonly pendingEnqueues?: readonly PendingEnqueue[];
}

export type AiConnectionCheck =
  | {
      readonly ok: true;
      readonly detail: string;
      readonly models: readonly string[];
      /** True when the server answered but does not list the configured model: the settings may be wrong. */
      readonly modelUnlisted?: boolean;
    }
  | { readonly ok: false; readonly error: JobError };

/** Keys of the settings the runtime itself reads. */
export const SETTINGS_KEYS = { ai: 'ai', limits: 'limits' } as const;

/** The largest value each field of the `limits` setting takes. */
export const LIMIT_MAXIMUMS = { concurrency: 32, aiRequestsPerMinute: 10_000 } as const;

/** The `limits` setting: each field a whole number from 1 to its `LIMIT_MAXIMUMS`, or left out for the default. */
export interface LimitsSetting {
  /** Jobs (or batches) running at once. */
  readonly concurrency?: number;
  /** Requests per minute to the AI provider, shared by every AI job type and tab. */
  readonly aiRequestsPerMinute?: number;
}

/** The API the worker exposes through Comlink. Every method resolves; failures are data. */
export interface WorkerApi {
  enqueue(request: EnqueueRequest): Promise<Result<JobRecord>>;
  /** All or nothing: one transaction. */
  enqueueMany(requests: readonly EnqueueRequest[]): Promise<Result<readonly JobRecord[]>>;
  pause(ids: readonly string[]): Promise<Result<BulkResult>>;
  resume(ids: readonly string[]): Promise<Result<BulkResult>>;
  cancel(ids: readonly string[]): Promise<Result<BulkResult>>;
  retry(ids: readonly string[]): Promise<Result<BulkResult>>;
  remove(ids: readonly string[]): Promise<Result<BulkResult>>;
  reprioritize(id: string, request: ReprioritizeRequest): Promise<Result<JobRecord>>;
  /** Stores a schedule, new or in place of the one with `request.id`; checked as an enqueue of its job would be. */
  saveSchedule(request: ScheduleRequest): Promise<Result<Schedule>>;
  setScheduleEnabled(id: string, enabled: boolean): Promise<Result<Schedule>>;
  /** Removes a schedule; the jobs it enqueued stay. */
  removeSchedule(id: string): Promise<Result<void>>;
  /** Enqueues a schedule's job now, leaving its next run as it was. */
  runScheduleNow(id: string): Promise<Result<JobRecord>>;
  /** The next runs (epoch ms, at most 10) of a pattern, checked as `saveSchedule` checks it. */
  previewSchedule(cron: string, timezone?: string, count?: number): Promise<Result<readonly number[]>>;
  jobTypes(): Promise<readonly JobTypeInfo[]>;
  /**
   * A stored setting. Secrets never leave the worker: a member named `apiKey` comes back as
   * `hasApiKey` and `apiKeyHint` (its last four characters) instead.
   */
  getSetting(key: string): Promise<Result<unknown>>;
  /** Stores a setting; an object without `apiKey` keeps the stored one. */
  putSetting(key: string, value: unknown): Promise<Result<unknown>>;
  /** Stores several settings, by key, in one transaction: all of them or, on any problem, none. */
  putSettings(values: Readonly<Record<string, unknown>>): Promise<Result<Record<string, unknown>>>;
  /** Checks the configured AI provider answers. */
  testAiConnection(): Promise<Result<AiConnectionCheck>>;
  status(): Promise<RuntimeStatus>;
  /** Resolves when this runtime has nothing running and nothing runnable. */
  onIdle(): Promise<void>;
}
