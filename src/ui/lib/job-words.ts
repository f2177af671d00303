import type { HistoryEntry, JobError, JobRecord } from '../../client';
import { capitalize, formatComing, formatComingShort, formatCountdown, HOUR, MINUTE } from './format';

/*
 * Words about jobs: why one is not running, what went wrong and what happens next, and how
 * long it has run and has left. The formats of times, counts and sizes they use are in
 * `format.ts`.
 */

/** How a wait reason is worded: in full, or short enough for a narrow pill. */
export type WaitTextForm = 'long' | 'short';

/**
 * Why a job is not running, in words: `Retrying in 12 s`, `Rate limited until 14:02`,
 * `Scheduled for tomorrow 07:39`, `Paused`. The short form keeps the reason and the time in
 * about half the letters, where the full text does not fit: `Retry in 12 s`, `Limit · 14:02`,
 * `Starts Nov 24`, `Waits for jobs`.
 */
export function waitReasonText(
  job: Pick<JobRecord, 'status' | 'waitReason' | 'runAt'>,
  now: number,
  form: WaitTextForm = 'long',
): string {
  if (job.status === 'paused') return 'Paused';
  if (job.status === 'queued') return 'Queued';
  if (job.status !== 'waiting') return '';
  const short = form === 'short';
  const left = job.runAt - now;
  switch (job.waitReason) {
    case 'retry':
      if (left <= 0) return 'Retrying now';
      if (!short) return `Retrying in ${formatCountdown(left)}`;
      return left < HOUR ? `Retry in ${formatCountdown(left)}` : `Retry ${formatComingShort(job.runAt, now)}`;
    case 'rate_limit':
      if (left <= 0) return short ? 'Limit lifting' : 'Rate limit lifting';
      return short
        ? `Limit · ${formatComingShort(job.runAt, now)}`
        : `Rate limited until ${formatComing(job.runAt, now, left < 2 * MINUTE)}`;
    case 'offline':
      return 'Offline';
    case 'dependencies':
      return short ? 'Waits for jobs' : 'Waiting for other jobs';
    case 'scheduled':
      if (left <= 0) return 'Starting';
      if (left < HOUR) return `Starts in ${formatCountdown(left)}`;
      return short ? `Starts ${formatComingShort(job.runAt, now)}` : `Scheduled for ${formatComing(job.runAt, now)}`;
    default:
      return 'Waiting';
  }
}

/**
 * Why a job waits to be tried again: its last attempt's error, as a line to show under the wait
 * ("Retrying in 12 s"); empty for a job not waiting for a retry.
 */
export function retryCause(job: Pick<JobRecord, 'status' | 'waitReason' | 'error'>): string {
  if (job.status !== 'waiting' || job.waitReason !== 'retry' || !job.error) return '';
  return `The last try failed: ${job.error.message}`;
}

/** What an error code means, in words a user reads (codes no one has named stay as they are). */
const PROBLEM_TEXT: Readonly<Record<string, string>> = {
  timeout: 'took too long',
  'handler-error': 'the task ran into an error',
  offline: 'no network connection',
  'rate-limited': 'the service asked to slow down',
  'retry-later': 'the service asked to try again later',
  permanent: 'cannot succeed as asked',
  aborted: 'stopped before it finished',
  stalled: 'the tab running it kept stopping',
  interrupted: 'the tab running it crashed or was stopped',
  'page-exit': 'the tab running it closed or reloaded',
  'quota-exceeded': 'storage is full',
  storage: 'storage failed',
  'invalid-payload': 'its input was refused',
  'invalid-input': 'its input was refused',
  'data-clone': 'its data could not be stored',
  'unknown-job-type': 'this app no longer knows this kind of job',
  version: 'another version of the app took over',
  worker: 'the background worker failed',
  unsupported: 'this browser cannot run it',
  'ai-missing-item': 'the AI answer left an item out',
  'stale-runner': 'another tab took the job over',
  'dependency-failed': 'a job it depends on did not complete',
};

/** What went wrong, in words; `name`, the error's kind, names a failing service more closely. */
export function problemText(code: string, name?: string): string {
  if (name === 'AiProviderError' && code === 'handler-error') return 'the AI service failed or could not be reached';
  return PROBLEM_TEXT[code] ?? code;
}

/** Codes of runs cut short, which read as what happened before: `after the tab … closed`. */
const AFTER_CODES: ReadonlySet<string> = new Set(['interrupted', 'page-exit']);

const WAIT_WORDS: Readonly<Record<string, string>> = {
  retry: 'to retry',
  rate_limit: 'for a rate limit',
  offline: 'for the network',
  dependencies: 'for other jobs',
  scheduled: 'for its time',
};

/** A history entry's why, in words: `for a rate limit · the service asked to slow down`. */
export function historyNote(entry: Pick<HistoryEntry, 'waitReason' | 'code'>): string {
  const parts: string[] = [];
  if (entry.waitReason) parts.push(WAIT_WORDS[entry.waitReason] ?? entry.waitReason.replace('_', ' '));
  if (entry.code) parts.push(`${AFTER_CODES.has(entry.code) ? 'after ' : ''}${problemText(entry.code)}`);
  return parts.join(' · ');
}

/**
 * The job page's sentence under an error: what went wrong, then what happens next, as the job
 * stands now (an error kept from an earlier attempt of a job that runs again says so).
 */
export function errorSummary(
  job: Pick<JobRecord, 'status' | 'waitReason'> & { readonly error: Pick<JobError, 'code' | 'name' | 'retryable'> },
): string {
  const what = problemText(job.error.code, job.error.name);
  const next = (() => {
    switch (job.status) {
      case 'failed':
        // A retry waits for its dependencies again: it runs once the one that failed is retried and completes.
        if (job.error.code === 'dependency-failed') return 'retry it once that job completes';
        return job.error.retryable
          ? 'retrying may work once the cause is gone'
          : 'retrying will likely fail the same way';
      case 'cancelled':
        return 'the job was cancelled';
      case 'paused':
        return 'it runs again when resumed';
      case 'waiting':
        return job.waitReason === 'rate_limit' ? 'it runs again when the limit lifts' : 'it will be tried again';
      case 'queued':
        return 'it will be tried again';
      case 'running':
        return 'it is being tried again';
      default:
        return 'in an earlier attempt';
    }
  })();
  return `${capitalize(what)} · ${next}`;
}

/**
 * How long a job has actually been running, summed over its history (pauses and waits
 * excluded). A run cut short ends when it was last heard from, not when a runner took over:
 * the time the app was closed is not running time.
 */
export function runningTimeMs(history: readonly HistoryEntry[], now: number): number {
  let total = 0;
  history.forEach((entry, index) => {
    if (entry.status !== 'running') return;
    const after = history[index + 1];
    const end = after ? Math.min(after.at, after.ranUntil ?? after.at) : now;
    total += Math.max(0, end - entry.at);
  });
  return total;
}

/**
 * Time left from the rate of progress so far, or undefined while there is too little to tell.
 * The rate is taken at the last write (`updatedAt`), so the estimate counts down between
 * progress reports instead of growing while a step runs.
 */
export function estimateRemainingMs(
  job: Pick<JobRecord, 'progress' | 'history' | 'updatedAt'>,
  now: number,
): number | undefined {
  const progress = job.progress;
  if (!(progress > 0.01) || progress >= 1) return undefined;
  const elapsedAtReport = runningTimeMs(job.history, Math.min(job.updatedAt, now));
  if (elapsedAtReport < 500) return undefined;
  const total = elapsedAtReport / progress;
  return Math.max(0, total - runningTimeMs(job.history, now));
}
