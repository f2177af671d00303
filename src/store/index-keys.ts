import { priorityOrder, type JobRecord, type Lease, type WaitReason, StaleRunnerError } from '../shared';
import type { StoredJob } from './db';

/** Wait reasons that end at a time, and so are found through the `wakeAt` index. */
export const TIMED_WAIT_REASONS: readonly WaitReason[] = ['retry', 'rate_limit', 'scheduled'];

/** Strips the index keys a record had and sets the ones its status calls for. */
export function withIndexKeys(job: JobRecord): StoredJob {
  const { queueKey: _queueKey, wakeAt: _wakeAt, ...record } = job as StoredJob;
  if (record.status === 'queued') {
    return { ...record, queueKey: [record.type, priorityOrder(record.priority), record.rank, record.createdAt] };
  }
  if (
    record.status === 'waiting' &&
    record.waitReason !== undefined &&
    TIMED_WAIT_REASONS.includes(record.waitReason)
  ) {
    return { ...record, wakeAt: record.runAt };
  }
  return record;
}

/** Drops the index keys: what callers outside the store see. */
export function withoutIndexKeys(job: StoredJob): JobRecord {
  const { queueKey: _queueKey, wakeAt: _wakeAt, ...record } = job;
  return record;
}

/** Global run order of two queued jobs: priority, then rank, then age. */
export function compareQueueKeys(a: StoredJob, b: StoredJob): number {
  const ka = a.queueKey;
  const kb = b.queueKey;
  if (!ka || !kb) return 0;
  return ka[1] - kb[1] || ka[2] - kb[2] || ka[3] - kb[3];
}

/** Fencing: the write is refused unless `lease` still owns the job. */
export function assertLease(job: StoredJob | undefined, id: string, lease: Lease): StoredJob {
  if (!job || job.status !== 'running' || job.lease?.token !== lease.token || job.lease.epoch !== lease.epoch) {
    throw new StaleRunnerError(id);
  }
  return job;
}
