import {
  ALLOWED_FROM,
  type ErrandClient,
  type FileRecord,
  type JobRecord,
  type JobRef,
  type JobStatus,
  type LogRecord,
  type RelatedJobs,
  type ResponseRecord,
  type StepCounts,
  type SpacedWatchOptions,
  type StepRecord,
  isTerminal,
  spacedReads,
} from '../../client';
import { Clock } from '../lib/clock.svelte';

/** The commands a person can give a job from its page. */
export const JOB_COMMANDS = ['pause', 'resume', 'cancel', 'retry', 'remove'] as const;
export type JobCommand = (typeof JOB_COMMANDS)[number];

/** Button names, part of the UI contract. */
export const COMMAND_LABELS: Readonly<Record<JobCommand, string>> = {
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry',
  remove: 'Remove',
};

/** The commands that apply to a job in `status`; remove applies to every job. */
export function commandsFor(status: JobStatus): readonly JobCommand[] {
  return JOB_COMMANDS.filter((command) => command === 'remove' || ALLOWED_FROM[command].includes(status));
}

/**
 * While the job changes, its journal is read again after a pause of at least half a second, and
 * of at least four times as long as the last read took (the job center's lists are spaced the
 * same way), so a slow store is not read back to back.
 */
const JOURNAL_SPACING: SpacedWatchOptions = { minGapMs: 500, spacing: 4 };

/** Steps read beyond each edge of the rows in view, so a short scroll finds them read already. */
const STEP_WINDOW_MARGIN = 40;

/** The steps read of a journal too long to hold whole: `steps[i]` is step `offset + i` in start order. */
export interface StepWindow {
  readonly offset: number;
  /** The end (exclusive) of the rows asked for; `steps` is shorter where the journal ended. */
  readonly end: number;
  readonly steps: readonly StepRecord[];
}

/** A file attached to the job, with a URL to download it from. */
export interface FileLink {
  readonly id: string;
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  readonly url: string;
}

/**
 * The sentence that says the unfinished `dependents` fail with the job or jobs a command is
 * given to (`one`: a single job, "it"); `more` where there are others besides those read.
 * Undefined for none.
 */
export function wouldFailText(dependents: readonly JobRef[], more: boolean, one: boolean): string | undefined {
  const first = dependents[0];
  if (!first) return undefined;
  if (dependents.length === 1 && !more) {
    return `“${first.label}” waits for ${one ? 'it' : 'one of them'} to complete, and will fail.`;
  }
  const count = dependents.length.toLocaleString('en-US');
  const jobs = dependents.length === 1 ? 'job that waits' : 'jobs that wait';
  return `${more ? 'At least' : 'The'} ${count} unfinished ${jobs} for ${one ? 'it' : 'them'} to complete will fail.`;
}

/**
 * What giving the job `command` does to the unfinished jobs that depend on it, as a sentence, or
 * undefined when it does nothing to them. A dependency that is cancelled, or removed before it
 * completed, fails them (`dependency-failed`); one removed after it completed lets them run.
 */
export function dependentsWarning(
  command: JobCommand,
  status: JobStatus,
  related: RelatedJobs | undefined,
): string | undefined {
  if (!related || (command !== 'cancel' && command !== 'remove')) return undefined;
  if (command === 'remove' && status === 'completed') return undefined;
  const unfinished = related.dependents.filter((job) => !isTerminal(job.status));
  // Past the dependents read, the others' states are not known: at least those read are unfinished.
  return wouldFailText(unfinished, related.dependentsTotal > related.dependents.length, true);
}

/**
 * What a job waiting on its dependencies waits for, by name where it is one job ("Waiting for
 * “Fetch”"); undefined until they are read, or where none is left unfinished (it is about to run,
 * or to fail for one that did not complete).
 */
export function dependencyWaitText(related: RelatedJobs | undefined): string | undefined {
  if (!related) return undefined;
  const unfinished = related.dependencies.filter(({ job }) => job !== undefined && !isTerminal(job.status));
  const first = unfinished[0]?.job;
  if (!first) return undefined;
  if (unfinished.length === 1) return `Waiting for “${first.label}”`;
  const total = related.dependencies.length;
  return `Waiting for ${unfinished.length.toLocaleString('en-US')} of the ${total.toLocaleString('en-US')} jobs it depends on`;
}

