import { reduceJob, type JobAction, type JobRecord, type Lease } from '../shared';
import type { ErrandDb, StoredJob } from './db';
import { assertLease, withIndexKeys, withoutIndexKeys } from './index-keys';
import { outcomeOf, type Outcome } from './write-group';

/** A change of a running attempt that leaves its status as it is. */
export type InPlaceAction = Extract<JobAction, { readonly type: 'progress' } | { readonly type: 'checkpoint' }>;

/** One in-place change as a write group holds it. */
export interface InPlaceWrite {
  readonly id: string;
  readonly lease: Lease;
  readonly action: InPlaceAction;
  readonly now: number;
}

/**
 * Inside a read-write transaction over jobs: applies a group of in-place changes (progress,
 * checkpoints) with one read and one write of the jobs, each fenced by its own lease and
 * applied in arrival order on the record as the earlier ones left it. A stale lease fails its
 * own outcome alone.
 */
export async function applyInPlace(db: ErrandDb, writes: readonly InPlaceWrite[]): Promise<Outcome<JobRecord>[]> {
  const ids = [...new Set(writes.map((write) => write.id))];
  const found = await db.jobs.bulkGet(ids);
  const byId = new Map(ids.map((id, i) => [id, found[i]]));
  const changed = new Map<string, StoredJob>();
  const outcomes = writes.map((write) =>
    outcomeOf(() => {
      const job = assertLease(byId.get(write.id), write.id, write.lease);
      const next = withIndexKeys(reduceJob(job, write.action, write.now));
      byId.set(write.id, next);
      changed.set(write.id, next);
      return withoutIndexKeys(next);
    }),
  );
  // The status stays as it is: no dependent can wake.
  if (changed.size > 0) await db.jobs.bulkPut([...changed.values()]);
  return outcomes;
}
