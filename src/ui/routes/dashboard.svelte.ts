import {
  JOB_STATUSES,
  spacedReads,
  type ErrandClient,
  type JobRecord,
  type JobStatus,
  type JobTypeInfo,
  type MinuteTally,
} from '../../client';
import { toldByAppAlert } from '../lib/app-alerts';

/** How often queue depth is sampled when no job changes. */
export const SAMPLE_MS = 5_000;
/**
 * The counts are read again as jobs change, one read at a time with a pause after each: at
 * least a second, or four times as long as the read took (with a hundred thousand jobs the
 * counts take long, and the worker's writes wait behind them).
 */
const LIVE_SPACING = { minGapMs: 1_000, spacing: 4 } as const;
/** How far back the chart looks. */
export const WINDOW_MS = 15 * 60_000;
export const MINUTE_MS = 60_000;
/** How often storage use is read again. */
const STORAGE_MS = 30_000;

/** The order of the status tiles, active statuses first: one tile for every status. */
export const TILE_STATUSES: readonly JobStatus[] = [
  'running',
  'queued',
  'waiting',
  'paused',
  'failed',
  'completed',
  'cancelled',
];

export type StatusCounts = Readonly<Record<JobStatus, number>>;

export interface TypeCard {
  readonly type: string;
  readonly label: string;
  readonly total: number;
  /** Each an index count: cheap at any number of jobs. */
  readonly counts: Readonly<Record<JobStatus, number>>;
}

/** Queue depth (queued and waiting jobs) at one moment. */
export interface DepthSample {
  readonly at: number;
  readonly depth: number;
}

export interface StorageFigures {
  readonly usage: number;
  readonly quota: number;
}

function zeroCounts(): Record<JobStatus, number> {
  return Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
}

/**
 * Completions in each wall-clock minute of the window, oldest first; the last is the minute of
 * `now`, so far. `tally` is the store's count per minute (minutes outside the window are left out).
 */
export function completionsPerMinute(tally: readonly MinuteTally[], now: number): number[] {
  const buckets = Array.from({ length: WINDOW_MS / MINUTE_MS }, () => 0);
  const current = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  for (const { minute, count } of tally) {
    const index = buckets.length - 1 - Math.round((current - minute) / MINUTE_MS);
    if (index >= 0 && index < buckets.length) buckets[index] = (buckets[index] ?? 0) + count;
  }
  return buckets;
}

/**
 * Completions in the last 60 s, for the chart's legend: the minute so far, and of the minute
 * before it the part the last 60 s still cover, its completions taken as spread evenly over it.
 * (The minute so far alone falls to nothing at each minute's turn.) `throughput` is as
 * `completionsPerMinute` gives it for `now`.
 */
export function completionsInLastMinute(throughput: readonly number[], now: number): number {
  const current = throughput.at(-1) ?? 0;
  const before = throughput.at(-2) ?? 0;
  const into = (now - Math.floor(now / MINUTE_MS) * MINUTE_MS) / MINUTE_MS;
  return Math.round(current + before * (1 - into));
}

/** Why a read or a call failed, or nothing when the app's alert tells it. */
function said(error: unknown): string {
  if (toldByAppAlert(error)) return '';
  return error instanceof Error ? error.message : String(error);
}

/**
 * The dashboard: counts per job type and status, queue depth and throughput sampled over the
 * last minutes, storage figures, and the demo-task form.
 */
export class DashboardState {
  types: readonly JobTypeInfo[] = $state.raw([]);
  cards: readonly TypeCard[] = $state.raw([]);
  /** Set when the types or their counts could not be read (no worker, or no store): not loading. */
  cardsUnavailable = $state(false);
  totals: StatusCounts = $state.raw(zeroCounts());
  samples: readonly DepthSample[] = $state.raw([]);
  throughput: readonly number[] = $state.raw(completionsPerMinute([], Date.now()));
  now = $state(Date.now());
  /** Completions in the last 60 s, for the chart's legend (see `completionsInLastMinute`). */
  readonly lastMinute: number = $derived(completionsInLastMinute(this.throughput, this.now));
  storage: StorageFigures | undefined = $state();
  persisted: boolean | undefined = $state();
  persistOutcome = $state('');
  storageSupported = typeof navigator !== 'undefined' && 'storage' in navigator;
  /** Why the job types could not be read: it stays, as they are not read again. */
  #typesError = $state('');
  /** Why the last read of the counts failed, until one succeeds. */
  #readError = $state('');

  steps = $state(5);
  stepMs = $state(1000);
  starting = $state(false);
  started: JobRecord | undefined = $state();
  startError = $state('');

  #cardsBusy = false;
  /** Asks for the counts again (see `start`); nothing until started. */
  #reread = (): void => undefined;

