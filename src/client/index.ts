export { connectErrand } from './connect';
export type { ConnectOptions, ErrandClient, Watchable } from './connect';
export type { SpacedWatchOptions } from './spaced-watch';
export type { ActiveJobs } from './active-jobs';
export type { MarkerStorage, StoreReset } from './store-reset';
export type { LockManagerLike } from './worker-life';
export { compareActive } from './active-jobs';
export type { JobListQuery, FileRecord, ResponseRecord, StoreIdentity } from '../store';
export * from '../shared';
