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
import { dependencyActions, settleDependents } from './dependencies';
import { assertLease, compareQueueKeys, withIndexKeys, withoutIndexKeys } from './index-keys';
import { addCompletions, COMPLETIONS_KEY } from './completion-tally';

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
  /** Jobs this round made runnable: they start in the next round. */
  readonly woken: number;
}

/**
 * The body of the round's transaction, in two trips to the database: every read is issued at
 * once (epoch, the finished jobs, due waits, the next wake-up, the head of each type's queue),
 * then every write. Jobs this round wakes (due waits, dependents of finished jobs) start in the
 * next round, which `woken` asks for.
 */
export async function claimInTransaction(db: ErrandDb, options: ClaimOptions): Promise<ClaimResult> {
  const { now } = options;
  const finishes = options.finishes ?? [];
  const blockedType = (type: string) => !options.online && options.needsNetwork.has(type);

  let slots = options.limit;
  const batchTypes = [...(options.batches ?? [])].filter(([type]) => !blockedType(type));
  const singleTypes = [...options.capacity].filter(([type, free]) => free > 0 && !blockedType(type));
  const finishIds = finishes.map((finish) => finish.id);
  const [stored, tally, finishing, dependents, due, next, batchRows, singleRows] = await Promise.all([
    db.meta.get(EPOCH_KEY),
    finishes.length === 0 ? Promise.resolve(undefined) : db.meta.get(COMPLETIONS_KEY),
    finishes.length === 0 ? Promise.resolve([]) : db.jobs.bulkGet(finishIds),
    // Jobs that depend on a finishing one: those waiting for it wake if it ends now.
    finishes.length === 0 ? Promise.resolve([]) : db.jobs.where('dependsOn').anyOf(finishIds).toArray(),
    db.jobs.where('wakeAt').belowOrEqual(now).limit(WAKE_BATCH).toArray(),
    db.jobs.where('wakeAt').above(now).first(),
    slots <= 0 ? [] : Promise.all(batchTypes.map(([type, batch]) => queuedOfType(db, type, batch.maxSize))),
    // A few more than fit: some may turn out to wait on dependencies.
    slots <= 0 ? [] : Promise.all(singleTypes.map(([type, free]) => queuedOfType(db, type, Math.min(free, slots) + 8))),
  ]);
  if (stored?.value !== options.epoch) throw new StaleRunnerError('*');

  const { finished, changed } = applyFinishes(finishes, finishing, now);
  const candidates = singleRows.flat().sort(compareQueueKeys);
  // Jobs due to wake that depend on others (enqueued to run later) are looked at too: one whose
  // dependencies have not all completed goes on to wait for them, rather than be queued.
  const dueDependents = due.filter((job) => (job.dependsOn?.length ?? 0) > 0);
  const blockedBy = await dependencyActions(db.jobs, [...batchRows.flat(), ...candidates, ...dueDependents], changed);

  const aside: StoredJob[] = [];
  const batches: StoredJob[][] = [];
  let batchWakeAt: number | undefined;
  batchTypes.forEach(([, batch], i) => {
    const rows = batchRows[i] ?? [];
    if (slots <= 0 || rows.length === 0) return;
    const windowEnds = Math.min(...rows.map((job) => job.runAt)) + batch.windowMs;
    if (rows.length < batch.maxSize && windowEnds > now) {
      batchWakeAt = Math.min(batchWakeAt ?? Infinity, windowEnds);
      return;
    }
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
  });

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

  // Due jobs wake; those blocked by a dependency go on to wait for it, or fail for it.
  const dueRows = due.map((job) => {
    const awake = reduceJob(job, { type: 'wake' }, now);
    const blocked = blockedBy.get(job.id);
    return withIndexKeys(blocked ? reduceJob(awake, blocked, now) : awake);
  });
  const failedHere = [...aside, ...dueRows].filter((job) => job.status === 'failed');
  const held = [...aside, ...dueRows.filter((job) => job.status === 'waiting')];
  // The jobs waiting on those that ended here (finished, or failed for a dependency) run, or
  // fail in turn, now; the first read of them was made with the round's others. Those this
  // round set to wait are taken as they are now, not as stored.
  const settled = await settleDependents(db.jobs, [...changed, ...failedHere], now, {
    ids: new Set(finishIds),
    dependents,
    current: new Map(held.map((job) => [job.id, job])),
  });
  // A job this round set to wait, and that a dependency ending in this same round settles, is
  // written as settled.
  const settledIds = new Set(settled.map((job) => job.id));
  const dueHeld = dueRows.filter((job) => job.status !== 'queued' && !settledIds.has(job.id));
  const woken = [
    ...dueRows.filter((job) => job.status === 'queued' && !settledIds.has(job.id)),
    ...settled.filter((job) => job.status === 'queued'),
  ];
  const settledFailed = settled.filter((job) => job.status !== 'queued');
  const asideKept = aside.filter((job) => !settledIds.has(job.id));

  // Finished, woken, settled, moved aside and started jobs are distinct: finished ones were
  // running, woken and settled ones waiting (for a time or for dependencies), the others queued.
  // No async helper is awaited alongside other work here: one that awaits twice can lose Dexie's
  // transaction zone, and its later requests would run outside the round's transaction.
  const writes = [...changed, ...woken, ...dueHeld, ...settledFailed, ...asideKept, ...started, ...batches.flat()];
  const completions = addCompletions(tally, changed, now);
  await Promise.all([
    writes.length > 0 ? db.jobs.bulkPut(writes) : undefined,
    completions === undefined ? undefined : db.meta.put(completions),
  ]);
  if (!options.online) await holdOffline(db, options.needsNetwork, now);
  // More due than one round wakes: the rest are due now.
  const nextWakeAt = due.length >= WAKE_BATCH ? now : next?.wakeAt;
  return {
    finished,
    started: started.map(withoutIndexKeys),
    batches: batches.map((members) => members.map(withoutIndexKeys)),
    ...(batchWakeAt === undefined ? {} : { batchWakeAt }),
    ...(nextWakeAt === undefined ? {} : { nextWakeAt }),
    woken: woken.length,
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
