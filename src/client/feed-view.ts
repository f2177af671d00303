import type { JobFeedMessage, JobRecord, JobSummary } from '../shared';
import type { Watchable } from './client-api';
import type { FeedChannel } from './feed-channel';
import { FeedOverlay } from './feed-overlay';
import { spacedWatch, type SpacedWatchOptions } from './spaced-watch';

/** What a live view over the store and the change feed is made of: stored `T`, shown `R`. */
export interface FeedView<T, R> {
  /** Reads the view's value from the store. */
  readonly read: () => Promise<T>;
  /** The jobs of a stored value. */
  readonly jobsOf: (value: T) => readonly JobRecord[];
  /** Feed records this view takes at all. */
  readonly takes: (job: JobSummary) => boolean;
  /** Whether the view shows a job in this state, given the last stored value. */
  readonly shows: (job: JobSummary, stored: T | undefined) => boolean;
  /** The stored value with the feed records laid over it. */
  readonly render: (value: T, overlay: FeedOverlay) => R;
  /** How the store reads are spaced after a change (see `spacedWatch`). */
  readonly spacing: SpacedWatchOptions;
}

/**
 * A live value from the store with the change feed laid over it (see `FeedOverlay`): a
 * committed change reaches the view when it is announced. The store stays the source of
 * truth, read again after changes but spaced out: with a thousand jobs running, the workers
 * commit many times a second, and re-reading on each commit would keep the reading thread busy
 * deserializing records the feed has already brought. Announcements heard together are
 * emitted once, in a microtask.
 */
export function feedView<T, R>(dbName: string, feed: FeedChannel, view: FeedView<T, R>): Watchable<R> {
  return {
    subscribe(next, error) {
      let stored: { readonly value: T; readonly byId: ReadonlyMap<string, JobRecord> } | undefined;
      const overlay = new FeedOverlay((job) => view.shows(job, stored?.value));
      let pending = false;
      const emit = () => {
        pending = false;
        if (stored) next(view.render(stored.value, overlay));
      };
      const stopFeed = feed.subscribe((message: JobFeedMessage) => {
        const taken = { ...message, jobs: message.jobs.filter(view.takes) };
        if (!overlay.add(taken, (id) => stored?.byId.has(id) ?? false) || pending) return;
        pending = true;
        queueMicrotask(() => {
          if (pending) emit();
        });
      });
      const read = async () => {
        const since = overlay.seq;
        return { value: await view.read(), since };
      };
      const stopStore = spacedWatch(dbName, read, view.spacing).subscribe(({ value, since }) => {
        const byId = new Map(view.jobsOf(value).map((job) => [job.id, job]));
        stored = { value, byId };
        overlay.reconcile((id) => byId.get(id), since);
        emit();
      }, error);
      return () => {
        stopFeed();
        stopStore();
      };
    },
  };
}