/** Whether a job has any related job to list. */
export function hasRelated(related: RelatedJobs): boolean {
  return (
    related.parent !== undefined ||
    related.dependencies.length > 0 ||
    related.dependentsTotal > 0 ||
    related.childrenTotal > 0
  );
}

/** One job's page: the live record, its step journal, logs and files, and its commands. */
export class JobDetailState {
  job: JobRecord | undefined = $state.raw(undefined);
  loaded = $state(false);
  /** The journal counted by status; undefined until first read. */
  stepCounts: StepCounts | undefined = $state.raw(undefined);
  /** The journal's steps around the rows in view (see `showSteps`). */
  stepWindow: StepWindow = $state.raw({ offset: 0, end: 0, steps: [] });
  logs: readonly LogRecord[] = $state.raw([]);
  files: readonly FileLink[] = $state.raw([]);
  /** For AI jobs: the stored prompt and answer. */
  response: ResponseRecord | undefined = $state.raw(undefined);
  /** What it depends on and what depends on it; undefined until first read. */
  related: RelatedJobs | undefined = $state.raw(undefined);
  busy: JobCommand | undefined = $state(undefined);
  error: string | undefined = $state(undefined);
  readonly commands: readonly JobCommand[] = $derived(this.job ? commandsFor(this.job.status) : []);
  /** Object URLs of the attached files, by file version; revoked when a file goes or the page closes. */
  #urls: Record<string, string> = {};
  #client: ErrandClient | undefined;
  readonly #clock = new Clock();
  /** The rows of the journal in view (end exclusive), as the list reports them. */
  #range = { first: 0, last: 0 };
  /** Reads the window again when the rows in view leave it; set while connected. */
  #readWindow: (() => void) | undefined;

  /** The time the page shows ages and countdowns against; ticks while it is open. */
  get now(): number {
    return this.#clock.now;
  }

  /** Step `index` of the journal in start order, if it has been read. */
  stepAt(index: number): StepRecord | undefined {
    const { offset, steps } = this.stepWindow;
    return steps[index - offset];
  }

  /**
   * The list shows rows `first` to `last` (end exclusive) of the journal: the steps around them
   * are read now unless they already are, so scrolling reads a window, never the whole journal.
   */
  showSteps(first: number, last: number): void {
    this.#range = { first, last };
    this.#coverRange();
  }

