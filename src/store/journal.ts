import type { JobError, Lease, LogLevel, StepRecord } from '../shared';
import type { ErrandDb, FileRecord, StoredJob } from './db';
import { writeJobs, type CommittedJobsListener } from './committed-jobs';
import { assertLease } from './index-keys';
import { withStorageErrors } from './storage-errors';

/** Longest log line kept; longer messages are cut, so a runaway handler cannot fill the store. */
export const MAX_LOG_LENGTH = 4000;

/**
 * The step journal and the logs of running jobs. Every write is fenced by the attempt's
 * lease, in the same transaction that checks it.
 *
 * `onCommitted`, when given, hears the job a finished step changed, once it has committed.
 */
export class Journal {
  constructor(
    private readonly db: ErrandDb,
    private readonly relaxedDb: ErrandDb = db,
    private readonly onCommitted?: CommittedJobsListener,
  ) {}

  /** A read-write transaction whose job changes are announced once it has committed. */
  #write<T>(db: ErrandDb, tables: readonly { readonly name: string }[], body: () => Promise<T>): Promise<T> {
    return writeJobs(db, tables, body, this.onCommitted);
  }

  getStep(jobId: string, name: string): Promise<StepRecord | undefined> {
    return withStorageErrors(() => this.db.steps.get([jobId, name]));
  }

  /** Records that a step body starts (again): `runs` counts every start. */
  beginStep(jobId: string, lease: Lease, name: string, now: number): Promise<StepRecord> {
    const db = this.db;
    return withStorageErrors(() =>
      db.transaction('rw', [db.jobs, db.steps], async () => {
        assertLease(await db.jobs.get(jobId), jobId, lease);
        const previous = await db.steps.get([jobId, name]);
        const step: StepRecord = { jobId, name, status: 'running', runs: (previous?.runs ?? 0) + 1, startedAt: now };
        await db.steps.put(step);
        return step;
      }),
    );
  }

  /** Stores a finished step's output with the job's step count, atomically. */
  finishStep(jobId: string, lease: Lease, name: string, output: unknown, now: number): Promise<void> {
    const db = this.db;
    return withStorageErrors(() =>
      this.#write(db, [db.jobs, db.steps], async () => {
        const job = await endStep(db, jobId, lease, name, now, { status: 'completed', output });
        await db.jobs.put({ ...job, step: name, completedSteps: job.completedSteps + 1, updatedAt: now });
      }),
    );
  }

  failStep(jobId: string, lease: Lease, name: string, error: JobError, now: number): Promise<void> {
    const db = this.db;
    return withStorageErrors(() =>
      db.transaction('rw', [db.jobs, db.steps], async () => {
        await endStep(db, jobId, lease, name, now, { status: 'failed', error });
      }),
    );
  }

  /** Appends a log line for a running attempt. */
  log(jobId: string, lease: Lease, level: LogLevel, message: string, now: number): Promise<void> {
    const db = this.relaxedDb;
    const text = message.length > MAX_LOG_LENGTH ? `${message.slice(0, MAX_LOG_LENGTH)}…` : message;
    return withStorageErrors(() =>
      db.transaction('rw', [db.jobs, db.logs], async () => {
        assertLease(await db.jobs.get(jobId), jobId, lease);
        await db.logs.add({ jobId, at: now, level, message: text });
      }),
    );
  }

  /** Attaches a file to a running job; it is removed with the job. */
  putFile(lease: Lease, file: FileRecord): Promise<void> {
    const db = this.db;
    return withStorageErrors(() =>
      db.transaction('rw', [db.jobs, db.files], async () => {
        assertLease(await db.jobs.get(file.jobId), file.jobId, lease);
        await db.files.put(file);
      }),
    );
  }

  files(jobId: string): Promise<FileRecord[]> {
    return withStorageErrors(() => this.db.files.where('jobId').equals(jobId).toArray());
  }
}

/**
 * Inside a transaction over jobs and steps: records step `name` as ended, keeping its run count
 * and start, and returns the job, fenced by `lease`.
 */
async function endStep(
  db: ErrandDb,
  jobId: string,
  lease: Lease,
  name: string,
  now: number,
  outcome:
    | { readonly status: 'completed'; readonly output: unknown }
    | { readonly status: 'failed'; readonly error: JobError },
): Promise<StoredJob> {
  const job = assertLease(await db.jobs.get(jobId), jobId, lease);
  const step = await db.steps.get([jobId, name]);
  await db.steps.put({
    jobId,
    name,
    ...outcome,
    runs: step?.runs ?? 1,
    startedAt: step?.startedAt ?? now,
    finishedAt: now,
  });
  return job;
}
