/**
 * What IndexedDB itself allows on this machine, without Dexie or any queue logic: one object
 * store keyed by `id`, no secondary index, records shaped like a job with a ~500-byte payload.
 *
 * Beside it, the same writes on records a queue must keep: job records as Errand stores them,
 * in a store with Errand's own indexes (created from its schema, so they cannot drift apart),
 * and in a store with nothing but a queue-order index, the least any queue that runs jobs by
 * priority needs. These say how much of the gap to the bare limit is IndexedDB's own cost of
 * keeping indexes, which no queue code can win back.
 *
 * Two more rows split that cost: the same job records in a store with no index (the record's
 * size and shape cost nothing measurable), and job records that carry none of the indexed
 * fields in a store that has Errand's indexes (what a plain job would cost in a store that
 * lists only the jobs that need listing).
 */
import { ErrandDb, type StoredJob } from '../../src/store';
import { withIndexKeys } from '../../src/store/index-keys';
import { reduceJob, type EnqueueRequest, type JobRecord } from '../../src/shared';
import { defineJobType, type AnyJobType } from '../../src/worker';
import { buildJobRecord } from '../../src/worker/enqueue-builder';
import {
  committed,
  deleteDatabase,
  payloadOf,
  perSecond,
  quantile,
  requestResult,
  scaled,
  type Figures,
  type ScenarioOptions,
} from './measure';

type Durability = 'default' | 'strict';

interface RawJob {
  readonly id: string;
  readonly status: 'queued' | 'running' | 'completed';
  readonly payload: unknown;
  readonly createdAt: number;
  readonly updatedAt: number;
}

const STORE = 'jobs';

/** A fresh database with one object store keyed by `id` and no index. */
export async function openRaw(name: string): Promise<IDBDatabase> {
  await deleteDatabase(name);
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => {
    request.result.createObjectStore(STORE, { keyPath: 'id' });
  };
  return requestResult(request);
}

function recordOf(index: number, status: RawJob['status']): RawJob {
  const now = Date.now();
  return { id: `job-${index}`, status, payload: payloadOf(index), createdAt: now, updatedAt: now };
}

/** One raw put in a transaction of its own, awaited until the transaction commits. */
export async function rawPut(db: IDBDatabase, index: number, durability: Durability): Promise<void> {
  const tx = db.transaction(STORE, 'readwrite', { durability });
  tx.objectStore(STORE).put(recordOf(index, 'queued'));
  await committed(tx);
}

/** Figures of the raw single put, and latencies of each put (transaction committed). */
async function singlePuts(
  db: IDBDatabase,
  count: number,
  durability: Durability,
): Promise<{ rate: number; p50: number; p95: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await rawPut(db, i, durability);
    latencies.push(performance.now() - t0);
  }
  return {
    rate: perSecond(count, performance.now() - started),
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
  };
}

async function bulkAdd(db: IDBDatabase, count: number, durability: Durability): Promise<number> {
  const records = Array.from({ length: count }, (_, i) => recordOf(i, 'queued'));
  const started = performance.now();
  const tx = db.transaction(STORE, 'readwrite', { durability });
  const store = tx.objectStore(STORE);
  for (const record of records) store.add(record);
  await committed(tx);
  return perSecond(count, performance.now() - started);
}

/** queued → running → completed as three puts of the whole record, `perTransaction` jobs per transaction. */
async function lifecycles(
  db: IDBDatabase,
  jobs: number,
  perTransaction: number,
  durability: Durability,
): Promise<number> {
  const started = performance.now();
  for (let first = 0; first < jobs; first += perTransaction) {
    const last = Math.min(jobs, first + perTransaction);
    for (const status of ['queued', 'running', 'completed'] as const) {
      const tx = db.transaction(STORE, 'readwrite', { durability });
      const store = tx.objectStore(STORE);
      for (let i = first; i < last; i++) store.put(recordOf(i, status));
      await committed(tx);
    }
  }
  return perSecond(jobs, performance.now() - started);
}

