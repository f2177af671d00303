import type { JobFeedMessage, JobRecord, JobSummary } from '../shared';

/** A feed record not yet confirmed by a store snapshot. */
interface Entry {
  /** The job as announced, or `undefined` once removed. */
  readonly job: JobSummary | undefined;
  /** Which announcement brought it (see `FeedOverlay.seq`). */
  readonly seq: number;
  /** Snapshots read after it arrived that did not have the job. */
  misses: number;
}

/**
 * The feed records a live view holds over its last store snapshot. liveQuery stays the source
 * of truth: a snapshot read after an announcement saw its commit, so it settles that record;
 * a record newer than the snapshot's (announced while the read ran, or a snapshot answered
 * from Dexie's query cache before Dexie heard of the write) stays laid over it. By `updatedAt`,
 * an older record never replaces a newer one.
 */
export class FeedOverlay {
  readonly #entries = new Map<string, Entry>();
  #seq = 0;

  /**
   * @param shows whether the view shows a job in this state (active jobs, for the pill bar);
   *   records of jobs it neither shows nor holds are not kept.
   */
  constructor(private readonly shows: (job: JobSummary) => boolean) {}

  /** Announcements heard so far: read it before a snapshot's read starts. */
  get seq(): number {
    return this.#seq;
  }

  /**
   * Takes one announcement; `known` tells whether the last snapshot has a job. Returns
   * whether the view may have changed.
   */
  add(message: JobFeedMessage, known: (id: string) => boolean): boolean {
    this.#seq += 1;
    const seq = this.#seq;
    let changed = false;
    for (const job of message.jobs) {
      const held = this.#entries.get(job.id);
      if (held && (!held.job || held.job.updatedAt > job.updatedAt)) continue;
      if (!held && !known(job.id) && !this.shows(job)) continue;
      this.#entries.set(job.id, { job, seq, misses: 0 });
      changed = true;
    }
    for (const id of message.removed) {
      if (!this.#entries.has(id) && !known(id)) continue;
      this.#entries.set(id, { job: undefined, seq, misses: 0 });
      changed = true;
    }
    return changed;
  }

  /**
   * Settles the records a snapshot confirms. `since` is `seq` as read when the snapshot's read
   * began. A shown job the snapshot lacks is dropped on the second such snapshot: the first may
   * come from Dexie's cache before Dexie heard of the write, the second cannot.
   */
  reconcile(known: (id: string) => JobRecord | undefined, since: number): void {
    for (const [id, entry] of this.#entries) {
      const stored = known(id);
      if (!entry.job) {
        if (!stored && entry.seq <= since) this.#entries.delete(id);
      } else if (stored) {
        if (stored.updatedAt >= entry.job.updatedAt) this.#entries.delete(id);
      } else if (!this.shows(entry.job)) {
        this.#entries.delete(id);
      } else if (entry.seq <= since) {
        entry.misses += 1;
        if (entry.misses >= 2) this.#entries.delete(id);
      }
    }
  }

  /**
   * The snapshot's jobs with the held records laid over them, each the newer by `updatedAt`:
   * jobs the view no longer shows leave, jobs it shows join. Fields the feed leaves out
   * (`payload`, `result`, `checkpoint`) come from the snapshot's record, and are absent for a
   * job the snapshot does not have yet.
   */
  apply(jobs: readonly JobRecord[]): JobRecord[] {
    if (this.#entries.size === 0) return [...jobs];
    const byId = new Map(jobs.map((job) => [job.id, job]));
    for (const [id, entry] of this.#entries) {
      const stored = byId.get(id);
      if (!entry.job) {
        byId.delete(id);
        continue;
      }
      if (stored && stored.updatedAt > entry.job.updatedAt) continue;
      if (this.shows(entry.job)) byId.set(id, withStoredFields(entry.job, stored));
      else byId.delete(id);
    }
    return [...byId.values()];
  }
}

/** A feed record completed with the fields the feed leaves out, from the stored record if any. */
function withStoredFields(job: JobSummary, stored: JobRecord | undefined): JobRecord {
  if (!stored) return { ...job, payload: undefined };
  const { payload, result, checkpoint } = stored;
  return {
    ...job,
    payload,
    ...(result === undefined ? {} : { result }),
    ...(checkpoint === undefined ? {} : { checkpoint }),
  };
}
