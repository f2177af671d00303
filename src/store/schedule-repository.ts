import { ScheduleNotFoundError, type JobError, type JobRecord, type Schedule } from '../shared';
import type { ErrandDb } from './db';
import { writeJobs, type CommittedJobsListener } from './committed-jobs';
import { withIndexKeys } from './index-keys';
import { withStorageErrors } from './storage-errors';

/** What one due schedule does now: the job to enqueue (or why there is none), and its next run. */
export interface ScheduleFiring {
  readonly job?: JobRecord;
  readonly error?: JobError;
  /** Absent when the pattern has no later run: the schedule is then disabled. */
  readonly nextRunAt?: number;
}

/**
 * The stored schedules, and the one write that fires them: the jobs of every due schedule and
 * the schedules' next runs are committed together, so a crash can neither lose a run nor
 * enqueue one twice.
 */
export class ScheduleRepository {
  constructor(
    private readonly db: ErrandDb,
    private readonly onCommitted?: CommittedJobsListener,
  ) {}

  get(id: string): Promise<Schedule | undefined> {
    return withStorageErrors(() => this.db.schedules.get(id));
  }

  /**
   * Stores the schedule `build` makes from the one stored under `id` (undefined when there is
   * none), in one transaction; `build` is synchronous and throws to store nothing.
   */
  upsert(id: string, build: (stored: Schedule | undefined) => Schedule): Promise<Schedule> {
    return withStorageErrors(() =>
      this.db.transaction('rw', this.db.schedules, async () => {
        const schedule = build(await this.db.schedules.get(id));
        await this.db.schedules.put(schedule);
        return schedule;
      }),
    );
  }

  /**
   * Changes a stored schedule with `change`, in one transaction.
   * @throws ScheduleNotFoundError when there is none with `id`
   */
  update(id: string, change: (schedule: Schedule) => Schedule): Promise<Schedule> {
    return withStorageErrors(() =>
      this.db.transaction('rw', this.db.schedules, async () => {
        const stored = await this.db.schedules.get(id);
        if (!stored) throw new ScheduleNotFoundError(id);
        const next = change(stored);
        await this.db.schedules.put(next);
        return next;
      }),
    );
  }

  /**
   * Removes a schedule (the jobs it enqueued stay).
   * @throws ScheduleNotFoundError when there is none with `id`
   */
  remove(id: string): Promise<void> {
    return withStorageErrors(() =>
      this.db.transaction('rw', this.db.schedules, async () => {
        if (!(await this.db.schedules.get(id))) throw new ScheduleNotFoundError(id);
        await this.db.schedules.delete(id);
      }),
    );
  }

  /** When the next enabled schedule is due, if any. */
  async nextRunAt(): Promise<number | undefined> {
    const first = await withStorageErrors(() => this.db.schedules.orderBy('nextRunAt').first());
    return first?.nextRunAt;
  }

  /**
   * Fires every enabled schedule due at `now`: `plan` (synchronous, as it runs inside the
   * transaction) says what each does. Returns the jobs enqueued.
   */
  fireDue(now: number, plan: (schedule: Schedule) => ScheduleFiring): Promise<JobRecord[]> {
    const db = this.db;
    return withStorageErrors(() =>
      writeJobs(
        db,
        [db.schedules, db.jobs],
        async () => {
          const due = await db.schedules.where('nextRunAt').belowOrEqual(now).toArray();
          const jobs: JobRecord[] = [];
          const schedules: Schedule[] = [];
          for (const schedule of due) {
            if (!schedule.enabled) continue;
            const firing = plan(schedule);
            const { nextRunAt: _nextRunAt, lastError: _lastError, lastJobId: _lastJobId, ...rest } = schedule;
            schedules.push({
              ...rest,
              ...(firing.nextRunAt === undefined ? { enabled: false } : { nextRunAt: firing.nextRunAt }),
              lastRunAt: now,
              updatedAt: now,
              ...(firing.job
                ? { lastJobId: firing.job.id, runs: schedule.runs + 1 }
                : schedule.lastJobId === undefined
                  ? {}
                  : { lastJobId: schedule.lastJobId }),
              ...(firing.error ? { lastError: firing.error } : {}),
            });
            if (firing.job) jobs.push(firing.job);
          }
          if (jobs.length > 0) await db.jobs.bulkAdd(jobs.map(withIndexKeys));
          if (schedules.length > 0) await db.schedules.bulkPut(schedules);
          return jobs;
        },
        this.onCommitted,
      ),
    );
  }
}
