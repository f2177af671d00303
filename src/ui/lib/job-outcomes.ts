import { isTerminal, type ErrandClient, type JobStatus, type JobSummary } from '../../client';
import { consoleLinks, type JobLinks } from './job-links';

/** How many jobs the watcher remembers before it forgets the oldest. */
const MEMORY = 5_000;
/** Newest jobs watched, so that a job that finishes between two looks is still noticed. */
const RECENT = 50;

/**
 * Calls `onOutcome` when a job completes or fails while the page is open, in this tab or any
 * other. Jobs that were already finished when the page opened are not reported.
 * Outcomes are heard on the change feed as they commit; a short list of the newest jobs,
 * re-read spaced out, catches what the feed did not carry. Returns the function that stops.
 */
export function watchOutcomes(
  client: ErrandClient,
  onOutcome: (job: JobSummary) => void,
  openedAt: number = Date.now(),
): () => void {
  const lastSeen = new Map<string, JobStatus>();
  const reported = new Set<string>();
  let closed = false;

  const see = (job: JobSummary, baseline: boolean, announced = false) => {
    const before = lastSeen.get(job.id);
    lastSeen.delete(job.id);
    lastSeen.set(job.id, job.status);
    if (lastSeen.size > MEMORY) {
      const oldest = lastSeen.keys().next().value;
      if (oldest !== undefined) lastSeen.delete(oldest);
    }
    if (baseline || (job.status !== 'completed' && job.status !== 'failed')) return;
    // An announced outcome is a commit of now: new unless it was known finished already (a
    // later write to a finished job) or ended before the page opened.
    const changedHere =
      before !== undefined
        ? !isTerminal(before)
        : announced
          ? (job.completedAt ?? job.updatedAt) >= openedAt
          : job.createdAt >= openedAt;
    const key = `${job.id}:${job.completedAt ?? job.updatedAt}`;
    if (!changedHere || reported.has(key)) return;
    reported.add(key);
    onOutcome(job);
  };

  const stopChanges = client.onJobChanges((jobs) => {
    if (!closed) for (const job of jobs) see(job, false, true);
  });

  let recentBaseline = true;
  // Spaced: outcomes arrive on the feed; this list catches what it did not carry (a
  // transaction of more than a thousand jobs), and need not be re-read on every write.
  const stopRecent = client.watch({ limit: RECENT }, { minGapMs: 250 }).subscribe((jobs) => {
    const baseline = recentBaseline;
    recentBaseline = false;
    for (const job of jobs) see(job, baseline);
  });

  return () => {
    closed = true;
    stopChanges();
    stopRecent();
  };
}

/** What a toast says about a finished job. */
export interface OutcomeMessage {
  readonly kind: 'success' | 'error';
  readonly title: string;
  readonly body?: string;
  readonly href: string;
}

/** The words for a job that completed or failed, linking to its page in `links`. */
export function describeOutcome(job: JobSummary, links: Pick<JobLinks, 'job'> = consoleLinks): OutcomeMessage {
  const href = links.job(job.id);
  if (job.status === 'completed') {
    return {
      kind: 'success',
      title: `${job.label} completed`,
      ...(job.cacheHit ? { body: 'Answered from saved results.' } : {}),
      href,
    };
  }
  const error = job.error;
  // In words: the code and the attempt count are on the job's page for whoever needs them.
  const body = !error ? undefined : job.attempts > 1 ? withAttempts(error.message, job.attempts) : error.message;
  return { kind: 'error', title: `${job.label} failed`, ...(body !== undefined ? { body } : {}), href };
}

/**
 * "The server failed, after 5 attempts": a one-sentence message takes the count as its end; a
 * longer one, whose last sentence the count would not belong to, takes it as a sentence of its own.
 */
function withAttempts(message: string, attempts: number): string {
  const text = message.trim();
  if (!/[.!?]\s+\S/.test(text)) return `${text.replace(/\.$/, '')}, after ${attempts} attempts`;
  return `${/[.!?]$/.test(text) ? text : `${text}.`} It failed after ${attempts} attempts.`;
}
