export { connectErrand } from './connect';
export type { ConnectOptions, ErrandClient, Watchable } from './connect';
export type { JobListQuery, FileRecord, ResponseRecord } from '../store';
export * from '../shared';