  constructor(readonly client: ErrandClient) {}

  /** Why part of the page cannot be shown, if it cannot. */
  get error(): string {
    return this.#typesError || this.#readError;
  }

  /**
   * Starts sampling: the counts follow every job change any tab commits (as the pill bar does,
   * so the two agree), and are read every `SAMPLE_MS` besides, for the chart's queue depth and
   * for changes too large for the change feed. Returns the teardown.
   */
  start(): () => void {
    const reads = spacedReads(async () => {
      // A failure said once is taken back when the counts read again in full.
      if ((await this.#sample()) && (await this.#refreshCards())) this.#readError = '';
    }, LIVE_SPACING);
    this.#reread = () => reads.request();
    void this.#sample().finally(() => this.#loadTypes());
    void this.refreshStorage();
    const stopChanges = this.client.onJobChanges(() => reads.request());
    const samples = setInterval(() => reads.request(), SAMPLE_MS);
    const storage = setInterval(() => void this.refreshStorage(), STORAGE_MS);
    return () => {
      this.#reread = () => undefined;
      reads.close();
      stopChanges();
      clearInterval(samples);
      clearInterval(storage);
    };
  }

  /** Reads usage, quota and whether the browser keeps the data under storage pressure. */
  async refreshStorage(): Promise<void> {
    if (!this.storageSupported) return;
    const [estimate, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted()]);
    this.storage = { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0 };
    this.persisted = persisted;
  }

  /** Asks the browser not to evict this site's data, and says what it answered. */
  async persist(): Promise<void> {
    if (!this.storageSupported) return;
    try {
      const granted = await navigator.storage.persist();
      this.persisted = granted;
      this.persistOutcome = granted
        ? 'The browser agreed: it will not clear your jobs to free space.'
        : 'The browser declined for now. Browsers grant this to installed or often used apps; try again after installing the Console.';
    } catch (error) {
      this.persistOutcome = `Could not ask for persistent storage: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * Enqueues a demo task with the form's figures. A submit while one is in flight does nothing:
   * the flag is set before the first await, since the button's `disabled` only stops a second
   * Enter once the page has rendered it.
   */
  async startDemo(): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    this.startError = '';
    try {
      this.started = await this.client.enqueue('demo_steps', { steps: this.steps, stepMs: this.stepMs });
      this.#reread();
    } catch (error) {
      this.startError = error instanceof Error ? error.message : String(error);
    } finally {
      this.starting = false;
    }
  }

  async #loadTypes(): Promise<void> {
    try {
      this.types = await this.client.jobTypes();
    } catch (error) {
      this.cardsUnavailable = true;
      this.#typesError = said(error);
    }
    await this.#refreshCards();
  }

  /** Reads a sample (see `#read`); a failed read is said, not thrown. True if it was read. */
  async #sample(): Promise<boolean> {
    try {
      await this.#read();
      return true;
    } catch (error) {
      this.#readError = said(error);
      return false;
    }
  }

  /** Queue depth now, status totals, and completions per minute. */
  async #read(): Promise<void> {
    const now = Date.now();
    const [tally, ...counts] = await Promise.all([
      this.client.completionsPerMinute(),
      ...JOB_STATUSES.map((status) => this.client.count({ status })),
    ]);
    const totals = zeroCounts();
    JOB_STATUSES.forEach((status, i) => (totals[status] = counts[i] ?? 0));
    this.totals = totals;
    this.samples = [
      ...this.samples.filter((s) => now - s.at < WINDOW_MS),
      { at: now, depth: totals.queued + totals.waiting },
    ];
    this.now = now;
    this.throughput = completionsPerMinute(tally, now);
  }

  /**
   * Counts by type and status: each one an index count, cheap at any number of jobs. True if
   * they were read (not when a read was under way already).
   */
  async #refreshCards(): Promise<boolean> {
    if (this.#cardsBusy) return false;
    this.#cardsBusy = true;
    try {
      const cards = await Promise.all(
        this.types.map(async (info): Promise<TypeCard> => {
          const counts = zeroCounts();
          const values = await Promise.all(
            JOB_STATUSES.map((status) => this.client.count({ type: info.type, status })),
          );
          JOB_STATUSES.forEach((status, i) => (counts[status] = values[i] ?? 0));
          const total = values.reduce((a, b) => a + b, 0);
          return { type: info.type, label: info.label, total, counts };
        }),
      );
      this.cards = cards;
      if (cards.length > 0) this.cardsUnavailable = false;
      return true;
    } catch (error) {
      if (this.cards.length === 0) this.cardsUnavailable = true;
      this.#readError = said(error);
      return false;
    } finally {
      this.#cardsBusy = false;
    }
  }
}
