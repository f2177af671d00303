import { untrack } from 'svelte';
import type { ErrandClient, JobRecord, JobTypeInfo } from '../../client';
import { takeNotice } from '../lib/page-notice';
import { toldByAppAlert } from '../lib/app-alerts';
import { Clock } from '../lib/clock.svelte';
import { router } from '../lib/router.svelte';
import { withoutScroll } from '../lib/scroll-memory';
import { compareRunOrder } from './run-order';
import { Reorder } from './reorder.svelte';
import type { BulkAction } from './bulk-summary';
import { applyToSelection, BulkSelection } from './bulk-selection.svelte';
import type { ListFilter } from './job-list-filter';
import { JobListAddress } from './job-list-address.svelte';
import { RUN_ORDER_CAP, SELECT_ALL_CAP } from './job-list-limits';
import { LabelSearchView, passesFilter } from './label-search-view.svelte';
import { PagedJobs } from './paged-jobs.svelte';
import { SelectionQuestion, type Question } from './selection-question.svelte';

type Mode = 'paged' | 'run-order' | 'search';

/**
 * The job center: filters from the location hash (see `JobListAddress`), a windowed live view of the matching jobs
 * (never all of them), selection, bulk commands and reordering of queued jobs.
 */
export class JobCenterState extends JobListAddress {
  /** The job of the relation filter, as it is now: undefined while read, null once it is gone. */
  relationJob: JobRecord | null | undefined = $state.raw();
  /** What the search box holds. */
  searchText = $state('');
  /** The search that runs: `searchText` once typing pauses. */
  query = $state('');
  readonly mode: Mode = $derived(this.query !== '' ? 'search' : this.status === 'queued' ? 'run-order' : 'paged');

  types: readonly JobTypeInfo[] = $state([]);
  total = $state(0);
  loading = $state(true);
  notice: { readonly text: string; readonly tone: 'info' | 'error' } | undefined = $state();
  busy = $state(false);
  readonly selected = new BulkSelection();
  readonly #question: SelectionQuestion;
  readonly #clock = new Clock(10_000);

  readonly #paged: PagedJobs;
  /** The queue in run order, while it is shown. */
  #items: readonly JobRecord[] = $state.raw([]);
  #range = { first: 0, last: 0 };
  rendered = $state({ first: 0, last: 0 });
  /** The rows in sight: what "Select all shown" selects. */
  visible = $state({ first: 0, last: 0 });
  #syncTimer: ReturnType<typeof setTimeout> | undefined;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  /** Drag and keyboard moves of queued jobs, in run order only. */
  readonly reorder: Reorder;
  /** The label search, while one runs. */
  readonly search: LabelSearchView;

  constructor(readonly client: ErrandClient) {
    super();
    this.#question = new SelectionQuestion(client, this.selected);
    this.#paged = new PagedJobs(client, (error) => this.#fail(error));
    this.search = new LabelSearchView(client, {
      changed: () => {
        this.total = this.search.items.length;
        this.loading = false;
        this.#sync();
      },
      left: (id) => this.selected.delete(id),
      failed: (error) => this.#fail(error),
    });
    this.reorder = new Reorder(
      {
        get: () => this.#items,
        set: (items) => {
          this.#items = items;
        },
      },
      client,
      () => this.mode === 'run-order',
      (text) => {
        this.notice = { text, tone: 'error' };
      },
    );
  }

  /**
   * A command that asks first and waits to be confirmed (see `SelectionQuestion`): Remove
   * always, Cancel where unfinished jobs depend on the selection.
   */
  get confirming(): Question | undefined {
    return this.#question.open;
  }
  set confirming(question: Question | undefined) {
    this.#question.open = question;
  }

  /** The time the list's ages and wait reasons are measured against. */
  get now(): number {
    return this.#clock.now;
  }

