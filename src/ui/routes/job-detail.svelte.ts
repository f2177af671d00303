import {
  ALLOWED_FROM,
  type ErrandClient,
  type FileRecord,
  type JobRecord,
  type JobStatus,
  type LogRecord,
  type ResponseRecord,
  type StepRecord,
} from '../../client';

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

/** The journal is read again at most this often while the job changes. */
const JOURNAL_REFRESH_MS = 400;

/** Steps shown at most; a long job keeps its latest. */
export const STEPS_SHOWN = 300;

/** A file attached to the job, with a URL to download it from. */
export interface FileLink {
  readonly id: string;
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  readonly url: string;
}

/** One job's page: the live record, its step journal, logs and files, and its commands. */
export class JobDetailState {
  job: JobRecord | undefined = $state.raw(undefined);
  loaded = $state(false);
  steps: readonly StepRecord[] = $state.raw([]);
  logs: readonly LogRecord[] = $state.raw([]);
  files: readonly FileLink[] = $state.raw([]);
  /** For AI jobs: the stored prompt and answer. */
  response: ResponseRecord | undefined = $state.raw(undefined);
  busy: JobCommand | undefined = $state(undefined);
  error: string | undefined = $state(undefined);
  now = $state(Date.now());
  readonly commands: readonly JobCommand[] = $derived(this.job ? commandsFor(this.job.status) : []);
  /** The latest steps, at most STEPS_SHOWN of them. */
  readonly shownSteps: readonly StepRecord[] = $derived(this.steps.slice(-STEPS_SHOWN));
  readonly stepSummary = $derived(summarizeSteps(this.steps));
  /** Object URLs of the attached files, by file version; revoked when a file goes or the page closes. */
  #urls: Record<string, string> = {};
  #client: ErrandClient | undefined;

  /** Follows job `id` live; returns the function that stops and frees the download URLs. */
  connect(client: ErrandClient, id: string): () => void {
    this.#client = client;
    let closed = false;
    let loading = false;
    let again = false;
    const refresh = async () => {
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      try {
        do {
          again = false;
          const job = this.job;
          const [steps, logs, files, response] = await Promise.all([
            client.steps(id),
            client.logs(id),
            client.files(id),
            job ? client.response(job) : undefined,
          ]);
          if (closed) return;
          this.response = response;
          this.steps = steps;
          this.logs = logs;
          this.files = this.#links(files);
          if (again) await new Promise((resolve) => setTimeout(resolve, JOURNAL_REFRESH_MS));
        } while (again && !closed);
      } catch {
        // The record view stays live; the journal is shown again on the next change.
      } finally {
        loading = false;
      }
    };
    const unsubscribe = client.watchJob(id).subscribe(
      (job) => {
        this.job = job;
        this.loaded = true;
        this.now = Date.now();
        if (job) void refresh();
      },
      (error) => {
        this.error = error.message;
        this.loaded = true;
      },
    );
    // Relative times ("12 s ago") move on for a finished job too; only what depends on `now` redraws.
    const timer = setInterval(() => (this.now = Date.now()), 1_000);
    return () => {
      closed = true;
      unsubscribe();
      clearInterval(timer);
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

/** Counts and total time of a step journal. */
export interface StepSummary {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly rerun: number;
  readonly ms: number;
}

/** Sums up a step journal for the line above the table. */
export function summarizeSteps(steps: readonly StepRecord[]): StepSummary {
  let completed = 0;
  let failed = 0;
  let rerun = 0;
  let ms = 0;
  for (const step of steps) {
    if (step.status === 'completed') completed += 1;
    if (step.status === 'failed') failed += 1;
    if (step.runs > 1) rerun += 1;
    if (step.finishedAt !== undefined) ms += step.finishedAt - step.startedAt;
  }
  return { total: steps.length, completed, failed, rerun, ms };
}

/**
 * The counts of a step journal in words: "2 completed, 1 running". Only steps begun are in the
 * journal, so it gives no total, which would read as the job's number of steps. A step begun
 * and not finished is running while its job runs, and unfinished otherwise.
 */
export function stepCountsText(summary: StepSummary, jobRunning: boolean): string {
  const open = summary.total - summary.completed - summary.failed;
  const parts = [`${summary.completed.toLocaleString()} completed`];
  if (open > 0) parts.push(`${open.toLocaleString()} ${jobRunning ? 'running' : 'unfinished'}`);
  if (summary.failed > 0) parts.push(`${summary.failed.toLocaleString()} failed`);
  if (summary.rerun > 0) parts.push(`${summary.rerun.toLocaleString()} run more than once`);
  return parts.join(', ');
}
