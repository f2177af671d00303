import { isTerminal, type ErrandClient, type JobRecord, type JobStatus } from '../../client';

/** How many jobs the watcher remembers before it forgets the oldest. */
const MEMORY = 5_000;
/** Newest jobs watched, so that a job that finishes between two looks is still noticed. */
const RECENT = 50;

/**
 * Calls `onOutcome` when a job completes or fails while the page is open, in this tab or any
 * other. Jobs that were already finished when the page opened are not reported.
 * Returns the function that stops watching.
 */
export function watchOutcomes(
  client: ErrandClient,
  onOutcome: (job: JobRecord) => void,
  openedAt: number = Date.now(),
): () => void {
  const lastSeen = new Map<string, JobStatus>();
  const reported = new Set<string>();
  let closed = false;

  const see = (job: JobRecord, baseline: boolean) => {
    const before = lastSeen.get(job.id);
    lastSeen.delete(job.id);
    lastSeen.set(job.id, job.status);
    if (lastSeen.size > MEMORY) {
      const oldest = lastSeen.keys().next().value;
      if (oldest !== undefined) lastSeen.delete(oldest);
    }
    if (baseline || (job.status !== 'completed' && job.status !== 'failed')) return;
    const changedHere = before !== undefined ? !isTerminal(before) : job.createdAt >= openedAt;
    const key = `${job.id}:${job.completedAt ?? job.updatedAt}`;
    if (!changedHere || reported.has(key)) return;
    reported.add(key);
    onOutcome(job);
  };

  let activeIds = new Set<string>();
  let activeBaseline = true;
  const stopActive = client.watchActive().subscribe((jobs) => {
    const baseline = activeBaseline;
    activeBaseline = false;
    const now = new Set(jobs.map((job) => job.id));
    for (const job of jobs) see(job, baseline);
    for (const id of activeIds) {
      if (now.has(id)) continue;
      client
        .get(id)
        .then((job) => {
          if (job && !closed) see(job, false);
        })
        .catch(() => undefined);
    }
    activeIds = now;
  });

  let recentBaseline = true;
  // Spaced: outcomes also arrive through the active jobs; this list catches jobs that ended
  // without being seen active, and need not be re-read on every progress write.
  const stopRecent = client.watch({ limit: RECENT }, { minGapMs: 250 }).subscribe((jobs) => {
    const baseline = recentBaseline;
    recentBaseline = false;
    for (const job of jobs) see(job, baseline);
  });

  return () => {
    closed = true;
    stopActive();
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

/** The words for a job that completed or failed. */
export function describeOutcome(job: JobRecord): OutcomeMessage {
  const href = `#/jobs/${encodeURIComponent(job.id)}`;
  if (job.status === 'completed') {
    return {
      kind: 'success',
      title: `${job.label} completed`,
      ...(job.cacheHit ? { body: 'Answered from saved results.' } : {}),
      href,
    };
  }
  const error = job.error;
  const body = error ? `${error.message} (${error.code}, attempt ${job.attempts} of ${job.maxAttempts})` : undefined;
  return { kind: 'error', title: `${job.label} failed`, ...(body !== undefined ? { body } : {}), href };
}
