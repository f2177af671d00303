/**
 * The worker boundary, written once. Only structured-cloneable data crosses it: no class
 * instances, no functions, no Dexie objects. Failures cross as `JobError` data inside a
 * `Result`, because a thrown error loses its `code` on the way (Comlink keeps name and message).
 */
import type { JobError, JobRecord, Priority } from './job';

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
  /** Ids of jobs that must complete first. */
  readonly dependsOn?: readonly string[];
  readonly parentId?: string;
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

export interface RuntimeStatus {
  /** True in the one context that holds the runner lock and runs jobs. */
  readonly isRunner: boolean;
  readonly epoch: number;
  readonly running: number;
  readonly online: boolean;
  /** Set once this runtime stopped because a newer version of the app took over the database. */
  readonly outdated: boolean;
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
  jobTypes(): Promise<readonly JobTypeInfo[]>;
  status(): Promise<RuntimeStatus>;
  /** Resolves when this runtime has nothing running and nothing runnable. */
  onIdle(): Promise<void>;
}
