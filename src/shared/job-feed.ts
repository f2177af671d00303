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

/**
 * Most jobs one message carries: a transaction that changed more is told in several, in order.
 * Every tab deserializes each message in one task on its main thread; a thousand jobs starting
 * in one round made one message that held a busy page for over 10 ms, a hundred take about one.
 */
export const FEED_MESSAGE_JOBS = 100;

/** The messages that tell a committed transaction's changes (see `FEED_MESSAGE_JOBS`). */
export function feedMessages(
  changed: readonly JobRecord[],
  removed: readonly string[],
  committedAt: number,
): JobFeedMessage[] {
  const messages: JobFeedMessage[] = [];
  let first = 0;
  do {
    const end = first + FEED_MESSAGE_JOBS;
    const jobs = changed.slice(first, end).map(summarizeJob);
    messages.push({ kind: 'jobs', committedAt, jobs, removed: end >= changed.length ? removed : [] });
    first = end;
  } while (first < changed.length);
  return messages;
}

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
