export { connectErrand } from './connect';
export type { ConnectOptions, ErrandClient, Watchable } from './connect';
export type { JobListQuery, FileRecord } from '../store';
export * from '../shared';