const noopType = defineJobType<unknown, null>({ type: 'bench_noop', label: 'No-op', run: () => Promise.resolve(null) });
const noopTypes = new Map<string, AnyJobType>([[noopType.type, noopType]]);

/** A queued job record as Errand builds it on enqueue, ~500-byte payload. */
function jobOf(index: number, now: number, options?: EnqueueRequest['options']): JobRecord {
  return buildJobRecord(
    { type: noopType.type, payload: payloadOf(index), ...(options ? { options } : {}) },
    noopTypes,
    {
      id: `job-${index}`,
      now,
      rank: index,
    },
  );
}

/** The record at each of the lifecycle's three writes: queued, running (leased), completed. */
function lifecycleOf(index: number): readonly [JobRecord, JobRecord, JobRecord] {
  const now = Date.now();
  const queued = withIndexKeys(jobOf(index, now));
  const running = withIndexKeys(
    reduceJob(queued, { type: 'start', lease: { epoch: 1, token: `lease-${index}` } }, now),
  );
  const completed = withIndexKeys(reduceJob(running, { type: 'complete', result: null }, now));
  return [queued, running, completed];
}

/**
 * One strict put of the record Errand stores for a scheduled job (the index keys included), in
 * a transaction of its own, awaited until it commits: a single enqueue without the queue's code.
 */
export async function rawJobPut(db: IDBDatabase, index: number, options: EnqueueRequest['options']): Promise<void> {
  const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
  tx.objectStore(STORE).put(withIndexKeys(jobOf(index, Date.now(), options)));
  await committed(tx);
}

/** A fresh database with Errand's schema, opened raw (Dexie only creates it). */
export async function openWithErrandIndexes(name: string): Promise<IDBDatabase> {
  await deleteDatabase(name);
  const schema = new ErrandDb(name);
  await schema.open();
  schema.close();
  return requestResult(indexedDB.open(name));
}

/** A fresh database whose job store has one index: the queue order. */
async function openWithQueueIndex(name: string): Promise<IDBDatabase> {
  await deleteDatabase(name);
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => {
    request.result.createObjectStore(STORE, { keyPath: 'id' }).createIndex('queueKey', 'queueKey');
  };
  return requestResult(request);
}

/**
 * A job record with none of the fields Errand's indexes read (status, type, createdAt and the
 * index keys are kept under other names): how a store could hold plain jobs that no index lists.
 */
function unindexed(record: JobRecord): Record<string, unknown> {
  const { queueKey: _queueKey, wakeAt: _wakeAt, createdAt, status, type, ...rest } = record as StoredJob;
  return { ...rest, created: createdAt, state: status, kind: type };
}

/** Strict bulk add of `count` records made by `shape` from queued job records. */
async function bulkAddShaped(db: IDBDatabase, count: number, shape: (record: JobRecord) => unknown): Promise<number> {
  const now = Date.now();
  const records = Array.from({ length: count }, (_, i) => shape(jobOf(i, now)));
  const started = performance.now();
  const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
  const store = tx.objectStore(STORE);
  for (const record of records) store.add(record);
  await committed(tx);
  return perSecond(count, performance.now() - started);
}

/** The strict lifecycle of 100 jobs per transaction, on job records made by `shape`. */
async function jobLifecycles(
  db: IDBDatabase,
  jobs: number,
  shape: (record: JobRecord) => unknown = (record) => record,
): Promise<number> {
  const records = Array.from({ length: jobs }, (_, i) => lifecycleOf(i).map(shape));
  const started = performance.now();
  for (let first = 0; first < jobs; first += 100) {
    const last = Math.min(jobs, first + 100);
    for (const stage of [0, 1, 2] as const) {
      const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
      const store = tx.objectStore(STORE);
      for (let i = first; i < last; i++) store.put(records[i]?.[stage]);
      await committed(tx);
    }
  }
  return perSecond(jobs, performance.now() - started);
}

