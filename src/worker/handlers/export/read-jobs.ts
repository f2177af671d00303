import type { JobRecord, JobStatus } from '../../../shared';
import type { JobContext } from '../../define-job-type';

/** A position in the job history: after this job, in `[createdAt, id]` order. */
export interface JobCursor {
  readonly createdAt: number;
  readonly id: string;
}

/** One page of the job history, oldest first. */
export interface ReadJobsQuery {
  readonly status?: JobStatus;
  readonly type?: string;
  /** Start after this job; from the oldest when absent. */
  readonly after?: JobCursor;
  readonly limit: number;
}

export interface ReadJobsPage {
  /** Up to `limit` jobs in `[createdAt, id]` order; fewer only on the last page. */
  readonly jobs: readonly JobRecord[];
  /** Jobs matching the filter in all, given on the first page (no `after`), for progress. */
  readonly total?: number;
}

/**
 * Read-only access to job records, a page at a time. It reads the `jobs` table only, never
 * `settings`, so a secret stored there cannot reach an export.
 */
export type ReadJobs = (query: ReadJobsQuery) => Promise<ReadJobsPage>;

/** Where a handler gets its `ReadJobs` for one run. */
export type ReadJobsSource = (context: JobContext) => ReadJobs;

/** The history as the runtime offers it to every handler, through `context.readJobs`. */
export const readJobsFromContext: ReadJobsSource = (context) => (query) => context.readJobs(query);