  /** Reads the steps around the rows in view unless the window read holds them. */
  #coverRange(): void {
    const { first, last } = this.#range;
    const { offset, end } = this.stepWindow;
    if (first >= offset && Math.min(last, this.stepCounts?.total ?? 0) <= end) return;
    this.#readWindow?.();
  }

  /** Follows job `id` live; returns the function that stops and frees the download URLs. */
  connect(client: ErrandClient, id: string): () => void {
    this.#client = client;
    let closed = false;
    const windowOf = (total: number) => {
      // Before the list shows any rows it opens on the newest steps, so those are read first.
      const { first, last } = this.#range.last === 0 ? { first: total, last: total } : this.#range;
      const offset = Math.max(0, Math.min(first, total) - STEP_WINDOW_MARGIN);
      return { offset, limit: Math.max(0, Math.min(total, last + STEP_WINDOW_MARGIN) - offset) };
    };
    // Counts, the window of steps in view, logs and files: each read is bounded, however long the
    // journal, and the next waits its turn (see JOURNAL_SPACING).
    const journal = spacedReads(async () => {
      try {
        const job = this.job;
        const [counts, logs, files, response] = await Promise.all([
          client.stepCounts(id),
          client.logs(id),
          client.files(id),
          job ? client.response(job) : undefined,
        ]);
        const window = windowOf(counts.total);
        const steps = await client.stepRange(id, window.offset, window.limit);
        if (closed) return;
        this.response = response;
        this.stepCounts = counts;
        this.stepWindow = { offset: window.offset, end: window.offset + window.limit, steps };
        this.logs = logs;
        this.files = this.#links(files);
      } catch {
        // The record view stays live; the journal is shown again on the next change.
      } finally {
        if (!closed) this.#coverRange();
      }
    }, JOURNAL_SPACING);
    // A scroll past the steps read reads the new window at once: it is a few dozen records.
    let windowReading = false;
    let windowAgain = false;
    this.#readWindow = () => {
      if (windowReading) {
        windowAgain = true;
        return;
      }
      windowReading = true;
      windowAgain = false;
      const total = this.stepCounts?.total ?? 0;
      const window = windowOf(total);
      client
        .stepRange(id, window.offset, window.limit)
        .then((steps) => {
          if (!closed) this.stepWindow = { offset: window.offset, end: window.offset + window.limit, steps };
        })
        .catch(() => undefined)
        .finally(() => {
          windowReading = false;
          // The rows in view may have moved on while this read ran.
          if (windowAgain && !closed) this.#coverRange();
        });
    };
    const unsubscribe = client.watchJob(id).subscribe(
      (job) => {
        this.job = job;
        this.loaded = true;
        this.#clock.tick();
        if (job) journal.request();
      },
      (error) => {
        this.error = error.message;
        this.loaded = true;
      },
    );
    // Set again only when it changes: with jobs running elsewhere it is read every quarter second.
    let relatedKey = '';
    const unwatchRelated = client.watchRelated(id).subscribe(
      (related) => {
        const key = JSON.stringify(related);
        if (key === relatedKey) return;
        relatedKey = key;
        this.related = related;
      },
      () => undefined,
    );
    // A step that starts, a log line and a file leave the record as it was: they are heard here.
    const unwatchJournal = client.watchJournal(id).subscribe(() => {
      if (this.job) journal.request();
    });
    // Relative times ("12 s ago") move on for a finished job too; only what depends on `now` redraws.
    const stopClock = this.#clock.start();
    return () => {
      closed = true;
      this.#readWindow = undefined;
      unsubscribe();
      unwatchRelated();
      unwatchJournal();
      stopClock();
      journal.close();
      for (const url of Object.values(this.#urls)) URL.revokeObjectURL(url);
      this.#urls = {};
    };
  }

  /** Gives the job a command; `remove` resolves true when the job is gone. */
  async run(command: JobCommand): Promise<boolean> {
    const client = this.#client;
    const job = this.job;
    if (!client || !job || this.busy) return false;
    this.busy = command;
    this.error = undefined;
    try {
      if (command === 'remove') {
        await client.remove(job.id);
        return true;
      }
      await client[command](job.id);
      return false;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return false;
    } finally {
      this.busy = undefined;
    }
  }

  #links(files: readonly FileRecord[]): FileLink[] {
    const keyOf = (file: FileRecord) => `${file.id}:${file.createdAt}:${file.size}`;
    const urls: Record<string, string> = {};
    const links = files.map((file) => {
      const key = keyOf(file);
      const url = this.#urls[key] ?? URL.createObjectURL(file.blob);
      urls[key] = url;
      return { id: file.id, name: file.name, mimeType: file.mimeType, size: file.size, url };
    });
    for (const [key, url] of Object.entries(this.#urls)) if (!(key in urls)) URL.revokeObjectURL(url);
    this.#urls = urls;
    return links;
  }
}

/**
 * Whether a step shown as running was cut off: its job is not running, or runs again in a new
 * attempt that has not reached the step yet (the step began before the attempt started, as
 * right after a reload, until the new run begins it again).
 */
export function stepInterrupted(
  step: Pick<StepRecord, 'status' | 'startedAt'>,
  job: Pick<JobRecord, 'status' | 'startedAt'>,
): boolean {
  if (step.status !== 'running') return false;
  return job.status !== 'running' || (job.startedAt !== undefined && step.startedAt < job.startedAt);
}

/**
 * The counts of a step journal in words: "2 completed, 1 running". Only steps begun are in the
 * journal, so it gives no total, which would read as the job's number of steps. A step begun
 * and not finished is running while its job runs, and unfinished otherwise.
 */
export function stepCountsText(summary: Omit<StepCounts, 'running'>, jobRunning: boolean): string {
  const open = summary.total - summary.completed - summary.failed;
  const parts = [`${summary.completed.toLocaleString()} completed`];
  if (open > 0) parts.push(`${open.toLocaleString()} ${jobRunning ? 'running' : 'unfinished'}`);
  if (summary.failed > 0) parts.push(`${summary.failed.toLocaleString()} failed`);
  if (summary.rerun > 0) parts.push(`${summary.rerun.toLocaleString()} run more than once`);
  return parts.join(', ');
}
