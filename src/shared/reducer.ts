import { InvalidTransitionError } from './errors';
import type { HistoryEntry, JobError, JobRecord, JobStatus, Lease, Priority, WaitReason } from './job';

/** Every change a job can go through. The runner and the commands only ever apply these. */
export type JobAction =
  /** queued → running: one attempt begins under `lease`. */
  | { readonly type: 'start'; readonly lease: Lease }
  | {
      readonly type: 'progress';
      readonly progress: number;
      readonly step?: string;
      readonly completedSteps?: number;
      readonly totalSteps?: number;
    }
  | { readonly type: 'checkpoint'; readonly state: unknown }
  | { readonly type: 'complete'; readonly result: unknown }
  /**
   * running → waiting(retry) at `retryAt`, or → failed when no attempt is left or `retryAt` is
   * absent; queued|waiting → failed for a job that cannot run at all (a dependency failed).
   */
  | { readonly type: 'fail'; readonly error: JobError; readonly retryAt?: number }
  /** running → waiting(rate_limit) until `until`; the attempt is given back. */
  | { readonly type: 'rate-limit'; readonly until: number; readonly error: JobError }
  /** queued|running → waiting for a reason that clears by itself (offline, dependencies, scheduled). */
  | { readonly type: 'wait'; readonly reason: WaitReason; readonly until?: number }
  /** waiting → queued: the time came or the reason cleared. */
  | { readonly type: 'wake' }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'cancel' }
  /** failed|cancelled → queued, with a fresh set of attempts; the checkpoint and finished steps are kept. */
  | { readonly type: 'retry' }
  /**
   * running → queued after its runner died (a stalled attempt). An attempt cut short by its
   * page leaving (`pageExit`: reloaded, closed, navigated away, at `exitedAt`) is given back,
   * always; one cut short by a crash after it saved headway is given back up to
   * `MAX_INTERRUPTIONS` times; any other counts (a crash before any headway, which a job that
   * kills its runner causes), and → failed when no attempt is left.
   */
  | { readonly type: 'requeue'; readonly pageExit?: boolean; readonly exitedAt?: number }
  | { readonly type: 'reprioritize'; readonly priority?: Priority; readonly rank?: number };

export type JobActionType = JobAction['type'];

/** The statuses each action may be applied to. Everything else throws `invalid-transition`. */
export const ALLOWED_FROM: { readonly [A in JobActionType]: readonly JobStatus[] } = {
  start: ['queued'],
  progress: ['running'],
  checkpoint: ['running'],
  complete: ['running'],
  fail: ['running', 'queued', 'waiting'],
  'rate-limit': ['running'],
  wait: ['queued', 'running'],
  wake: ['waiting'],
  pause: ['queued', 'running', 'waiting'],
  resume: ['paused'],
  cancel: ['queued', 'running', 'waiting', 'paused'],
  retry: ['failed', 'cancelled'],
  requeue: ['running'],
  reprioritize: ['queued', 'running', 'waiting', 'paused'],
};

/**
 * How many attempts cut short by a crash after they saved headway are given back to a job. A
 * page that leaves (a reload, a closed tab) is never the job's fault and is not counted; a job
 * that keeps saving and then killing its runner must still end.
 */
export const MAX_INTERRUPTIONS = 50;

/** How many status changes a record remembers. */
export const HISTORY_LIMIT = 50;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The one place where a job changes. Pure: returns a new record, never touches the input.
 * @throws InvalidTransitionError when `action` does not apply to the job's status.
 */
