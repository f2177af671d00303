import type { ActiveJobs, ErrandClient, JobRecord, JobStatus } from '../../client';
import { Clock } from '../lib/clock.svelte';
import { formatRemaining, toPercent } from '../lib/format';
import { estimateRemainingMs, runningTimeMs, waitReasonText } from '../lib/job-words';
import { consoleLinks, type JobLinks } from '../lib/job-links';

/** How a pill shows progress, chosen by how long the job is expected to take. */
export type Feedback = 'none' | 'spinner' | 'bar' | 'bar-remaining';

const FEEDBACK_ORDER: readonly Feedback[] = ['none', 'spinner', 'bar', 'bar-remaining'];

/** Under 1 s nothing; 1–3 s a spinner; 3–10 s a determinate bar; over 10 s the bar with time left. */
export function feedbackFor(expectedMs: number): Feedback {
  if (expectedMs < 1_000) return 'none';
  if (expectedMs < 3_000) return 'spinner';
  if (expectedMs <= 10_000) return 'bar';
  return 'bar-remaining';
}

/** What one pill shows. */
export interface PillView {
  readonly id: string;
  readonly label: string;
  readonly status: JobStatus;
  readonly percent: number;
  readonly feedback: Feedback;
  readonly step: string | undefined;
  /** Time left for long jobs, or the wait reason in words. */
  readonly detail: string | undefined;
  /** `detail` in fewer letters, shown where the pill is too narrow for it (the same text when it has none). */
  readonly shortDetail: string | undefined;
  readonly valueText: string;
  readonly href: string;
}

/** Sizes (in rem) the bar uses to decide how many pills fit on one line. */
export const PILL_MIN_REM = 15.5;
export const MORE_PILL_REM = 6.5;
export const PILL_GAP_REM = 0.5;

/** How many of `count` pills fit in `width` px, leaving room for a "+N more" pill when needed. */
export function fitCount(count: number, width: number, remPx: number): number {
  if (width <= 0 || count === 0) return count;
  const pill = PILL_MIN_REM * remPx;
  const gap = PILL_GAP_REM * remPx;
  if (count * pill + (count - 1) * gap <= width) return count;
  const room = width - MORE_PILL_REM * remPx;
  return Math.min(count, Math.max(1, Math.floor(room / (pill + gap))));
}

/**
 * What the bar's last pill says of the `hidden` jobs it has no pill for. With no pill shown (the
 * jobs it read have just finished, and the rest are not read yet) it counts them all, rather than
 * "+N more" beside nothing.
 */
export function moreLabel(
  hidden: number,
  shown: number,
): { readonly text: string; readonly short?: string; readonly name: string } {
  const jobs = `background ${hidden === 1 ? 'job' : 'jobs'}`;
  const count = hidden.toLocaleString();
  return shown === 0
    ? { text: `${count} ${jobs}`, name: `${count} ${jobs}` }
    : { text: `+${count} more`, short: `+${count}`, name: `${count} more ${jobs}` };
}

/** "3 queued": the jobs waiting their turn, which have no pill until they run. */
export function queuedLabel(queued: number): { readonly text: string; readonly name: string } | undefined {
  if (queued <= 0) return undefined;
  const count = queued.toLocaleString();
  return { text: `${count} queued`, name: `${count} queued ${queued === 1 ? 'job' : 'jobs'}` };
}

/** Jobs of each active status the bar reads: more than ever fit on one line. */
export const PILL_READ_LIMIT = 50;
/** A hidden tab draws no frames; its bar still follows the jobs, this often at most. */
const HIDDEN_REFRESH_MS = 250;

