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
import { dependencyAction, wakeDependents } from './dependencies';
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

/** The body of the round's transaction (see `JobRepository.claim`). */
export async function claimInTransaction(db: ErrandDb, options: ClaimOptions): Promise<ClaimResult> {
  const { now } = options;
  const stored = await db.meta.get(EPOCH_KEY);
  if (stored?.value !== options.epoch) throw new StaleRunnerError('*');

  const finished = await recordFinishes(db, options.finishes ?? [], now);

  const due = await db.jobs.where('wakeAt').belowOrEqual(now).limit(WAKE_BATCH).toArray();
  await db.jobs.bulkPut(due.map((job) => withIndexKeys(reduceJob(job, { type: 'wake' }, now))));
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
    const members: StoredJob[] = [];
    for (const job of rows) {
      const blocked = await dependencyAction(db.jobs, job);
      if (blocked) aside.push(withIndexKeys(reduceJob(job, blocked, now)));
      else members.push(withIndexKeys(reduceJob(job, { type: 'start', lease: options.newLease() }, now)));
    }
    if (members.length > 0) {
      batches.push(members);
      slots -= 1;
    }
  }

  const candidates: StoredJob[] = [];
  for (const [type, free] of options.capacity) {
    if (free <= 0 || slots <= 0 || (!options.online && options.needsNetwork.has(type))) continue;
    // A few more than fit: some may turn out to wait on dependencies.
    candidates.push(...(await queuedOfType(db, type, Math.min(free, slots) + 8)));
  }
  candidates.sort(compareQueueKeys);

  const started: StoredJob[] = [];
  const taken = new Map<string, number>();
  for (const job of candidates) {
    if (started.length >= slots) break;
    const typeTaken = taken.get(job.type) ?? 0;
    if (typeTaken >= (options.capacity.get(job.type) ?? 0)) continue;
    const blocked = await dependencyAction(db.jobs, job);
    if (blocked) {
      aside.push(withIndexKeys(reduceJob(job, blocked, now)));
      continue;
    }
    taken.set(job.type, typeTaken + 1);
    started.push(withIndexKeys(reduceJob(job, { type: 'start', lease: options.newLease() }, now)));
  }
  await db.jobs.bulkPut([...aside, ...started, ...batches.flat()]);
  const next = await db.jobs.orderBy('wakeAt').first();
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
async function recordFinishes(db: ErrandDb, finishes: readonly FinishRequest[], now: number): Promise<FinishResult[]> {
  if (finishes.length === 0) return [];
  const jobs = await db.jobs.bulkGet(finishes.map((finish) => finish.id));
  const results: FinishResult[] = [];
  const changed: StoredJob[] = [];
  finishes.forEach((finish, i) => {
    try {
      const job = assertLease(jobs[i], finish.id, finish.lease);
      const next = withIndexKeys(reduceJob(job, finish.action, now));
      changed.push(next);
      results.push({ ok: true, job: withoutIndexKeys(next) });
    } catch (error) {
      results.push({ ok: false, error: toJobError(error) });
    }
  });
  await db.jobs.bulkPut(changed);
  await wakeDependents(db.jobs, changed, now);
  return results;
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
