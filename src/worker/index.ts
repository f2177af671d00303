export { createRuntime } from './runtime';
export type { Runtime, RuntimeOptions } from './runtime';
export { defineJobType, DEFAULT_MAX_ATTEMPTS } from './define-job-type';
export type {
  AnyJobType,
  JobContext,
  JobFile,
  JobFiles,
  JobTypeDefinition,
  RateLimitOptions,
  RetryOptions,
} from './define-job-type';
export type { RunnerLock, LockHandle } from './runner-lock';
export { webLocks } from './runner-lock';
export { holdWorkerLife, withWorkerLife } from './worker-life';
export { exposeRuntime } from './expose-runtime';
export type { ExposeOptions } from './expose-runtime';
export type { NetworkStatus } from './network-status';
export { browserNetworkStatus } from './network-status';
