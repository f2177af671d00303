import {
  reduceJob,
  StaleRunnerError,
  toJobError,
  type JobAction,
  type JobError,
  type JobRecord,
  type Lease,
} from '../shared';
import type { ErrandDb, StoredJob } from './db';
import { dependencyActions, wakeDependents } from './dependencies';
import { assertLease, compareQueueKeys, withIndexKeys, withoutIndexKeys } from './index-keys';

export const EPOCH_KEY = 'runnerEpoch';
/** Jobs woken per round: bounds one transaction's work; the rest wake on the next round. */
const WAKE_BATCH = 500;

/** The outcome of a finished attempt, to record in the next round. */
export interface FinishRequest {
  readonly id: string;
  readonly lease: Lease;
  readonly action: JobAction;
}

/** Recorded, or refused (fenced, or no longer applicable) with why. */
export type FinishResult =
  { readonly ok: true; readonly job: JobRecord } | { readonly ok: false; readonly error: JobError };

/** One round of the runner. */
export interface ClaimOptions {
  readonly epoch: number;
  readonly now: number;
  /** Free slots across all types. */
  readonly limit: number;
  /** Free slots per job type. Types absent or at 0 are not started. */
  readonly capacity: ReadonlyMap<string, number>;
  /** Types whose queued jobs must wait while offline. */
  readonly needsNetwork: ReadonlySet<string>;
  readonly online: boolean;
  readonly newLease: () => Lease;
  /** Types that run in batches and have a free slot: one batch each at most. */
  readonly batches?: ReadonlyMap<string, { readonly maxSize: number; readonly windowMs: number }>;
  /** Outcomes of finished attempts, recorded first. */
  readonly finishes?: readonly FinishRequest[];
}

/** What a round did. */
export interface ClaimResult {
  readonly finished: readonly FinishResult[];
  readonly started: readonly JobRecord[];
  /** Groups of jobs of one batch type, each to run as one call. */
  readonly batches: readonly (readonly JobRecord[])[];
  /** When a batch still gathering jobs should start anyway (its window ends). */
  readonly batchWakeAt?: number;
  /** When the next timed wait ends. */
  readonly nextWakeAt?: number;
  readonly woken: number;
}

/**
 * The body of the round's transaction. Requests that do not depend on each other are issued
 * together, so a round costs a few round trips to the database whatever it does.
 */
