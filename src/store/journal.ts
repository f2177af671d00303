import type { JobError, Lease, LogLevel, StepRecord } from '../shared';
import type { ErrandDb, FileRecord, StoredJob } from './db';
import { outcomeOf, WriteGroup, type Outcome } from './write-group';
import { writeJobs, type CommittedJobsListener } from './committed-jobs';
import { assertLease } from './index-keys';
import { withStorageErrors } from './storage-errors';

/** A step start or end, as the step journal groups them. */
type StepWrite =
  | {
      readonly kind: 'begin';
      readonly jobId: string;
      readonly lease: Lease;
      readonly name: string;
      readonly now: number;
    }
  | {
      readonly kind: 'finish';
      readonly jobId: string;
      readonly lease: Lease;
      readonly name: string;
      readonly output: unknown;
      readonly now: number;
    };

function stepKey(step: { readonly jobId: string; readonly name: string }): string {
  return JSON.stringify([step.jobId, step.name]);
}

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

  /**
   * Records that a step body starts (again): `runs` counts every start. Resolves with the
   * step's record: the new one, or the stored one, unchanged, when the step already finished
   * (its output is then what the step gives on resume, and its body does not run).
   */
  beginStep(jobId: string, lease: Lease, name: string, now: number): Promise<StepRecord> {
    return this.#steps.push({ kind: 'begin', jobId, lease, name, now });
  }

  /** Stores a finished step's output with the job's step count, atomically. */
  async finishStep(jobId: string, lease: Lease, name: string, output: unknown, now: number): Promise<void> {
    await this.#steps.push({ kind: 'finish', jobId, lease, name, output, now });
  }

  /**
   * Step starts and ends of every running attempt, grouped: those that arrive together share one
   * strict transaction (with a thousand jobs running, one each was more than IndexedDB commits),
   * each fenced by its own lease.
   */
  readonly #steps = new WriteGroup<StepWrite, StepRecord>((writes) => this.#writeSteps(writes));

  #writeSteps(writes: readonly StepWrite[]): Promise<Outcome<StepRecord>[]> {
    const db = this.db;
    return withStorageErrors(() =>
      this.#write(db, [db.jobs, db.steps], async () => {
        const jobIds = [...new Set(writes.map((write) => write.jobId))];
        const stepKeys = new Map(
          writes.map((write) => [stepKey(write), [write.jobId, write.name] as [string, string]]),
        );
        const [jobs, steps] = await Promise.all([db.jobs.bulkGet(jobIds), db.steps.bulkGet([...stepKeys.values()])]);
        const jobById = new Map(jobIds.map((id, i) => [id, jobs[i]]));
        const stepByKey = new Map([...stepKeys.keys()].map((key, i) => [key, steps[i]]));
        const changedJobs = new Map<string, StoredJob>();
        const changedSteps = new Map<string, StepRecord>();
        // In arrival order, each on the records as the earlier ones of the group left them.
        const outcomes = writes.map((write) =>
          outcomeOf(() => {
            const job = assertLease(jobById.get(write.jobId), write.jobId, write.lease);
            const key = stepKey(write);
            const previous = stepByKey.get(key);
            // A step that finished in an earlier attempt is not begun again: its record is the answer.
            if (write.kind === 'begin' && previous?.status === 'completed') return previous;
            const step: StepRecord =
              write.kind === 'begin'
                ? {
                    jobId: write.jobId,
                    name: write.name,
                    status: 'running',
                    runs: (previous?.runs ?? 0) + 1,
                    startedAt: write.now,
                  }
                : endedStep(write.jobId, write.name, previous, write.now, {
                    status: 'completed',
                    output: write.output,
                  });
            stepByKey.set(key, step);
            changedSteps.set(key, step);
            if (write.kind === 'finish') {
              const next = {
                ...job,
                step: write.name,
                completedSteps: job.completedSteps + 1,
                progressedAt: write.now,
                updatedAt: write.now,
              };
              jobById.set(write.jobId, next);
              changedJobs.set(write.jobId, next);
            }
            return step;
          }),
        );
        if (changedSteps.size > 0) await db.steps.bulkPut([...changedSteps.values()]);
        if (changedJobs.size > 0) await db.jobs.bulkPut([...changedJobs.values()]);
        return outcomes;
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

/** How a step ended. */
type StepEnd =
  { readonly status: 'completed'; readonly output: unknown } | { readonly status: 'failed'; readonly error: JobError };

/** Step `name` as ended at `now`, keeping the run count and start of its `previous` record. */
function endedStep(
  jobId: string,
  name: string,
  previous: StepRecord | undefined,
  now: number,
  end: StepEnd,
): StepRecord {
  return {
    jobId,
    name,
    ...end,
    runs: previous?.runs ?? 1,
    startedAt: previous?.startedAt ?? now,
    finishedAt: now,
  };
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
  end: StepEnd,
): Promise<StoredJob> {
  const job = assertLease(await db.jobs.get(jobId), jobId, lease);
  await db.steps.put(endedStep(jobId, name, await db.steps.get([jobId, name]), now, end));
  return job;
}