  /** Starts the clock and loads the job types; returns the teardown. */
  start(): () => void {
    // Without a worker (the app's alert says so) the type filter lists no types.
    this.client
      .jobTypes()
      .then((types) => (this.types = types))
      .catch(() => undefined);
    const stopClock = this.#clock.start();
    const stopQuestion = this.#question.start();
    // A selected job that is removed, or leaves the filters (a running job that completes under
    // "Active"), leaves the selection: a command never reaches a job the list no longer shows.
    const stopChanges = this.client.onJobChanges((jobs, removed) => {
      const touched = this.#question.touchedBy(jobs, removed);
      if (this.mode === 'search') this.search.offer(jobs);
      for (const id of removed) this.selected.delete(id);
      for (const job of jobs) {
        if (!this.selected.has(job.id)) continue;
        if (this.#matchesFilters(job)) this.selected.update(job);
        else this.selected.delete(job.id);
      }
      // A question about a command that no longer applies to any selected job goes (the jobs
      // were cancelled or removed in another tab meanwhile).
      if (this.confirming && this.selected.applicable(this.confirming.action) === 0) this.confirming = undefined;
      if (touched) this.#question.changed();
    });
    return () => {
      stopClock();
      stopQuestion();
      clearTimeout(this.#searchTimer);
      stopChanges();
    };
  }

  /** Opens the view for the current filters; call from an effect so that it follows them. */
  track(): () => void {
    const filters = { filter: this.filter, relation: this.relation, query: this.query, mode: this.mode };
    return untrack(() => {
      // The filters changed (also by the hash or Back): a selection made in the old list goes,
      // and so does a notice about it.
      this.#unselect();
      const unselected = this.#unselected;
      this.#unselected = 0;
      this.confirming = undefined;
      // A job removed from its own page, which led here, is confirmed here; a selection the new
      // filters dropped is said to be gone.
      const left = takeNotice();
      const dropped =
        unselected === 0
          ? undefined
          : `The selection of ${unselected.toLocaleString()} ${unselected === 1 ? 'job' : 'jobs'} was cleared: it belonged to the list before.`;
      const text = left ?? dropped;
      this.notice = text === undefined ? undefined : { text, tone: 'info' };
      this.#generation++;
      this.#paged.clear();
      this.#items = [];
      if (filters.mode === 'search') this.total = 0;
      this.loading = true;
      const unsubscribe =
        filters.mode === 'search'
          ? this.search.start(filters.query, filters.filter)
          : filters.mode === 'run-order'
            ? this.#watchRunOrder(filters.filter)
            : this.#watchCount(filters.filter);
      this.#sync();
      return () => {
        this.#generation++;
        unsubscribe();
        clearTimeout(this.#syncTimer);
        this.#paged.stop();
      };
    });
  }

  /** A job type's name for people. */
  typeLabel(type: string): string {
    return this.types.find((info) => info.type === type)?.label ?? type;
  }

  /** The job at row `index`, or undefined while its page loads. */
  rowAt(index: number): JobRecord | undefined {
    if (this.mode === 'paged') return this.#paged.rowAt(index);
    if (this.mode === 'search') return this.search.rowAt(index);
    return this.#items[index];
  }

  /** The list shows the rows `first`..`last` (exclusive). */
  setRange(first: number, last: number): void {
    this.#range = { first, last };
    this.rendered = { first, last };
    clearTimeout(this.#syncTimer);
    this.#syncTimer = setTimeout(() => this.#sync(), 40);
  }

  /** Jobs unselected by a change of the list, until the list's notice says so. */
  #unselected = 0;
  #unselect(): void {
    this.#unselected += this.selected.size;
    this.selected.clear();
  }

  setFilter(name: 'status' | 'type', value: string): void {
    this.#unselect();
    this.confirming = undefined;
    router.navigate(this.#href({ [name]: value }));
  }

  /** Shows every job again, not only those related to one job; the other filters stay. */
  clearRelation(): void {
    if (!this.relation) return;
    this.#unselect();
    this.confirming = undefined;
    router.navigate(this.#href({ [this.relation.key]: '' }));
  }

  /** The address of the list as it is, with `change` applied (an empty value drops a part). */
  #href(change: { readonly [part: string]: string }): string {
    return this.listHref(this.query ? this.searchText.trim() : '', change);
  }

  /**
   * Takes the search from the address when it changes there (a reload, Back), or when the list is
   * visited anew (`visited`: a link, even to the address it has): then a search still being typed
   * is dropped too, rather than run over the place just gone to.
   */
  followAddress(text: string, visited = false): void {
    // Only the address is followed: the search's own state is read untracked.
    untrack(() => {
      const query = text.trim().toLowerCase();
      if (!visited && query === this.query) return;
      clearTimeout(this.#searchTimer);
      if (visited && query === this.query && this.searchText.trim().toLowerCase() === query) return;
      this.searchText = text;
      this.query = query;
    });
  }

  /** Writes the running search into the address without a new history entry per keystroke. */
  #writeAddress(text: string): void {
    if (typeof location === 'undefined' || typeof history === 'undefined') return;
    const href = this.#href({ q: text });
    // The entry now shows other jobs: where the old ones were scrolled to means nothing for them.
    if (location.hash !== href) router.replace(href, withoutScroll(history.state));
  }

  setSearch(text: string): void {
    this.searchText = text;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => {
      const query = text.trim().toLowerCase();
      if (query === this.query) return;
      // Like a filter change: jobs selected in the old list would be acted on out of sight.
      this.#unselect();
      this.confirming = undefined;
      this.query = query;
      this.#writeAddress(text.trim());
    }, 250);
  }

  /** The rows in sight (not those drawn beyond the edges), for "Select all shown". */
  get shownJobs(): JobRecord[] {
    const jobs: JobRecord[] = [];
    for (let i = this.visible.first; i < Math.min(this.visible.last, this.total); i++) {
      const job = this.rowAt(i);
      if (job) jobs.push(job);
    }
    return jobs;
  }

  toggle(job: JobRecord, on: boolean): void {
    if (on) this.selected.add(job);
    else this.selected.delete(job.id);
    this.confirming = undefined;
  }

  toggleShown(on: boolean): void {
    for (const job of this.shownJobs) this.toggle(job, on);
  }

  /**
   * Selects every job of the list, not only the rows in sight: the matches of a search and the
   * queue in run order are in memory; a paged list's are read from index keys (the newest
   * `SELECT_ALL_CAP` of a longer one).
   */
  async selectAll(): Promise<void> {
    if (this.busy) return;
    this.confirming = undefined;
    if (this.mode !== 'paged') {
      this.selected.addAll(this.mode === 'search' ? this.search.all() : this.#items);
      return;
    }
    const generation = this.#generation;
    this.busy = true;
    try {
      const jobs = await this.client.listKeys(this.filter, SELECT_ALL_CAP);
      // The filters changed meanwhile: these are another list's jobs.
      if (generation === this.#generation) this.selected.addAll(jobs);
    } catch (error) {
      this.#fail(error);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Applies a bulk command to the selection and reports what it changed and skipped. Remove
   * asks first, and so does Cancel where unfinished jobs depend on the selection (`confirmed`
   * is the answer). Selected jobs that left the list since they were
   * selected are left alone, and the report says so.
   */
  async apply(action: BulkAction, confirmed = false): Promise<void> {
    if (this.selected.size === 0 || this.busy) return;
    if (this.selected.applicable(action) === 0) {
      // The button says so already (aria-disabled); a press says it aloud, with the statuses.
      this.notice = { text: this.selected.refusal(action), tone: 'info' };
      return;
    }
    this.confirming = undefined;
    this.busy = true;
    try {
      if ((action === 'Remove' || action === 'Cancel') && !confirmed && (await this.#question.ask(action))) return;
      const text = await applyToSelection(this.client, this.selected, action, (job) => this.#matchesFilters(job));
      this.notice = { text, tone: 'info' };
    } catch (error) {
      this.notice = {
        text: `${action} failed: ${error instanceof Error ? error.message : String(error)}`,
        tone: 'error',
      };
    } finally {
      this.busy = false;
    }
  }

  /** Follows the number of matching jobs: an index count, redone when a matching job changes. */
  #watchCount(filter: ListFilter): () => void {
    return this.client.watchCount(filter).subscribe(
      (count) => {
        this.total = count;
        this.loading = false;
      },
      (error) => this.#fail(error),
    );
  }

  #watchRunOrder(filter: ListFilter): () => void {
    const query = { ...filter, limit: RUN_ORDER_CAP };
    return this.client.watch(query).subscribe(
      (jobs) => {
        if (this.reorder.drag) return;
        this.#items = jobs.sort(compareRunOrder);
        this.total = jobs.length;
        this.loading = false;
      },
      (error) => this.#fail(error),
    );
  }

  /** Subscribes to what the visible range needs: live pages, or live rows of a search. */
  #sync(): void {
    const { first, last } = this.#range;
    if (this.mode === 'paged') {
      this.#paged.follow(this.filter, first, last);
      return;
    }
    this.#paged.stop();
    if (this.mode === 'search') this.search.watchRows(first, last);
  }

  #matchesFilters(job: Pick<JobRecord, 'status' | 'type'>): boolean {
    return passesFilter(job, this.filter);
  }

  /**
   * Follows the job the list is filtered by a relation to (`relationJob`), for its name; call
   * from an effect of its own, so that only a change of the relation reads it anew.
   */
  followRelationJob(): () => void {
    const relation = this.relation;
    return untrack(() => {
      this.relationJob = undefined;
      if (!relation) return () => undefined;
      return this.client.watchJob(relation.id).subscribe(
        (job) => (this.relationJob = job ?? null),
        () => (this.relationJob = null),
      );
    });
  }

  #fail(error: unknown): void {
    this.loading = false;
    const text = toldByAppAlert(error)
      ? 'The jobs cannot be read in this tab (see above).'
      : `Could not read jobs: ${error instanceof Error ? error.message : String(error)}`;
    this.notice = { text, tone: 'error' };
  }
}
