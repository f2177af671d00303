import { jobWritesMiddleware, type CommittedJobsListener } from './committed-jobs';
import { ErrandDb } from './db';
import { Journal } from './journal';
import { JobQueries } from './queries';
import { JobRepository } from './job-repository';
import { ResponseStore, SettingsRepository } from './settings-repository';
import { ScheduleRepository } from './schedule-repository';

/** The worker's handles on one database: two connections, strict and relaxed. */
export interface WorkerStore {
  readonly db: ErrandDb;
  readonly relaxedDb: ErrandDb;
  readonly jobs: JobRepository;
  readonly journal: Journal;
  readonly queries: JobQueries;
  readonly settings: SettingsRepository;
  readonly responses: ResponseStore;
  readonly schedules: ScheduleRepository;
  close(): void;
}

/**
 * Opens the store for the runtime. Enqueue, checkpoints and completion commit with strict
 * durability (flushed to disk before they are acknowledged); progress and logs go through a
 * relaxed connection, since losing the last one to a power cut costs nothing that matters.
 *
 * `onCommitted` hears the jobs each committed transaction changed, whichever connection wrote them.
 */
export function openWorkerStore(name: string, onCommitted?: CommittedJobsListener): WorkerStore {
  const db = new ErrandDb(name, { chromeTransactionDurability: 'strict' });
  const relaxedDb = new ErrandDb(name, { chromeTransactionDurability: 'relaxed' });
  if (onCommitted) for (const connection of [db, relaxedDb]) connection.use(jobWritesMiddleware);
  return {
    db,
    relaxedDb,
    jobs: new JobRepository(db, relaxedDb, onCommitted),
    journal: new Journal(db, relaxedDb, onCommitted),
    queries: new JobQueries(db),
    settings: new SettingsRepository(db),
    responses: new ResponseStore(db),
    schedules: new ScheduleRepository(db, onCommitted),
    close() {
      db.close();
      relaxedDb.close();
    },
  };
}
