import { liveQuery } from 'dexie';
import type { JobRecord, JobStatus, LogRecord, StepRecord } from '../shared';
import type { ErrandDb, FileRecord } from './db';

/** A page of the job list, newest first. */
export interface JobListQuery {
  readonly status?: JobStatus;
  readonly type?: string;
  readonly offset?: number;
  /** @default 100 */
  readonly limit?: number;
}

/**
 * Read-only queries for the UI and the client. They use compound-index ranges, never a
 * scan of all jobs, so they stay fast with a hundred thousand rows.
 */
export class JobQueries {
  constructor(private readonly db: ErrandDb) {}

  get(id: string): Promise<JobRecord | undefined> {
    return this.db.jobs.get(id);
  }

  /** Jobs newest first, optionally of one status or type. */
  list(query: JobListQuery = {}): Promise<JobRecord[]> {
    return this.collection(query)
      .offset(query.offset ?? 0)
      .limit(query.limit ?? 100)
      .toArray();
  }

  count(query: Omit<JobListQuery, 'offset' | 'limit'> = {}): Promise<number> {
    return this.collection(query).count();
  }

  /** Jobs shown in the pill bar: running, waiting and paused. */
  async active(): Promise<JobRecord[]> {
    const lists = await Promise.all(
      (['running', 'waiting', 'paused'] as const).map((status) => this.list({ status, limit: 500 })),
    );
    return lists.flat().sort((a, b) => a.createdAt - b.createdAt);
  }

  steps(jobId: string): Promise<StepRecord[]> {
    return this.db.steps.where('jobId').equals(jobId).sortBy('startedAt');
  }

  logs(jobId: string, limit = 500): Promise<LogRecord[]> {
    return this.db.logs.where('jobId').equals(jobId).limit(limit).toArray();
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

  files(jobId: string): Promise<FileRecord[]> {
    return this.db.files.where('jobId').equals(jobId).toArray();
  }

  private collection(query: Omit<JobListQuery, 'offset' | 'limit'>) {
    const { jobs } = this.db;
    if (query.status !== undefined && query.type !== undefined) {
      const { status, type } = query;
      return jobs
        .where('[status+createdAt]')
        .between([status, -Infinity], [status, Infinity])
        .reverse()
        .filter((job) => job.type === type);
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
