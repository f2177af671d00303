import { ACTIVE_STATUSES, isActive, type JobRecord, type JobStatus } from '../shared';
import type { ActiveHead } from '../store';
import type { FeedOverlay } from './feed-overlay';

/** The jobs a pill bar shows, and how many there are. */
export interface ActiveJobs {
  /**
   * Running, then waiting, then paused jobs, each oldest first. Of a status with more jobs
   * than the view reads (`limit`), only its oldest are here.
   */
  readonly jobs: readonly JobRecord[];
  /** Running, waiting and paused jobs in all. */
  readonly total: number;
}

const STATUS_ORDER: Partial<Record<JobStatus, number>> = Object.fromEntries(
  ACTIVE_STATUSES.map((status, i) => [status, i]),
);

type Ordered = Pick<JobRecord, 'id' | 'status' | 'createdAt'>;

/**
 * Pill order: running, waiting, paused; oldest first within each, and jobs created together
 * (one bulk enqueue) by id, as the store's `[status+createdAt]` index orders them.
 */
export function compareActive(a: Ordered, b: Ordered): number {
  return (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3) || compareAge(a, b);
}

/** Creation order, ties by id: the order of the store's index. */
function compareAge(a: Ordered, b: Ordered): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The heads read from the store with the feed records laid over them. A status whose head was
 * complete is exact: every job of it is known. Of a status with more jobs than its head, the
 * announced jobs newer than the head's last are left out (they are not among its first), and
 * its total is the stored count, less the head's jobs that have since left it, plus the jobs
 * of other heads that have since joined it; jobs beyond every head that changed status are
 * counted at the next read.
 */
export function renderActive(heads: readonly ActiveHead[], overlay: FeedOverlay): ActiveJobs {
  const stored = heads.flatMap((head) => head.jobs);
  const storedStatus = new Map(stored.map((job) => [job.id, job.status]));
  // The overlay decides with `showsInHeads` over these heads: what it adds is among the first.
  const jobs = overlay.apply(stored);
  const now = new Map(jobs.map((job) => [job.id, job.status]));
  let total = 0;
  for (const head of heads) {
    if (head.complete) {
      for (const status of now.values()) if (status === head.status) total += 1;
      continue;
    }
    let count = head.total;
    for (const job of head.jobs) if (now.get(job.id) !== head.status) count -= 1;
    for (const [id, status] of now) {
      const before = storedStatus.get(id);
      if (status === head.status && before !== undefined && before !== head.status) count += 1;
    }
    total += count;
  }
  return { jobs: jobs.sort(compareActive), total };
}

/** Whether the view holds a job in this state at all. */
export function showsActive(job: { readonly status: JobStatus }): boolean {
  return isActive(job.status);
}

/**
 * Whether the heads view holds an announced job: an active one, unless its status has more
 * jobs than its head and it is newer than the head's last (then it is not among the first).
 * Announcements for the thousand jobs beyond the heads are so dropped at once.
 */
export function showsInHeads(job: Ordered, heads: readonly ActiveHead[] | undefined): boolean {
  if (!isActive(job.status)) return false;
  const head = heads?.find((each) => each.status === job.status);
  if (!head || head.complete) return true;
  const last = head.jobs.at(-1);
  return last === undefined || compareAge(job, last) <= 0;
}
