import { liveQuery } from 'dexie';
import {
  assertId,
  assertIds,
  ACTIVE_STATUSES,
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
import type { ActiveHead } from './active-head';
import type { StepCounts } from './step-counts';
import { checkWhole, statusesOf, type JobListQuery, type JobPage, type JobPageQuery } from './job-list-query';
import { jobRef, type JobRef, type RelatedJobs } from './related-jobs';
import { jobsNewestFirst, newestFirst, relatedJobsNewestFirst } from './jobs-newest-first';
import { readWindow } from './window-read';

/** Most log lines `logs` reads: the newest ones. */
export const LOG_READ_LIMIT = 500;

/** Most jobs that depend on one, or children of one, `related` reads (the rest are counted). */
export const RELATED_READ_LIMIT = 500;

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
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 100;
    const { jobs } = this.db;
    // Filtered as read, so read by a cursor over the records (few: one job's dependents or children).
    const related = relatedJobsNewestFirst(jobs, query);
    if (related) return related.offset(offset).limit(limit).toArray();
    const statuses = statusesOf(query);
    if (statuses) return this.listOfStatuses(statuses, query.type, offset, limit);
    return readWindow(jobs, () => jobsNewestFirst(jobs, query), offset, limit);
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
    const related = relatedJobsNewestFirst(this.db.jobs, query);
    // The jobs related to one are few beside the store: their records are read.
    if (related) return (await related.limit(limit).toArray()).map(({ id, status }) => ({ id, status }));
    const statuses = statusesOf(query) ?? (query.status !== undefined ? [query.status] : JOB_STATUSES);
    const { db } = this;
    return db.transaction('r', db.jobs, async () => {
      const entries: { readonly createdAt: number; readonly id: string; readonly status: JobStatus }[] = [];
      await Promise.all(
        statuses.map((status) =>
          jobsNewestFirst(this.db.jobs, { status, type: query.type })
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
    const related = relatedJobsNewestFirst(this.db.jobs, query);
    if (related) return related.count();
    const statuses = statusesOf(query);
    if (statuses) {
      const counts = await Promise.all(
        statuses.map((status) => jobsNewestFirst(this.db.jobs, { status, type: query.type }).count()),
      );
      return counts.reduce((sum, count) => sum + count, 0);
    }
    if (query.status === undefined && query.type === undefined) return this.db.jobs.count();
    return jobsNewestFirst(this.db.jobs, query).count();
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
    return readWindow(this.db.steps, () => this.stepOrder(jobId), offset, limit);
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
          jobsNewestFirst(this.db.jobs, { status, type })
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

  /** A job's steps in the order they began (ties by name). */
  private stepOrder(jobId: string) {
    return this.db.steps.where('[jobId+startedAt]').between([jobId, -Infinity], [jobId, Infinity]);
  }
}
