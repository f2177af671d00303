import type { JobRecord, JobStatus } from '../shared';

/** The first jobs of one active status, oldest first. */
export interface ActiveHead {
  readonly status: JobStatus;
  /** At most the limit asked for, oldest first. */
  readonly jobs: readonly JobRecord[];
  /** Jobs of this status in all: counted only when `jobs` holds fewer than there are. */
  readonly total: number;
  /** Whether `jobs` is every job of this status. */
  readonly complete: boolean;
}