/** The pill bar: every running, waiting or paused job, live from every tab. */
export class PillBarState {
  /** The first active jobs in pill order (running, waiting, paused; oldest first). */
  jobs: readonly JobRecord[] = $state.raw([]);
  /** Active jobs in all. */
  total = $state(0);
  /** Queued jobs in all: no pill each, one link to their list. */
  queued = $state(0);
  width = $state(0);
  remPx = $state(16);
  #expectedByType: Readonly<Record<string, number>> = $state.raw({});
  /**
   * The labels of the jobs that pills wait for, by id: a job waiting on one job names it
   * ("Waiting for “Fetch statements”"). Read once per job, for the pills' jobs only.
   */
  #dependencyLabels: ReadonlyMap<string, string> = $state.raw(new Map());
  #client: Pick<ErrandClient, 'getMany'> | undefined;
  /** Ids whose labels were asked for (read, under way, or not found): each is read once. */
  #labelsAsked = new Set<string>();
  /** Feedback only ever grows for a job, so a pill does not flicker between kinds. */
  #shown: Record<string, Feedback> = {};
  readonly #clock = new Clock();

  /** Active jobs in all, as far as this tab knows. */
  readonly count: number = $derived(Math.max(this.total, this.jobs.length));
  readonly visibleCount: number = $derived(Math.min(this.jobs.length, fitCount(this.count, this.width, this.remPx)));
  /** Views are made for the pills on screen only: a thousand running jobs cost no more. */
  readonly visible: readonly PillView[] = $derived(this.jobs.slice(0, this.visibleCount).map((job) => this.#view(job)));
  readonly hiddenCount: number = $derived(this.count - this.visibleCount);
  readonly more = $derived(moreLabel(this.hiddenCount, this.visibleCount));
  readonly moreHref: string;
  readonly queuedLink = $derived(queuedLabel(this.queued));
  readonly queuedHref: string;

  /** `links`: where its pills and links lead (the Console's pages unless given). */
  constructor(private readonly links: JobLinks = consoleLinks) {
    this.moreHref = links.active;
    this.queuedHref = links.queued;
  }

  /** The time the pills' countdowns are measured against; ticks while any pill shows. */
  get now(): number {
    return this.#clock.now;
  }

  /**
   * Follows the client's active jobs; returns the function that stops. Changes are drawn once
   * per frame at most: with many jobs running the feed brings dozens of changes a second.
   */
  connect(client: ErrandClient): () => void {
    this.#client = client;
    let stopClock: (() => void) | undefined;
    const stopTimer = () => {
      stopClock?.();
      stopClock = undefined;
    };
    let latest: ActiveJobs | undefined;
    let frame: number | undefined;
    let fallback: ReturnType<typeof setTimeout> | undefined;
    const draw = () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(fallback);
      frame = undefined;
      fallback = undefined;
      if (latest) this.#show(latest);
      latest = undefined;
      if (this.jobs.length > 0 && stopClock === undefined) stopClock = this.#clock.start();
      if (this.jobs.length === 0) stopTimer();
    };
    const unsubscribe = client.watchActiveJobs({ limit: PILL_READ_LIMIT }).subscribe((active) => {
      latest = active;
      if (frame !== undefined || fallback !== undefined) return;
      frame = requestAnimationFrame(draw);
      fallback = setTimeout(draw, HIDDEN_REFRESH_MS);
    });
    // An index count, re-read spaced out (see `watchCount`): the bar never reads the queue itself.
    const unwatchQueued = client.watchCount({ status: 'queued' }).subscribe(
      (count) => (this.queued = count),
      () => undefined,
    );
    let closed = false;
    client
      .jobTypes()
      .then((types) => {
        if (closed) return;
        this.#expectedByType = Object.fromEntries(
          types.flatMap((info) => (info.expectedMs === undefined ? [] : [[info.type, info.expectedMs] as const])),
        );
      })
      .catch(() => undefined);
    return () => {
      closed = true;
      this.#client = undefined;
      unsubscribe();
      unwatchQueued();
      stopTimer();
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(fallback);
    };
  }

