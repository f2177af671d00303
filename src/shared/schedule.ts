import type { JobError, Priority } from './job';

/** A recurring job: what to enqueue, and when, as a cron pattern. */
export interface ScheduleRequest {
  /** Give the id of a stored schedule to change it. @default a new id */
  readonly id?: string;
  readonly type: string;
  /**
   * When to enqueue, as a cron pattern: five fields (minute hour day-of-month month
   * day-of-week), six with seconds first, or seven with seconds first and a year last. Runs
   * closer than `MIN_SCHEDULE_INTERVAL_MS` apart are refused.
   */
  readonly cron: string;
  /** IANA time zone the pattern is read in, e.g. `Europe/Paris`. @default the browser's */
  readonly timezone?: string;
  readonly payload: unknown;
  /** Label of the schedule and of the jobs it enqueues. @default the job type's label */
  readonly label?: string;
  /** @default true */
  readonly enabled?: boolean;
  readonly priority?: Priority;
  /** @default the job type's retry.maxAttempts */
  readonly maxAttempts?: number;
}

/** A stored schedule. */
export interface Schedule {
  readonly id: string;
  readonly type: string;
  readonly cron: string;
  readonly timezone?: string;
  readonly payload: unknown;
  readonly label: string;
  readonly enabled: boolean;
  readonly priority?: Priority;
  readonly maxAttempts?: number;
  /** When it next enqueues; absent while disabled. */
  readonly nextRunAt?: number;
  /** When it last enqueued, and the job it enqueued then. */
  readonly lastRunAt?: number;
  readonly lastJobId?: string;
  /** Why its last run enqueued nothing (its payload no longer passes the job type's check). */
  readonly lastError?: JobError;
  /** Jobs it has enqueued. */
  readonly runs: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The least time between two runs of a schedule. */
export const MIN_SCHEDULE_INTERVAL_MS = 10_000;
