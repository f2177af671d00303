import { SvelteMap } from 'svelte/reactivity';
import type { ErrandClient, JobListQuery, JobRecord, JobSummary } from '../../client';
import { SearchMatches, searchLabels } from './label-search';

/** The list filters a search runs under: a status, the active ones, a type, or none. */
export type SearchFilter = Pick<JobListQuery, 'status' | 'statuses' | 'type' | 'dependsOn' | 'parentId'>;

/** Whether `job` passes the list's filters (not the search text). */
export function passesFilter(
  job: Pick<JobRecord, 'status' | 'type' | 'dependsOn' | 'parentId'>,
  filter: SearchFilter,
): boolean {
  if (filter.status !== undefined && job.status !== filter.status) return false;
  if (filter.statuses !== undefined && !filter.statuses.includes(job.status)) return false;
  if (filter.dependsOn !== undefined && !(job.dependsOn ?? []).includes(filter.dependsOn)) return false;
  if (filter.parentId !== undefined && job.parentId !== filter.parentId) return false;
  return filter.type === undefined || job.type === filter.type;
}

/** What the list hears from its search. */
export interface SearchListener {
  /** The matches changed: their number, or which jobs they are. */
  changed(): void;
  /** Job `id` left the matches (removed, or changed out of the filters). */
  left(id: string): void;
  failed(error: unknown): void;
}

/**
 * A label search as the job center shows it: the scan's matches as they are found, the rows in
 * sight following their jobs' changes, and jobs that come to match while it is shown (from the
 * change feed) joining it.
 */
export class LabelSearchView {
  /** Jobs the scan has read so far. */
  scanned = $state(0);
  /** The scan reached the end of the list or the cap. */
  done = $state(true);
  /** The matches, newest first, as the scan and the feed left them. */
  items: readonly JobRecord[] = $state.raw([]);

  /** The rows in sight as last heard of, by job id. */
  readonly #fresh = new SvelteMap<string, JobRecord>();
  readonly #matches = new SearchMatches();
  readonly #rows = new Map<string, () => void>();
  #text = '';
  #filter: SearchFilter = {};
  /** Bumped by each start and stop: answers for an older search are dropped. */
  #generation = 0;

  constructor(
    private readonly client: Pick<ErrandClient, 'list' | 'getMany' | 'watchJob'>,
    private readonly listener: SearchListener,
  ) {}

  /** Runs a search for `text` (lower case) under `filter`; returns its stop. */
  start(text: string, filter: SearchFilter): () => void {
    const generation = this.#reset();
    this.#text = text;
    this.#filter = filter;
    this.done = false;
    const current = () => generation === this.#generation;
    searchLabels(this.client, text, filter, current, ({ found, scanned }) => {
      this.scanned = scanned;
      this.items = this.#matches.found(found);
      this.listener.changed();
    }).then(
      (finished) => {
        if (finished && current()) this.done = true;
      },
      (error: unknown) => {
        if (current()) this.listener.failed(error);
      },
    );
    return () => void this.#reset();
  }

  /** The match at `index` as last heard of. */
  rowAt(index: number): JobRecord | undefined {
    const item = this.items[index];
    return item && this.#latest(item);
  }

  /** Every match as last heard of. */
  all(): JobRecord[] {
    return this.items.map((item) => this.#latest(item));
  }

  /** Follows the jobs of rows `first`..`last` (exclusive), and no others. */
  watchRows(first: number, last: number): void {
    const wanted = new Set<string>();
    for (const item of this.items.slice(first, last)) {
      wanted.add(item.id);
      if (!this.#rows.has(item.id)) this.#watchRow(item.id);
    }
    for (const [id, stop] of this.#rows) {
      if (wanted.has(id)) continue;
      stop();
      this.#rows.delete(id);
    }
  }

  /**
   * Jobs the feed announces that match the search and are not among its matches (made since it
   * started, or changed into its filters) join them, read whole from the store. A bulk enqueue
   * too large for the feed is not announced: a new search finds those.
   */
  offer(jobs: readonly JobSummary[]): void {
    const text = this.#text;
    const filter = this.#filter;
    const listed = new Set(this.items.map((item) => item.id));
    const matches = (job: JobSummary) => passesFilter(job, filter) && job.label.toLowerCase().includes(text);
    const ids = jobs.filter((job) => !listed.has(job.id) && matches(job)).map((job) => job.id);
    if (ids.length === 0) return;
    const generation = this.#generation;
    this.client.getMany(ids).then(
      (read) => {
        if (generation !== this.#generation) return;
        const arrived = read.filter((job): job is JobRecord => job !== undefined && matches(job));
        if (arrived.length === 0) return;
        this.items = this.#matches.arrive(this.items, arrived);
        this.listener.changed();
      },
      () => undefined,
    );
  }

  #watchRow(id: string): void {
    const generation = this.#generation;
    const stop = this.client.watchJob(id).subscribe((job) => {
      if (job && passesFilter(job, this.#filter)) this.#fresh.set(id, job);
      // Removed, or changed out of the filters: it leaves the matches, as it would leave a page.
      else if (generation === this.#generation) queueMicrotask(() => this.#drop(id, generation));
    });
    this.#rows.set(id, stop);
  }

  #drop(id: string, generation: number): void {
    if (generation !== this.#generation || !this.items.some((item) => item.id === id)) return;
    this.items = this.#matches.leave(this.items, id);
    this.#fresh.delete(id);
    this.listener.left(id);
    this.listener.changed();
  }

  #latest(item: JobRecord): JobRecord {
    return this.#fresh.get(item.id) ?? item;
  }

  /** Ends the search shown: its rows' subscriptions, its matches and its late answers. */
  #reset(): number {
    for (const stop of this.#rows.values()) stop();
    this.#rows.clear();
    this.#fresh.clear();
    this.#matches.clear();
    this.items = [];
    this.scanned = 0;
    this.done = true;
    return ++this.#generation;
  }
}
