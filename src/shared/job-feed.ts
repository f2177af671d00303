import type { JobRecord } from './job';

/**
 * A job as the change feed announces it: the committed record without the fields a handler
 * owns and that may be large (`payload`, `result`, `checkpoint`). Each tab clones every
 * announcement, and a pill needs none of them; they stay in the store, read through liveQuery.
 */
export type JobSummary = Omit<JobRecord, 'payload' | 'result' | 'checkpoint'>;

/** One announcement: what a committed transaction changed. */
export interface JobFeedMessage {
  readonly kind: 'jobs';
  /**
   * When the transaction had committed (epoch ms, the worker's clock). A record's `updatedAt`
   * is when its change was made, which a busy worker may commit later.
   */
  readonly committedAt: number;
  /** Changed jobs as committed. */
  readonly jobs: readonly JobSummary[];
  /** Ids of removed jobs. */
  readonly removed: readonly string[];
}

/**
 * Most jobs one announcement carries. A transaction that changed more (a bulk enqueue of
 * thousands) is not announced; readers learn of it from the store, as before the feed.
 */
export const MAX_FEED_JOBS = 1_000;

/** The BroadcastChannel on which the workers of database `dbName` announce committed job changes. */
export function jobFeedChannelName(dbName: string): string {
  return `errand-jobs:${dbName}`;
}

/** The record as the feed carries it. */
export function summarizeJob(job: JobRecord): JobSummary {
  const { payload: _payload, result: _result, checkpoint: _checkpoint, ...summary } = job;
  return summary;
}

/** Type guard for data heard on the feed channel. */
export function isJobFeedMessage(data: unknown): data is JobFeedMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Partial<JobFeedMessage>;
  return (
    message.kind === 'jobs' &&
    typeof message.committedAt === 'number' &&
    Array.isArray(message.jobs) &&
    Array.isArray(message.removed)
  );
}
