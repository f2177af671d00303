/** Every status a job can be in. */
export const JOB_STATUSES = ['queued', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a job never leaves on its own. */
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

/** Statuses shown in the pill bar. */
export const ACTIVE_STATUSES: readonly JobStatus[] = ['running', 'waiting', 'paused'];

/** Why a `waiting` job is not runnable yet. */
export const WAIT_REASONS = ['retry', 'rate_limit', 'offline', 'dependencies', 'scheduled'] as const;
export type WaitReason = (typeof WAIT_REASONS)[number];

export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Sort order of a priority: lower runs first. */
export function priorityOrder(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

/** A failure as stored in a job record: plain data, so it survives the worker boundary. */
export interface JobError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  /**
   * The fields of the error's class beyond its message (`jobId`, `type`, `from` and `action`,
   * `reason`, …), so that the class rebuilt on the other side of the worker boundary has them.
   */
  readonly details?: JobErrorDetails;
}

/** The own fields of an error class, as plain data. */
export type JobErrorDetails = Readonly<Record<string, string | number>>;

/** The runner that owns a running job: a write carrying another lease is refused. */
export interface Lease {
  readonly epoch: number;
  readonly token: string;
}

/** One persisted job. Only the worker's JobRepository writes these. */
export interface JobRecord {
  readonly id: string;
  readonly type: string;
  readonly label: string;
  readonly status: JobStatus;
  readonly waitReason?: WaitReason;
  readonly priority: Priority;
  /** Position within a priority: lower runs first. Defaults to the creation time. */
  readonly rank: number;
  readonly payload: unknown;
  readonly fingerprint?: string;
  readonly result?: unknown;
  readonly error?: JobError;
  /** 0..1 */
  readonly progress: number;
  readonly step?: string;
  readonly completedSteps: number;
  readonly totalSteps?: number;
  readonly checkpoint?: unknown;
  readonly attempts: number;
  readonly maxAttempts: number;
  /** When the running attempt last saved headway (a checkpoint or a finished step). */
  readonly progressedAt?: number;
  /**
   * Attempts cut short and given back: by the page leaving (a reload, a closed tab), or by a
   * crash after the attempt saved headway.
   */
  readonly interruptions?: number;
  /** Of `interruptions`, those cut short by a crash: at `MAX_INTERRUPTIONS` the next one fails the job. */
  readonly crashes?: number;
  /** Not before this time (epoch ms). */
  readonly runAt: number;
  readonly lease?: Lease;
  readonly dependsOn?: readonly string[];
  readonly parentId?: string;
  /** True when the result came from the response store instead of a new run. */
  readonly cacheHit?: boolean;
  /** Asked anew: a stored answer to the same request is not used, and the new one replaces it. */
  readonly fresh?: boolean;
  readonly needsNetwork?: boolean;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly updatedAt: number;
  readonly completedAt?: number;
  readonly serverId?: string;
  readonly syncStatus?: 'pending' | 'synced' | 'conflict';
  /** Status changes with their times, newest last (bounded). */
  readonly history: readonly HistoryEntry[];
}

export interface HistoryEntry {
  readonly status: JobStatus;
  readonly at: number;
  readonly waitReason?: WaitReason;
  readonly code?: string;
  /**
   * On the entry that follows a run cut short (its runner's tab closed, reloaded or crashed):
   * when that run was last known to run: its page's exit, where the page noted it, else its job's
   * last write. The entry itself is written later, when a runner takes over, so the run's time
   * ends here and not at `at`.
   */
  readonly ranUntil?: number;
}

export const STEP_STATUSES = ['running', 'completed', 'failed'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** One entry of a job's step journal. */
export interface StepRecord {
  readonly jobId: string;
  readonly name: string;
  readonly status: StepStatus;
  readonly output?: unknown;
  readonly error?: JobError;
  /** How many times the step body started: above 1 only after a crash or a retry. */
  readonly runs: number;
  readonly startedAt: number;
  readonly finishedAt?: number;
}

export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogRecord {
  readonly id?: number;
  readonly jobId: string;
  readonly at: number;
  readonly level: LogLevel;
  readonly message: string;
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function isActive(status: JobStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}