export function reduceJob(job: JobRecord, action: JobAction, now: number): JobRecord {
  if (!ALLOWED_FROM[action.type].includes(job.status)) {
    throw new InvalidTransitionError(job.status, action.type);
  }
  const next: Mutable<JobRecord> = { ...job, updatedAt: now };

  switch (action.type) {
    case 'start':
      next.status = 'running';
      next.lease = action.lease;
      next.attempts = job.attempts + 1;
      next.startedAt = now;
      delete next.waitReason;
      delete next.error;
      break;
    case 'progress':
      next.progress = clampFraction(action.progress);
      if (action.step !== undefined) next.step = action.step;
      if (action.completedSteps !== undefined) next.completedSteps = action.completedSteps;
      if (action.totalSteps !== undefined) next.totalSteps = action.totalSteps;
      return next;
    case 'checkpoint':
      next.checkpoint = action.state;
      next.progressedAt = now;
      return next;
    case 'complete':
      next.status = 'completed';
      next.result = action.result;
      next.progress = 1;
      next.completedAt = now;
      delete next.checkpoint;
      delete next.error;
      break;
    case 'fail':
      next.error = action.error;
      if (action.retryAt !== undefined && job.status === 'running' && job.attempts < job.maxAttempts) {
        next.status = 'waiting';
        next.waitReason = 'retry';
        next.runAt = action.retryAt;
      } else {
        next.status = 'failed';
        next.completedAt = now;
        // Failed while it waited (for a dependency that will not complete): it waits no more.
        delete next.waitReason;
      }
      break;
    case 'rate-limit':
      next.status = 'waiting';
      next.waitReason = 'rate_limit';
      next.runAt = action.until;
      next.error = action.error;
      next.attempts = Math.max(0, job.attempts - 1);
      break;
    case 'wait':
      next.status = 'waiting';
      next.waitReason = action.reason;
      if (action.until !== undefined) next.runAt = action.until;
      if (job.status === 'running') next.attempts = Math.max(0, job.attempts - 1);
      break;
    case 'wake':
      next.status = 'queued';
      delete next.waitReason;
      if (next.runAt > now) next.runAt = now;
      break;
    case 'pause':
      next.status = 'paused';
      // A paused run did not fail: its attempt is given back.
      if (job.status === 'running') next.attempts = Math.max(0, job.attempts - 1);
      break;
    case 'resume':
      if (job.waitReason !== undefined && job.runAt > now) {
        next.status = 'waiting';
      } else {
        next.status = 'queued';
        delete next.waitReason;
      }
      break;
    case 'cancel':
      next.status = 'cancelled';
      next.completedAt = now;
      delete next.waitReason;
      break;
    case 'retry':
      next.status = 'queued';
      next.attempts = 0;
      delete next.interruptions;
      delete next.crashes;
      next.runAt = now;
      delete next.error;
      delete next.completedAt;
      delete next.waitReason;
      break;
    case 'requeue': {
      const interruptions = job.interruptions ?? 0;
      const crashes = job.crashes ?? 0;
      if (action.pageExit === true) {
        // The page left (a person reloaded or closed it): never the job's doing, so never counted.
        next.status = 'queued';
        next.attempts = Math.max(0, job.attempts - 1);
        next.interruptions = interruptions + 1;
      } else if (savedHeadway(job) && crashes < MAX_INTERRUPTIONS) {
        next.status = 'queued';
        next.attempts = Math.max(0, job.attempts - 1);
        next.interruptions = interruptions + 1;
        next.crashes = crashes + 1;
      } else if (job.attempts >= job.maxAttempts) {
        next.status = 'failed';
        next.completedAt = now;
        next.error = {
          name: 'StalledJobError',
          code: 'stalled',
          message:
            crashes >= MAX_INTERRUPTIONS
              ? `The tab running the job crashed or was stopped ${crashes + 1} times while it ran, so it was stopped. Retry it to carry on from where it got to.`
              : 'The job was interrupted during its last allowed attempt (the tab running it crashed or was stopped), before that attempt saved any progress. Retry it to carry on from where it got to.',
          retryable: true,
        };
      } else {
        next.status = 'queued';
      }
      break;
    }
    case 'reprioritize':
      if (action.priority !== undefined) next.priority = action.priority;
      if (action.rank !== undefined) next.rank = action.rank;
      return next;
  }

  if (job.status === 'running' && next.status !== 'running') delete next.lease;
  // A requeue after the runner died says so in the history, so a second start is explained,
  // and says when the run was last known to run (its page's exit, or its last write).
  next.history =
    action.type === 'requeue'
      ? appendHistory(
          job.history,
          next,
          now,
          action.pageExit === true ? PAGE_EXIT : INTERRUPTED,
          ranUntil(job, action, now),
        )
      : appendHistory(job.history, next, now);
  return next;
}

/**
 * The history code of a run cut short by its runner's end with no note from its page that it
 * left: a crash, a killed browser, a worker stopped by code.
 */
export const INTERRUPTED = 'interrupted';
/** The history code of a run cut short because its runner's page left (reloaded, closed, navigated away). */
export const PAGE_EXIT = 'page-exit';

function appendHistory(
  history: readonly HistoryEntry[],
  job: JobRecord,
  now: number,
  note?: string,
  ranUntil?: number,
): HistoryEntry[] {
  const entry: Mutable<HistoryEntry> = { status: job.status, at: now };
  if (ranUntil !== undefined) entry.ranUntil = ranUntil;
  if (note !== undefined && job.status === 'queued') entry.code = note;
  if (job.status === 'waiting' && job.waitReason !== undefined) entry.waitReason = job.waitReason;
  if (job.status === 'failed' || (job.status === 'waiting' && job.error !== undefined)) {
    if (job.error !== undefined) entry.code = job.error.code;
  }
  const all = [...history, entry];
  return all.length > HISTORY_LIMIT ? all.slice(all.length - HISTORY_LIMIT) : all;
}

/**
 * When a run cut short was last known to run: its page's exit, where the page noted it, else the
 * job's last write (a run that saves nothing for a minute ran that minute all the same).
 */
function ranUntil(job: JobRecord, action: Extract<JobAction, { type: 'requeue' }>, now: number): number {
  const exited = action.pageExit === true ? action.exitedAt : undefined;
  return Math.min(exited === undefined ? job.updatedAt : Math.max(job.updatedAt, exited), now);
}

/** True when the running attempt saved a checkpoint or finished a step after it began. */
function savedHeadway(job: JobRecord): boolean {
  return job.progressedAt !== undefined && job.startedAt !== undefined && job.progressedAt >= job.startedAt;
}

function clampFraction(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

/** True when `action` applies to a job in `status`. */
export function canApply(status: JobStatus, action: JobActionType): boolean {
  return ALLOWED_FROM[action].includes(status);
}
