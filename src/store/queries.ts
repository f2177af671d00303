import { liveQuery } from 'dexie';
import {
  assertId,
  assertIds,
  ACTIVE_STATUSES,
  InvalidInputError,
  isTerminal,
  JOB_STATUSES,
  type JobRecord,
  type JobStatus,
  type LogRecord,
  type Schedule,
  type StepRecord,
  STEP_STATUSES,
} from '../shared';
import type { ErrandDb, FileRecord, ResponseRecord } from './db';
import { readStoreIdentity, type StoreIdentity } from './store-identity';
import { COMPLETIONS_KEY, readTally, type MinuteTally } from './completion-tally';

/** Most log lines `logs` reads: the newest ones. */
export const LOG_READ_LIMIT = 500;

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

/** A job's step journal counted from index keys alone (no record is read). */
export interface StepCounts {
  /** Steps begun, in all. */
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  /** Begun and not finished: running while the job runs, cut short otherwise. */
  readonly running: number;
  /** Steps whose body started more than once (after a crash or a retry). */
  readonly rerun: number;
  /** When the first step began; undefined for an empty journal. */
  readonly firstStartedAt?: number;
}

/** A page of the job list, newest first. */
export interface JobListQuery {
  readonly status?: JobStatus;
  /**
   * Jobs of any of these statuses, newest first across them (instead of `status`): the
   * job center's `active` view lists running, waiting and paused jobs this way, a page at a time.
   */
  readonly statuses?: readonly JobStatus[];
  readonly type?: string;
  /**
   * Only the jobs that depend on this job (whose `dependsOn` holds its id), newest first by id
   * (ids are time-ordered). Not with `parentId`.
   */
  readonly dependsOn?: string;
  /** Only the jobs this job enqueued (whose `parentId` is its id), newest first by id. Not with `dependsOn`. */
  readonly parentId?: string;
  readonly offset?: number;
  /** @default 100 */
  readonly limit?: number;
}

/** A page of the job history, oldest first, after a `[createdAt, id]` cursor. */
export interface JobPageQuery {
  readonly status?: JobStatus;
  readonly type?: string;
  readonly after?: { readonly createdAt: number; readonly id: string };
  readonly limit: number;
}

/** A job named on another's page: enough to show and link it. */
export type JobRef = Pick<JobRecord, 'id' | 'label' | 'type' | 'status'>;

/** Most jobs that depend on one, or children of one, `related` reads (the rest are counted). */
export const RELATED_READ_LIMIT = 500;

/** What a job waits on and what waits on it, for its page. */
export interface RelatedJobs {
  /** The jobs it depends on, in the order given; `job` is absent for one removed since. */
  readonly dependencies: readonly { readonly id: string; readonly job?: JobRef }[];
  /** The job that enqueued it, if any; `job` is absent once that one is removed. */
  readonly parent?: { readonly id: string; readonly job?: JobRef };
  /** The first jobs (oldest first) whose `dependsOn` names it. */
  readonly dependents: readonly JobRef[];
  /** How many jobs depend on it in all. */
  readonly dependentsTotal: number;
  /** The first jobs (oldest first) it enqueued. */
  readonly children: readonly JobRef[];
  /** How many jobs it enqueued that are still stored. */
  readonly childrenTotal: number;
}

export interface JobPage {
  readonly jobs: readonly JobRecord[];
  /** Jobs matching the filter in all; given on the first page only (no `after`). */
  readonly total?: number;
}

/**
 * Read-only queries for the UI and the client. They use compound-index ranges, never a
 * scan of all jobs, so they stay fast with a hundred thousand rows.
 */
export class JobQueries {
  constructor(private readonly db: ErrandDb) {}

  async get(id: string): Promise<JobRecord | undefined> {
    assertId(id, 'id');
    return this.db.jobs.get(id);
  }