export async function claimInTransaction(db: ErrandDb, options: ClaimOptions): Promise<ClaimResult> {
  const { now } = options;
  const finishes = options.finishes ?? [];
  const [stored, finishing, due] = await Promise.all([
    db.meta.get(EPOCH_KEY),
    finishes.length === 0 ? Promise.resolve([]) : db.jobs.bulkGet(finishes.map((finish) => finish.id)),
    db.jobs.where('wakeAt').belowOrEqual(now).limit(WAKE_BATCH).toArray(),
  ]);
  if (stored?.value !== options.epoch) throw new StaleRunnerError('*');

  const { finished, changed } = applyFinishes(finishes, finishing, now);
  const woken = due.map((job) => withIndexKeys(reduceJob(job, { type: 'wake' }, now)));
  // Dependents wait for `dependencies`, due jobs for a time: the two sets never overlap.
  await Promise.all([db.jobs.bulkPut([...changed, ...woken]), wakeDependents(db.jobs, changed, now)]);
  if (!options.online) await holdOffline(db, options.needsNetwork, now);

  const aside: StoredJob[] = [];
  const batches: StoredJob[][] = [];
  let batchWakeAt: number | undefined;
  let slots = options.limit;
  for (const [type, batch] of options.batches ?? []) {
    if (slots <= 0 || (!options.online && options.needsNetwork.has(type))) continue;
    const rows = await queuedOfType(db, type, batch.maxSize);
    if (rows.length === 0) continue;
    const windowEnds = Math.min(...rows.map((job) => job.runAt)) + batch.windowMs;
    if (rows.length < batch.maxSize && windowEnds > now) {
      batchWakeAt = Math.min(batchWakeAt ?? Infinity, windowEnds);
      continue;
    }
    const blockedBy = await dependencyActions(db.jobs, rows);
    const members: StoredJob[] = [];
    for (const job of rows) {
      const blocked = blockedBy.get(job.id);
      if (blocked) aside.push(withIndexKeys(reduceJob(job, blocked, now)));
      else members.push(withIndexKeys(reduceJob(job, { type: 'start', lease: options.newLease() }, now)));
    }
    if (members.length > 0) {
      batches.push(members);
      slots -= 1;
    }
  }

  // Starting jobs never sets or clears `wakeAt`, so the next wake-up can be read alongside.
  const nextWake = db.jobs.orderBy('wakeAt').first();
  nextWake.catch(() => undefined); // awaited below; a failure aborts the round there
  const perType: Promise<StoredJob[]>[] = [];
  for (const [type, free] of options.capacity) {
    if (free <= 0 || slots <= 0 || (!options.online && options.needsNetwork.has(type))) continue;
    // A few more than fit: some may turn out to wait on dependencies.
    perType.push(queuedOfType(db, type, Math.min(free, slots) + 8));
  }
  const candidates = (await Promise.all(perType)).flat().sort(compareQueueKeys);
  const blockedBy = await dependencyActions(db.jobs, candidates);

  const started: StoredJob[] = [];
  const taken = new Map<string, number>();
  for (const job of candidates) {
    if (started.length >= slots) break;
    const typeTaken = taken.get(job.type) ?? 0;
    if (typeTaken >= (options.capacity.get(job.type) ?? 0)) continue;
    const blocked = blockedBy.get(job.id);
    if (blocked) {
      aside.push(withIndexKeys(reduceJob(job, blocked, now)));
      continue;
    }
    taken.set(job.type, typeTaken + 1);
    started.push(withIndexKeys(reduceJob(job, { type: 'start', lease: options.newLease() }, now)));
  }
  const writes = [...aside, ...started, ...batches.flat()];
  const [next] = await Promise.all([nextWake, writes.length > 0 ? db.jobs.bulkPut(writes) : undefined]);
  return {
    finished,
    started: started.map(withoutIndexKeys),
    batches: batches.map((members) => members.map(withoutIndexKeys)),
    ...(batchWakeAt === undefined ? {} : { batchWakeAt }),
    ...(next?.wakeAt === undefined ? {} : { nextWakeAt: next.wakeAt }),
    woken: due.length,
  };
}

/** Applies each outcome under its lease; a refused one is reported, never fatal to the round. */
function applyFinishes(
  finishes: readonly FinishRequest[],
  jobs: readonly (StoredJob | undefined)[],
  now: number,
): { finished: FinishResult[]; changed: StoredJob[] } {
  const finished: FinishResult[] = [];
  const changed: StoredJob[] = [];
  finishes.forEach((finish, i) => {
    try {
      const job = assertLease(jobs[i], finish.id, finish.lease);
      const next = withIndexKeys(reduceJob(job, finish.action, now));
      changed.push(next);
      finished.push({ ok: true, job: withoutIndexKeys(next) });
    } catch (error) {
      finished.push({ ok: false, error: toJobError(error) });
    }
  });
  return { finished, changed };
}

function queuedOfType(db: ErrandDb, type: string, limit: number): Promise<StoredJob[]> {
  return db.jobs.where('queueKey').between([type, -Infinity], [type, Infinity]).limit(limit).toArray();
}

async function holdOffline(db: ErrandDb, types: ReadonlySet<string>, now: number): Promise<void> {
  for (const type of types) {
    const queued = await queuedOfType(db, type, WAKE_BATCH);
    await db.jobs.bulkPut(queued.map((job) => withIndexKeys(reduceJob(job, { type: 'wait', reason: 'offline' }, now))));
  }
}
