import type { BackoffOptions, EnqueueOptions, JobRecord, LogLevel, Priority } from '../shared';
import type { JobPage, JobPageQuery } from '../store';
import type { AiClient } from './ai-client';

/** What a handler may use while it runs. Everything goes through here, never through the store. */
export interface JobContext<State = unknown> {
  readonly jobId: string;
  /** The request's fingerprint, for types with `cache`. */
  readonly fingerprint: string | undefined;
  /** True when the job asks anew: a stored answer must not be used (see `EnqueueOptions.fresh`). */
  readonly fresh: boolean;
  /** 1 for the first run, counting retries and runs interrupted by a crash. */
  readonly attempt: number;
  /** Aborted on cancel, pause, timeout or when this runner loses the job. */
  readonly signal: AbortSignal;
  /** The last checkpoint, to resume from; undefined on a fresh start. */
  readonly state: State | undefined;
  /** Reports progress (0..1). Persisted a few times a second at most; never awaited. */
  progress(fraction: number, step?: string): void;
  /** Persists the state to resume from after a crash, pause or retry. */
  checkpoint(state: State): Promise<void>;
  /**
   * A journaled step: runs `fn` once; when the job resumes after the step finished, the
   * stored output is returned and `fn` is not run again. Steps are known by their name, in this
   * attempt too: a name that finished answers with its stored output (a way to read it again), so
   * each distinct piece of work needs a name of its own ("fetch page 1", "fetch page 2"), or a
   * loop's later calls return the first call's output. A step that failed runs again when called.
   */
  step<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
  /** Appends a line to the job's log. */
  log(message: string, level?: LogLevel): Promise<void>;
  /** Files attached to this job (exports, downloads); removed with the job. */
  readonly files: JobFiles;
  /**
   * Reads the job history a page at a time, oldest first (exports, reports). Job records
   * only: never settings or secrets.
   */
  readJobs(query: JobPageQuery): Promise<JobPage>;
  /** The configured AI provider, behind the response store. */
  readonly ai: AiClient;
  /** Enqueues a child job (its `parentId` is this job). */
  enqueue(type: string, payload: unknown, options?: EnqueueOptions): Promise<JobRecord>;
}

/** A file as a handler sees it. */
export interface JobFile {
  readonly id: string;
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  readonly blob: Blob;
}

export interface JobFiles {
  /** Stores a file for the job; resolves with its id. Replaces a file of the same name. */
  put(name: string, data: Blob | string, mimeType?: string): Promise<string>;
  list(): Promise<JobFile[]>;
}

export interface RetryOptions {
  /** Runs allowed, the first included. @default 3 */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffOptions;
}

/** At most `max` starts per `intervalMs`, shared by every type of the same `group`. */
export interface RateLimitOptions {
  readonly max: number;
  readonly intervalMs: number;
  /**
   * Types that call the same service share one limit and one "retry after" hold (e.g. every
   * AI type shares `ai`). @default the type's own name
   */
  readonly group?: string;
}

/** Reads a setting stored in the `settings` table (AI provider, limits). */
export type SettingsReader = (key: string) => Promise<unknown>;

/** Results stored by fingerprint and reused; an identical request joins the one in flight. */
export interface CacheOptions<Payload> {
  /**
   * What identifies a request besides its type (for AI: provider, model, prompt version and
   * the payload). @default the payload
   */
  key?(payload: Payload, settings: SettingsReader): unknown;
}

/** Wait briefly for similar jobs and run them as one call. */
export interface BatchOptions {
  /** How long the first job waits for company. @default 250 */
  readonly windowMs?: number;
  /** Most jobs in one call. */
  readonly maxSize: number;
}

/** One job of a batch, with its own context (lease, signal, journal). */
export interface BatchItem<Payload, State> {
  readonly payload: Payload;
  readonly context: JobContext<State>;
}

/** The outcome of one job of a batch: it completes or fails alone. */
export type BatchOutcome<Result> =
  { readonly ok: true; readonly value: Result } | { readonly ok: false; readonly error: unknown };

/** A job type: what it is called, how it is scheduled and retried, and what it does. */
export interface JobTypeDefinition<Payload = unknown, Result = unknown, State = unknown> {
  /** Domain-scoped id, e.g. `csv_categorization`. */
  readonly type: string;
  /** User-facing label of jobs of this type. */
  readonly label: string;
  /** @default 'normal' */
  readonly priority?: Priority;
  readonly retry?: RetryOptions;
  /** Jobs of this type running at once. @default unlimited (the global limit applies) */
  readonly concurrency?: number;
  readonly rateLimit?: RateLimitOptions;
  /** A run is aborted and retried after this long. */
  readonly timeoutMs?: number;
  /** Jobs wait while offline and resume on `online`. @default false */
  readonly needsNetwork?: boolean;
  readonly cache?: CacheOptions<Payload>;
  /**
   * With `runBatch`: jobs of this type run in groups of up to `maxSize`, gathered for `windowMs`.
   * A group of one (a job alone in its window, or a member retried alone after its batch failed
   * it) runs through `run`, so `run` must do the same work for one job.
   */
  readonly batch?: BatchOptions;
  /** Typical run time, for the UI's choice of spinner, bar or time remaining. */
  readonly expectedMs?: number;
  /**
   * Checks and narrows the payload at enqueue; throw to refuse it (e.g. a valibot `parser`).
   * A refused payload is stored nowhere.
   */
  readonly parse?: (payload: unknown) => Payload;
  /** A label derived from the payload, when the caller gives none. */
  labelFor?(payload: Payload): string;
  run(payload: Payload, context: JobContext<State>): Promise<Result>;
  /**
   * Runs several jobs as one call (one AI request carrying many items). Throwing fails every
   * item with that error (a rate limit holds them all); an item's own failure fails it alone.
   */
  runBatch?(items: readonly BatchItem<Payload, State>[], signal: AbortSignal): Promise<readonly BatchOutcome<Result>[]>;
}

/**
 * The erased form the runtime holds. Assignable from any definition because `run` and
 * `labelFor` are methods (checked bivariantly).
 */
export type AnyJobType = JobTypeDefinition<unknown, unknown, unknown>;

/** Declares a job type; the identity function that gives handlers their types. */
export function defineJobType<Payload, Result = unknown, State = unknown>(
  definition: JobTypeDefinition<Payload, Result, State>,
): JobTypeDefinition<Payload, Result, State> {
  return definition;
}

/** Default number of runs of a job. */
export const DEFAULT_MAX_ATTEMPTS = 3;