  /** Every schedule, oldest first. */
  async schedules(): Promise<Schedule[]> {
    return (await this.db.schedules.toArray()).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /** Jobs newest first, optionally of one status or type. */
  async list(query: JobListQuery = {}): Promise<JobRecord[]> {
    const related = this.relatedTo(query);
    if (related) {
      return related
        .offset(query.offset ?? 0)
        .limit(query.limit ?? 100)
        .toArray();
    }
    const statuses = statusesOf(query);
    if (statuses) return this.listOfStatuses(statuses, query.type, query.offset ?? 0, query.limit ?? 100);
    return this.collection(query)
      .offset(query.offset ?? 0)
      .limit(query.limit ?? 100)
      .toArray();
  }

  /** Jobs by id, in the order asked (undefined for one not stored), in one read. */
  async getMany(ids: readonly string[]): Promise<(JobRecord | undefined)[]> {
    assertIds(ids, 'ids');
    return this.db.jobs.bulkGet([...ids]);
  }

  /**
   * The jobs job `id` depends on and its parent, and the first `RELATED_READ_LIMIT` of those
   * that depend on it and that it enqueued, with their totals: one read transaction over the
   * `dependsOn` and `parentId` indexes, whatever the number of jobs stored. Undefined for a job
   * not stored.
   */
  async related(id: string): Promise<RelatedJobs | undefined> {
    assertId(id, 'id');
    const { db } = this;
    return db.transaction('r', db.jobs, async () => {
      const job = await db.jobs.get(id);
      if (!job) return undefined;
      const named = [...(job.dependsOn ?? []), ...(job.parentId !== undefined ? [job.parentId] : [])];
      const dependents = db.jobs.where('dependsOn').equals(id);
      const children = db.jobs.where('parentId').equals(id);
      const [found, dependentList, dependentsTotal, childList, childrenTotal] = await Promise.all([
        db.jobs.bulkGet(named),
        dependents.clone().limit(RELATED_READ_LIMIT).toArray(),
        dependents.clone().count(),
        children.clone().limit(RELATED_READ_LIMIT).toArray(),
        children.clone().count(),
      ]);
      const refOf = (index: number) => {
        const record = found[index];
        return { id: named[index] ?? '', ...(record ? { job: jobRef(record) } : {}) };
      };
      const dependencyCount = job.dependsOn?.length ?? 0;
      return {
        dependencies: Array.from({ length: dependencyCount }, (_, i) => refOf(i)),
        ...(job.parentId !== undefined ? { parent: refOf(dependencyCount) } : {}),
        dependents: dependentList.map(jobRef),
        dependentsTotal,
        children: childList.map(jobRef),
        childrenTotal,
      };
    });
  }

  /**
   * The unfinished jobs, other than `ids`, that depend on one of `ids`: the first `limit` (in
   * index order), and whether there are more. What cancelling or removing `ids` fails
   * (`dependency-failed`): a job of `ids` itself is left out, as it goes too.
   */
  async unfinishedDependents(
    ids: readonly string[],
    limit = RELATED_READ_LIMIT,
  ): Promise<{ readonly jobs: readonly JobRef[]; readonly more: boolean }> {
    assertIds(ids, 'ids');
    checkWhole(limit, 'limit');
    if (ids.length === 0 || limit === 0) return { jobs: [], more: false };
    const own = new Set(ids);
    const found = await this.db.jobs
      .where('dependsOn')
      .anyOf([...own])
      .distinct()
      .filter((job) => !isTerminal(job.status) && !own.has(job.id))
      .limit(limit + 1)
      .toArray();
    return { jobs: found.slice(0, limit).map(jobRef), more: found.length > limit };
  }

  /**
   * The id and status of the first `limit` jobs a list query matches, newest first, read from
   * index keys alone (no record is read): what selecting every job of a list needs.
   */
  async listKeys(
    query: Omit<JobListQuery, 'offset' | 'limit'>,
    limit: number,
  ): Promise<{ readonly id: string; readonly status: JobStatus }[]> {
    checkWhole(limit, 'limit');
    const related = this.relatedTo(query);
    // The jobs related to one are few beside the store: their records are read.
    if (related) return (await related.limit(limit).toArray()).map(({ id, status }) => ({ id, status }));
    const statuses = statusesOf(query) ?? (query.status !== undefined ? [query.status] : JOB_STATUSES);
    const { db } = this;
    return db.transaction('r', db.jobs, async () => {
      const entries: { readonly createdAt: number; readonly id: string; readonly status: JobStatus }[] = [];
      await Promise.all(
        statuses.map((status) =>
          this.collection({ status, type: query.type })
            .limit(limit)
            .eachKey((key, cursor) => {
              const parts = key as readonly unknown[];
              entries.push({ createdAt: parts[parts.length - 1] as number, id: cursor.primaryKey, status });
            }),
        ),
      );
      entries.sort(newestFirst);
      return entries.slice(0, limit).map(({ id, status }) => ({ id, status }));
    });
  }

  /** Counts matching jobs; all jobs are counted on the table itself, several times cheaper than an index. */
  async count(query: Omit<JobListQuery, 'offset' | 'limit'> = {}): Promise<number> {
    const related = this.relatedTo(query);
    if (related) return related.count();
    const statuses = statusesOf(query);
    if (statuses) {
      const counts = await Promise.all(statuses.map((status) => this.collection({ status, type: query.type }).count()));
      return counts.reduce((sum, count) => sum + count, 0);
    }
    if (query.status === undefined && query.type === undefined) return this.db.jobs.count();
    return this.collection(query).count();
  }

  /**
   * Pages through the history oldest first, in `[createdAt, id]` order (the index's own
   * order), so an export of 100,000 jobs holds one page in memory at a time.
   */
  async page(query: JobPageQuery): Promise<JobPage> {
    const { jobs } = this.db;
    const from = query.after?.createdAt ?? -Infinity;
    const base =
      query.status !== undefined && query.type !== undefined
        ? jobs
            .where('[type+status+createdAt]')
            .between([query.type, query.status, from], [query.type, query.status, Infinity], true, true)
        : query.status !== undefined
          ? jobs.where('[status+createdAt]').between([query.status, from], [query.status, Infinity], true, true)
          : query.type !== undefined
            ? jobs.where('[type+createdAt]').between([query.type, from], [query.type, Infinity], true, true)
            : jobs.where('createdAt').between(from, Infinity, true, true);
    const after = query.after;
    const page = await base
      .filter((job) => {
        return !after || job.createdAt > after.createdAt || (job.createdAt === after.createdAt && job.id > after.id);
      })
      .limit(query.limit)
      .toArray();
    if (after) return { jobs: page };
    const total = await this.count(query);
    return { jobs: page, total };
  }

  /** Jobs shown in the pill bar: running, waiting and paused. */
  async active(): Promise<JobRecord[]> {
    const lists = await Promise.all(
      (['running', 'waiting', 'paused'] as const).map((status) => this.list({ status, limit: 500 })),
    );
    return lists.flat().sort((a, b) => a.createdAt - b.createdAt);
  }

  /**
   * The oldest `limit` jobs of each active status (running, waiting, paused), and how many
   * there are in all. What a pill bar shows: with a thousand jobs running, reading only the
   * first ones keeps each read small (records are deserialized on the reading thread); the
   * total is an index count, which reads no record.
   */
  activeHeads(limit: number): Promise<ActiveHead[]> {
    return Promise.all(
      ACTIVE_STATUSES.map(async (status): Promise<ActiveHead> => {
        const range = this.db.jobs.where('[status+createdAt]').between([status, -Infinity], [status, Infinity]);
        const jobs = await range.clone().limit(limit).toArray();
        if (jobs.length < limit) return { status, jobs, total: jobs.length, complete: true };
        const total = await range.count();
        return { status, jobs, total, complete: total <= jobs.length };
      }),
    );
  }

  /** A job's whole step journal, in the order the steps began. */
  steps(jobId: string): Promise<StepRecord[]> {
    assertId(jobId, 'id');
    return this.stepOrder(jobId).toArray();
  }

  /**
   * Steps `offset` to `offset + limit` of a job's journal, in the order they began: a window of
   * a journal too long to read whole each time it changes (a CSV of 8,000 batches has 8,000
   * steps, each with its batch's output).
   */
  stepRange(jobId: string, offset: number, limit: number): Promise<StepRecord[]> {
    assertId(jobId, 'id');
    checkWhole(offset, 'offset');
    checkWhole(limit, 'limit');
    if (limit === 0) return Promise.resolve([]);
    return this.stepOrder(jobId).offset(offset).limit(limit).toArray();
  }

  /** A job's step journal counted by status and reruns, from index keys alone. */
  stepCounts(jobId: string): Promise<StepCounts> {
    assertId(jobId, 'id');
    const { db } = this;
    const counted = (status: StepRecord['status'], leastRuns: number) =>
      db.steps
        .where('[jobId+status+runs]')
        .between([jobId, status, leastRuns], [jobId, status, Infinity], true, true)
        .count();
    return db.transaction('r', db.steps, async () => {
      const [byStatus, reruns, first] = await Promise.all([
        Promise.all(STEP_STATUSES.map((status) => counted(status, -Infinity))),
        Promise.all(STEP_STATUSES.map((status) => counted(status, 2))),
        this.stepOrder(jobId).limit(1).keys(),
      ]);
      const count = (status: StepRecord['status']) => byStatus[STEP_STATUSES.indexOf(status)] ?? 0;
      const firstKey = first[0] as readonly [string, number] | undefined;
      return {
        total: byStatus.reduce((sum, n) => sum + n, 0),
        completed: count('completed'),
        failed: count('failed'),
        running: count('running'),
        rerun: reruns.reduce((sum, n) => sum + n, 0),
        ...(firstKey === undefined ? {} : { firstStartedAt: firstKey[1] }),
      };
    });
  }

  /**
   * A job's newest `limit` log lines, oldest first: where a long log is cut, the lines kept are
   * the last ones, which tell how the job ended.
   */
  async logs(jobId: string, limit = LOG_READ_LIMIT): Promise<LogRecord[]> {
    const newest = await this.db.logs.where('jobId').equals(jobId).reverse().limit(limit).toArray();
    return newest.reverse();
  }

  /** Resolves once no job is queued or running, as seen by any tab. */
  whenDrained(): { promise: Promise<void>; cancel: () => void } {
    let cancel = () => undefined as void;
    const promise = new Promise<void>((resolve, reject) => {
      const subscription = liveQuery(async () => {
        const queued = await this.db.jobs.where('queueKey').above([]).count();
        return queued + (await this.count({ status: 'running' }));
      }).subscribe({
        next: (busy) => {
          if (busy > 0) return;
          subscription.unsubscribe();
          resolve();
        },
        error: reject,
      });
      cancel = () => subscription.unsubscribe();
    });
    return { promise, cancel };
  }

  /** The stored answer (with its prompt and raw text) for a fingerprint. */
  response(fingerprint: string): Promise<ResponseRecord | undefined> {
    return this.db.responses.get(fingerprint);
  }

  files(jobId: string): Promise<FileRecord[]> {
    return this.db.files.where('jobId').equals(jobId).toArray();
  }

  /** The database's identity, once a runner has opened it (see `StoreIdentity`). */
  storeIdentity(): Promise<StoreIdentity | undefined> {
    return readStoreIdentity(this.db);
  }

  /**
   * Jobs completed per wall-clock minute over the last hour, oldest first; minutes with none are
   * left out. Counted as they complete, so a burst or a job enqueued long ago counts in full.
   */
  async completionsPerMinute(): Promise<readonly MinuteTally[]> {
    return readTally(await this.db.meta.get(COMPLETIONS_KEY));
  }

  /**
   * A page of the jobs of several statuses, newest first: the first `offset + limit` index keys
   * of each status (keys only: no record is read to order them), merged, then the page's records.
   * One read transaction, so a job that changes status meanwhile is not listed twice or missed.
   */
  private listOfStatuses(
    statuses: readonly JobStatus[],
    type: string | undefined,
    offset: number,
    limit: number,
  ): Promise<JobRecord[]> {
    const { db } = this;
    return db.transaction('r', db.jobs, async () => {
      const entries: { readonly createdAt: number; readonly id: string }[] = [];
      await Promise.all(
        statuses.map((status) =>
          this.collection({ status, type })
            .limit(offset + limit)
            .eachKey((key, cursor) => {
              const parts = key as readonly unknown[];
              entries.push({ createdAt: parts[parts.length - 1] as number, id: cursor.primaryKey });
            }),
        ),
      );
      entries.sort(newestFirst);
      const ids = entries.slice(offset, offset + limit).map((entry) => entry.id);
      const jobs = await db.jobs.bulkGet(ids);
      return jobs.filter((job): job is NonNullable<typeof job> => job !== undefined);
    });
  }

  /**
   * The jobs of a query with `dependsOn` or `parentId`, newest first by id, through that index,
   * with its status and type filters applied as they are read; undefined for a query without
   * either. Throws `invalid-input` for a query not of the documented form.
   */
  private relatedTo(query: Omit<JobListQuery, 'offset' | 'limit'>) {
    const statuses = statusesOf(query) ?? (query.status !== undefined ? [query.status] : undefined);
    const [index, id] =
      query.dependsOn !== undefined
        ? (['dependsOn', query.dependsOn] as const)
        : query.parentId !== undefined
          ? (['parentId', query.parentId] as const)
          : [];
    if (index === undefined) return undefined;
    const jobs = this.db.jobs.where(index).equals(id).reverse();
    const { type } = query;
    if (statuses === undefined && type === undefined) return jobs;
    return jobs.filter(
      (job) => (!statuses || statuses.includes(job.status)) && (type === undefined || job.type === type),
    );
  }

  /** A job's steps in the order they began (ties by name). */
  private stepOrder(jobId: string) {
    return this.db.steps.where('[jobId+startedAt]').between([jobId, -Infinity], [jobId, Infinity]);
  }

  private collection(query: { readonly status?: JobStatus | undefined; readonly type?: string | undefined }) {
    const { jobs } = this.db;
    if (query.status !== undefined && query.type !== undefined) {
      return jobs
        .where('[type+status+createdAt]')
        .between([query.type, query.status, -Infinity], [query.type, query.status, Infinity])
        .reverse();
    }
    if (query.status !== undefined) {
      return jobs.where('[status+createdAt]').between([query.status, -Infinity], [query.status, Infinity]).reverse();
    }
    if (query.type !== undefined) {
      return jobs.where('[type+createdAt]').between([query.type, -Infinity], [query.type, Infinity]).reverse();
    }
    return jobs.orderBy('createdAt').reverse();
  }
}

/** The fields of a job another's page shows. */
function jobRef(job: JobRecord): JobRef {
  return { id: job.id, label: job.label, type: job.type, status: job.status };
}

/** The order of one status's index read backwards: newest first, ties by id, descending. */
function newestFirst(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * The statuses of a query that asks for several; undefined when it asks for one or for all.
 * Throws `invalid-input` for both `status` and `statuses`, or for a status that does not exist.
 */
function statusesOf(query: JobListQuery): readonly JobStatus[] | undefined {
  checkQuery(query);
  const given: unknown = query.statuses;
  if (given === undefined) return undefined;
  if (query.status !== undefined) throw new InvalidInputError('A job query takes status or statuses, not both');
  if (!Array.isArray(given)) throw new InvalidInputError('statuses must be a list of job statuses');
  const statuses = new Set<JobStatus>();
  for (const item of given as readonly unknown[]) {
    const status = JOB_STATUSES.find((known) => known === item);
    if (status === undefined) throw new InvalidInputError(`Unknown job status "${String(item)}"`);
    statuses.add(status);
  }
  return [...statuses];
}

/** Refuses an offset or limit that is not a whole number of at least 0. */
function checkWhole(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidInputError(`${name} must be a whole number of at least 0`);
  }
}

/** Refuses a list query that is not of the documented form, which would otherwise match nothing. */
function checkQuery(query: unknown): void {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw new InvalidInputError('A job query must be an object');
  }
  const { status, type, offset, limit, dependsOn, parentId } = query as Record<string, unknown>;
  if (status !== undefined && !JOB_STATUSES.some((known) => known === status)) {
    throw new InvalidInputError(`Unknown job status "${typeof status === 'string' ? status : typeof status}"`);
  }
  if (type !== undefined && (typeof type !== 'string' || type === '')) {
    throw new InvalidInputError('type must be a job type name');
  }
  if (dependsOn !== undefined && parentId !== undefined) {
    throw new InvalidInputError('A job query takes dependsOn or parentId, not both');
  }
  if (dependsOn !== undefined) assertId(dependsOn, 'dependsOn');
  if (parentId !== undefined) assertId(parentId, 'parentId');
  for (const [name, value] of [
    ['offset', offset],
    ['limit', limit],
  ] as const) {
    if (value !== undefined) checkWhole(value, name);
  }
}
