import type { JobRecord } from '../shared';

/** Messages between the runtimes of one database in different tabs. */
export type Nudge =
  | {
      readonly kind: 'enqueued';
      /** Some new job can run now: the runner should claim. */
      readonly runnable: boolean;
      /** The earliest time a new job waits for, if any. */
      readonly wakeAt?: number;
    }
  | { readonly kind: 'changed'; readonly ids: readonly string[] }
  | { readonly kind: 'settings' }
  | { readonly kind: 'schedules' };

/** What the runner needs to hear about new jobs: whether one can run now, else when to wake. */
export function enqueuedNudge(jobs: readonly JobRecord[]): Nudge {
  let wakeAt: number | undefined;
  for (const job of jobs) {
    if (job.status === 'queued') return { kind: 'enqueued', runnable: true };
    if (job.status === 'waiting' && job.waitReason === 'scheduled') wakeAt = Math.min(wakeAt ?? Infinity, job.runAt);
  }
  return wakeAt === undefined ? { kind: 'enqueued', runnable: false } : { kind: 'enqueued', runnable: false, wakeAt };
}
