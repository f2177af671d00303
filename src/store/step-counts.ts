/** A job's step journal counted from index keys alone (no record is read). */
export interface StepCounts {
  /** Steps begun, in all. */
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  /** Begun and not finished: running while the job runs, cut short otherwise. */
  readonly running: number;
  /** Steps whose body started more than once (after a crash or a retry). */
  readonly rerun: number;
  /** When the first step began; undefined for an empty journal. */
  readonly firstStartedAt?: number;
}
