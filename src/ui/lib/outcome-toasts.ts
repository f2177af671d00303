import type { JobSummary } from '../../client';
import type { ToastInput, ToastsState } from '../components/toasts.svelte';
import { describeOutcome } from './job-outcomes';
import { consoleLinks, type JobLinks } from './job-links';

/**
 * Outcomes told each in a toast of its own while fewer than this many of those told in the last
 * `BURST_MS` are still shown.
 */
export const SINGLE_TOASTS = 3;
/** Outcomes closer together than this belong to one burst; a pause this long ends it. */
export const BURST_MS = 5_000;
/** The burst's count toast is redrawn, and so read out, at most this often. */
export const SUMMARY_EVERY_MS = 1_000;

/** The outcomes a burst's toast counts. */
export interface OutcomeCounts {
  readonly completed: number;
  readonly failed: number;
}

function jobs(count: number): string {
  return `${count.toLocaleString()} more ${count === 1 ? 'job' : 'jobs'}`;
}

/**
 * The toast of a burst's further outcomes: "240 more jobs completed", or where some failed "240
 * more jobs finished" with how many of each, linking to the failed ones (where `links` has them).
 */
export function describeCounts(counts: OutcomeCounts, links: Pick<JobLinks, 'completed' | 'failed'>): ToastInput {
  const { completed, failed } = counts;
  if (failed === 0) {
    return { kind: 'success', title: `${jobs(completed)} completed`, ...link(links.completed) };
  }
  if (completed === 0) return { kind: 'error', title: `${jobs(failed)} failed`, ...link(links.failed) };
  return {
    kind: 'error',
    title: `${jobs(completed + failed)} finished`,
    body: `${completed.toLocaleString()} completed, ${failed.toLocaleString()} failed.`,
    ...link(links.failed),
  };
}

function link(href: string | undefined): { href?: string } {
  return href === undefined ? {} : { href };
}

export interface OutcomeToastsOptions {
  /** Where toasts link to (the Console's pages unless given). */
  readonly links?: JobLinks;
  /** Whether the page shows `job` already: its toast then tells the news without a link. */
  readonly here?: (job: JobSummary) => boolean;
  /** Told each time the burst's toast is shown or redrawn, with what it says. */
  readonly onCounts?: (toast: ToastInput) => void;
  readonly now?: () => number;
}

interface Burst {
  /** What the burst's toast says, or will say at its next redraw. */
  completed: number;
  failed: number;
  /** Counted since the toast was last drawn. */
  unshownCompleted: number;
  unshownFailed: number;
  lastAt: number;
  toastId: number | undefined;
  drawnAt: number;
}

/**
 * Turns finished jobs into toasts without burying the page: the first few of a burst get a
 * toast each, the rest are counted in one toast that is redrawn at most once a second (a
 * thousand jobs finishing together would otherwise keep four toasts rolling over the page, and
 * a screen reader reading every one). Feed it from `watchOutcomes`.
 */
export class OutcomeToasts {
  readonly #toasts: Pick<ToastsState, 'push' | 'update' | 'items'>;
  readonly #links: JobLinks;
  readonly #options: OutcomeToastsOptions;
  readonly #now: () => number;
  /** The single toasts of the last `BURST_MS`: when each was shown, and its id. */
  #singles: { readonly at: number; readonly id: number }[] = [];
  #burst: Burst | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(toasts: Pick<ToastsState, 'push' | 'update' | 'items'>, options: OutcomeToastsOptions = {}) {
    this.#toasts = toasts;
    this.#options = options;
    this.#links = options.links ?? consoleLinks;
    this.#now = options.now ?? Date.now;
  }

  /** Tells that `job` completed or failed: in a toast of its own (`'single'`) or in the burst's count. */
  add(job: JobSummary): 'single' | 'counted' {
    const now = this.#now();
    // A single toast dismissed or gone leaves room for the next: a count toast's "more" would
    // then speak of toasts no longer in sight.
    const shown = new Set(this.#toasts.items.map((toast) => toast.id));
    this.#singles = this.#singles.filter((single) => now - single.at < BURST_MS && shown.has(single.id));
    if (this.#burst !== undefined && now - this.#burst.lastAt >= BURST_MS) this.#end();
    if (this.#burst === undefined && this.#singles.length < SINGLE_TOASTS) {
      const { href, ...news } = describeOutcome(job, this.#links);
      this.#singles.push({ at: now, id: this.#toasts.push(this.#options.here?.(job) ? news : { ...news, href }) });
      return 'single';
    }
    const burst = (this.#burst ??= {
      completed: 0,
      failed: 0,
      unshownCompleted: 0,
      unshownFailed: 0,
      lastAt: now,
      toastId: undefined,
      drawnAt: -Infinity,
    });
    burst.lastAt = now;
    if (job.status === 'failed') burst.unshownFailed += 1;
    else burst.unshownCompleted += 1;
    if (this.#timer === undefined) {
      const wait = burst.drawnAt + SUMMARY_EVERY_MS - now;
      if (wait <= 0) this.#draw();
      else this.#timer = setTimeout(() => this.#draw(), wait);
    }
    return 'counted';
  }

  /** Stops the pending redraw. */
  destroy(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#burst = undefined;
  }

  /** Shows what the burst counted: in its toast, or in a new one where that one is gone. */
  #draw(): void {
    this.#timer = undefined;
    const burst = this.#burst;
    if (burst === undefined || burst.unshownCompleted + burst.unshownFailed === 0) return;
    const drawn = (completed: number, failed: number) => describeCounts({ completed, failed }, this.#links);
    const total = drawn(burst.completed + burst.unshownCompleted, burst.failed + burst.unshownFailed);
    if (burst.toastId !== undefined && this.#toasts.update(burst.toastId, total)) {
      burst.completed += burst.unshownCompleted;
      burst.failed += burst.unshownFailed;
      this.#options.onCounts?.(total);
    } else {
      // Dismissed or timed out: a new toast counts from here.
      burst.completed = burst.unshownCompleted;
      burst.failed = burst.unshownFailed;
      const fresh = drawn(burst.completed, burst.failed);
      burst.toastId = this.#toasts.push(fresh);
      this.#options.onCounts?.(fresh);
    }
    burst.unshownCompleted = 0;
    burst.unshownFailed = 0;
    burst.drawnAt = this.#now();
  }

  /** A pause as long as a burst ends it: what it counted last is drawn, and the next outcome has a toast of its own. */
  #end(): void {
    clearTimeout(this.#timer);
    this.#draw();
    this.#burst = undefined;
  }
}
