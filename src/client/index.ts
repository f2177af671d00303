export { connectErrand } from './connect';
export type { ConnectOptions, ErrandClient, Watchable } from './client-api';
export { spacedReads, type SpacedReads, type SpacedWatchOptions } from './spaced-watch';
export type { ActiveJobs } from './active-jobs';
export type { MarkerStorage, StoreReset } from './store-reset';
export { forgetStoreMarker } from './marker-storage';
export { compareActive } from './active-jobs';
export type {
  JobListQuery,
  FileRecord,
  JobRef,
  MinuteTally,
  RelatedJobs,
  ResponseRecord,
  StepCounts,
  StoreIdentity,
} from '../store';
export { LOG_READ_LIMIT, RELATED_READ_LIMIT } from '../store';
export * from '../shared';
