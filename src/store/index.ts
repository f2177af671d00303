export { ErrandDb, SCHEMA_VERSION } from './db';
export type {
  StoredJob,
  ResponseRecord,
  FileRecord,
  ScheduleRecord,
  SettingRecord,
  MetaRecord,
  ExitRecord,
} from './db';
export { markPageExit } from './page-exits';
export { JobRepository } from './job-repository';
export type { ProgressUpdate } from './job-repository';
export { jobWritesMiddleware, writeJobs } from './committed-jobs';
export type { CommittedJobs, CommittedJobsListener } from './committed-jobs';
export type { ClaimOptions, ClaimResult, FinishRequest, FinishResult } from './claim';
export { Journal, MAX_LOG_LENGTH } from './journal';
export { JobQueries, LOG_READ_LIMIT, RELATED_READ_LIMIT } from './queries';
export type { MinuteTally } from './completion-tally';
export type { ActiveHead } from './active-head';
export type { JobListQuery, JobPage, JobPageQuery } from './job-list-query';
export type { JobRef, RelatedJobs } from './related-jobs';
export type { StepCounts } from './step-counts';
export { mapStorageError, withStorageErrors } from './storage-errors';
export { openWorkerStore } from './open';
export { watchStoreLoss } from './store-loss';
export type { WorkerStore } from './open';
export { ResponseStore, SettingsRepository } from './settings-repository';
export { STORE_IDENTITY_KEY, isStoreIdentity, readStoreIdentity } from './store-identity';
export type { StoreIdentity } from './store-identity';
export { ScheduleRepository } from './schedule-repository';
export type { ScheduleFiring } from './schedule-repository';