  #show(active: ActiveJobs): void {
    this.#clock.tick();
    const shown: Record<string, Feedback> = {};
    for (const job of active.jobs) {
      const before = this.#shown[job.id];
      if (before !== undefined) shown[job.id] = before;
    }
    this.#shown = shown;
    this.jobs = active.jobs;
    this.total = active.total;
    this.#readDependencyLabels(active.jobs);
  }

  /** Reads the labels of the single jobs that pills wait for, where not read yet; keeps only those. */
  #readDependencyLabels(jobs: readonly JobRecord[]): void {
    const wanted = new Set(jobs.map(awaitedJob).filter((id) => id !== undefined));
    const known = this.#dependencyLabels;
    if ([...known.keys()].some((id) => !wanted.has(id))) {
      this.#dependencyLabels = new Map([...known].filter(([id]) => wanted.has(id)));
    }
    for (const id of this.#labelsAsked) if (!wanted.has(id)) this.#labelsAsked.delete(id);
    const unread = [...wanted].filter((id) => !this.#labelsAsked.has(id));
    const client = this.#client;
    if (unread.length === 0 || !client) return;
    for (const id of unread) this.#labelsAsked.add(id);
    client
      .getMany(unread)
      .then((found) => {
        const labels = new Map(this.#dependencyLabels);
        found.forEach((job, i) => job && labels.set(unread[i] as string, job.label));
        if (labels.size > this.#dependencyLabels.size) this.#dependencyLabels = labels;
      })
      // Unread, the pill says "Waiting for other jobs", as it does before the read.
      .catch(() => undefined);
  }

  #feedback(job: JobRecord): Feedback {
    const elapsed = runningTimeMs(job.history, this.now);
    const remaining = estimateRemainingMs(job, this.now);
    const estimate = this.#expectedByType[job.type] ?? (remaining === undefined ? 0 : elapsed + remaining);
    const expected = Math.max(estimate, elapsed);
    let feedback = feedbackFor(expected);
    if (job.status !== 'running' && job.progress > 0 && feedback === 'none') feedback = 'bar';
    const before = this.#shown[job.id];
    if (before !== undefined && FEEDBACK_ORDER.indexOf(before) > FEEDBACK_ORDER.indexOf(feedback)) feedback = before;
    this.#shown[job.id] = feedback;
    return feedback;
  }

  /** Why a pill waits, with the job it waits for named where it waits for one. */
  #waitText(job: JobRecord): string {
    const awaited = awaitedJob(job);
    const label = awaited === undefined ? undefined : this.#dependencyLabels.get(awaited);
    return label === undefined ? waitReasonText(job, this.now) : `Waiting for “${label}”`;
  }

  #view(job: JobRecord): PillView {
    const percent = toPercent(job.progress);
    const feedback = this.#feedback(job);
    const remaining = job.status === 'running' ? estimateRemainingMs(job, this.now) : undefined;
    const detail =
      job.status === 'running'
        ? feedback === 'bar-remaining' && remaining !== undefined
          ? formatRemaining(remaining)
          : undefined
        : this.#waitText(job);
    const shortDetail =
      job.status !== 'running'
        ? waitReasonText(job, this.now, 'short')
        : detail !== undefined && remaining !== undefined
          ? formatRemaining(remaining, 'short')
          : undefined;
    const step = job.step;
    const valueText = [`${percent}%`, step, detail].filter((part) => part !== undefined && part !== '').join(', ');
    return {
      id: job.id,
      label: job.label,
      status: job.status,
      percent,
      feedback,
      step,
      detail,
      shortDetail,
      valueText,
      href: this.links.job(job.id),
    };
  }
}

/** The one job `job` waits for, where it waits for its dependencies and depends on one job. */
function awaitedJob(job: JobRecord): string | undefined {
  if (job.status !== 'waiting' || job.waitReason !== 'dependencies' || job.dependsOn?.length !== 1) return undefined;
  return job.dependsOn[0];
}
