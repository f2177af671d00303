import { SvelteMap } from 'svelte/reactivity';
import type { ErrandClient, JobRecord } from '../../client';
import type { ListFilter } from './job-list-filter';
import { KEPT_PAGES, PAGE_SIZE, PAGE_SPACING } from './job-list-limits';

/**
 * The paged job list's rows, a window at a time: live pages of `PAGE_SIZE` jobs for the rows
 * drawn, and a few pages either side kept so that scrolling back shows them at once; never the
 * whole list.
 */
export class PagedJobs {
  #pages = new SvelteMap<number, readonly JobRecord[]>();
  #subscriptions = new Map<number, () => void>();

  constructor(
    private readonly client: Pick<ErrandClient, 'watch'>,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** The job at row `index`, or undefined while its page loads. */
  rowAt(index: number): JobRecord | undefined {
    return this.#pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Follows the pages that rows `first`..`last` (exclusive) of the list `filter` are on; lets the others go. */
  follow(filter: ListFilter, first: number, last: number): void {
    const firstPage = Math.floor(first / PAGE_SIZE);
    const lastPage = Math.floor(Math.max(first, last - 1) / PAGE_SIZE);
    for (let page = firstPage; page <= lastPage; page++) {
      if (!this.#subscriptions.has(page)) this.#subscribe(filter, page);
    }
    for (const page of [...this.#pages.keys()]) {
      if (page < firstPage - KEPT_PAGES || page > lastPage + KEPT_PAGES) this.#pages.delete(page);
    }
    for (const [page, stop] of this.#subscriptions) {
      if (page >= firstPage && page <= lastPage) continue;
      stop();
      this.#subscriptions.delete(page);
    }
  }

  /** Stops following every page; the pages read stay until `clear`. */
  stop(): void {
    for (const stop of this.#subscriptions.values()) stop();
    this.#subscriptions.clear();
  }

  /** Forgets the pages read: they were another list's. */
  clear(): void {
    this.#pages.clear();
  }

  #subscribe(filter: ListFilter, page: number): void {
    const query = { offset: page * PAGE_SIZE, limit: PAGE_SIZE, ...filter };
    const stop = this.client.watch(query, PAGE_SPACING).subscribe(
      (jobs) => this.#pages.set(page, jobs),
      (error) => this.fail(error),
    );
    this.#subscriptions.set(page, stop);
  }
}