function bulkAddJobs(db: IDBDatabase, count: number): Promise<number> {
  return bulkAddShaped(db, count, withIndexKeys);
}

/** Runs one measured function on a fresh database and deletes it afterwards. */
async function onFreshDb<T>(
  name: string,
  fn: (db: IDBDatabase) => Promise<T>,
  open: (name: string) => Promise<IDBDatabase> = openRaw,
): Promise<T> {
  const db = await open(name);
  try {
    return await fn(db);
  } finally {
    db.close();
    await deleteDatabase(name);
  }
}

export async function runLimit(options: ScenarioOptions): Promise<Figures> {
  const { scale, dbPrefix } = options;
  const name = (part: string) => `${dbPrefix}-limit-${part}`;
  const puts = await onFreshDb(name('put'), (db) => singlePuts(db, scaled(1000, scale), 'default'));
  const putsStrict = await onFreshDb(name('put-strict'), (db) => singlePuts(db, scaled(500, scale), 'strict'));
  const bulk = await onFreshDb(name('bulk'), (db) => bulkAdd(db, scaled(10_000, scale), 'default'));
  const bulkStrict = await onFreshDb(name('bulk-strict'), (db) => bulkAdd(db, scaled(10_000, scale), 'strict'));
  const life1 = await onFreshDb(name('life1'), (db) => lifecycles(db, scaled(500, scale), 1, 'default'));
  const life100 = await onFreshDb(name('life100'), (db) => lifecycles(db, scaled(5000, scale, 100), 100, 'default'));
  const life100Strict = await onFreshDb(name('life100-strict'), (db) =>
    lifecycles(db, scaled(5000, scale, 100), 100, 'strict'),
  );
  const bulkIndexed = await onFreshDb(
    name('bulk-indexed'),
    (db) => bulkAddJobs(db, scaled(10_000, scale)),
    openWithErrandIndexes,
  );
  const bulkQueueIndex = await onFreshDb(
    name('bulk-queue'),
    (db) => bulkAddJobs(db, scaled(10_000, scale)),
    openWithQueueIndex,
  );
  const bulkJobsNoIndex = await onFreshDb(name('bulk-jobs'), (db) => bulkAddJobs(db, scaled(10_000, scale)));
  const lifeJobsNoIndex = await onFreshDb(name('life-jobs'), (db) => jobLifecycles(db, scaled(5000, scale, 100)));
  const bulkUnindexed = await onFreshDb(
    name('bulk-unindexed'),
    (db) => bulkAddShaped(db, scaled(10_000, scale), unindexed),
    openWithErrandIndexes,
  );
  const lifeUnindexed = await onFreshDb(
    name('life-unindexed'),
    (db) => jobLifecycles(db, scaled(5000, scale, 100), unindexed),
    openWithErrandIndexes,
  );
  const life100Indexed = await onFreshDb(
    name('life100-indexed'),
    (db) => jobLifecycles(db, scaled(5000, scale, 100)),
    openWithErrandIndexes,
  );
  return {
    'limit.put': puts.rate,
    'limit.putP50': puts.p50,
    'limit.putStrict': putsStrict.rate,
    'limit.putStrictP50': putsStrict.p50,
    'limit.putStrictP95': putsStrict.p95,
    'limit.bulk': bulk,
    'limit.bulkStrict': bulkStrict,
    'limit.life1': life1,
    'limit.life100': life100,
    'limit.life100Strict': life100Strict,
    'limit.bulkIndexedStrict': bulkIndexed,
    'limit.bulkQueueIndexStrict': bulkQueueIndex,
    'limit.life100IndexedStrict': life100Indexed,
    'limit.bulkJobsStrict': bulkJobsNoIndex,
    'limit.bulkUnindexedStrict': bulkUnindexed,
    'limit.lifeUnindexedStrict': lifeUnindexed,
    'limit.lifeJobsStrict': lifeJobsNoIndex,
  };
}
