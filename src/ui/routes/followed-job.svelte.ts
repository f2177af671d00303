import { isTerminal, type ErrandClient, type JobRecord } from '../../client';
import { Clock } from '../lib/clock.svelte';
import { waitReasonText } from '../lib/job-words';

/**
 * One job followed live, with a Blob URL of one of its attached files once it completes. The
 * URL is revoked when another job followed is read or on `dispose`.
 */
export class FollowedJob {
  job: JobRecord | undefined = $state.raw(undefined);
  fileUrl: string | undefined = $state(undefined);
  fileSize: number | undefined = $state(undefined);
  /** Name of the attached file offered for download. */
  fileName = $state('');
  #stop: (() => void) | undefined;
  #following: string | undefined;
  /** Whether the followed job was read yet (`job` undefined after that: it was removed). */
  #read = false;
  readonly #clock = new Clock();

  constructor(private readonly client: ErrandClient) {}

  /** What the followed job waits for, against a clock that ticks while it is followed: "Retrying in 12 s". */
  get waitText(): string {
    return this.job ? waitReasonText(this.job, this.#clock.now) : '';
  }

  /**
   * Follows the newest job of `type` live: one started later, in this tab or another, is
   * followed in its place, unless the job followed here is still under way (it is kept for the
   * person watching it here). Runs the clock of `waitText` meanwhile. Returns the stop.
   */
  followNewest(type: string, fileNameOf: (job: JobRecord) => string): () => void {
    let newest: string | undefined;
    const stopClock = this.#clock.start();
    const unsubscribe = this.client.watch({ type, limit: 1 }).subscribe(
      ([latest]) => {
        if (latest === undefined || latest.id === newest) return;
        newest = latest.id;
        if (!this.#underWay) this.follow(latest.id, fileNameOf(latest));
      },
      // A store that cannot be read leaves nothing to follow; the app's alert, or the page's
      // next command, says why.
      () => undefined,
    );
    return () => {
      stopClock();
      unsubscribe();
    };
  }

  /**
   * Follows job `id` in place of the current one, offering its attached `fileName` once it
   * completes. The job shown until then, with its file, stays shown until the new one is read:
   * its card is not taken away and drawn again a moment later, which moved what is below it.
   */
  follow(id: string, fileName: string): void {
    if (id === this.#following) return;
    this.#stop?.();
    this.#following = id;
    this.#read = false;
    this.#stop = this.client.watchJob(id).subscribe((job) => {
      if (this.#following !== id) return;
      if (!this.#read) {
        this.#releaseFile();
        this.fileName = fileName;
      }
      this.#read = true;
      this.job = job;
      if (job?.status === 'completed' && this.fileUrl === undefined) void this.#loadFile(id);
    });
  }

  /** True while the followed job may still change on its own. */
  get active(): boolean {
    return this.job !== undefined && !isTerminal(this.job.status);
  }

  /** A job is followed that has not finished, or has not been read yet. */
  get #underWay(): boolean {
    if (this.#following === undefined) return false;
    return !this.#read || (this.job !== undefined && !isTerminal(this.job.status));
  }

  /** True when the followed job stopped and may be run again: cancelled, or failed for a reason that may pass. */
  get retryable(): boolean {
    const job = this.job;
    return job?.status === 'cancelled' || (job?.status === 'failed' && job.error?.retryable !== false);
  }

  /** Runs the followed job again from its checkpoint; rejects with the worker's typed error. */
  async retry(): Promise<void> {
    const id = this.job?.id;
    if (id !== undefined) await this.client.retry(id);
  }

  dispose(): void {
    this.#release();
    this.#following = undefined;
  }

  async #loadFile(id: string): Promise<void> {
    const file = (await this.client.files(id)).find((candidate) => candidate.name === this.fileName);
    if (!file || this.#following !== id || this.fileUrl !== undefined) return;
    this.fileUrl = URL.createObjectURL(file.blob);
    this.fileSize = file.size;
  }

  #release(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#releaseFile();
    this.job = undefined;
  }

  #releaseFile(): void {
    if (this.fileUrl !== undefined) URL.revokeObjectURL(this.fileUrl);
    this.fileUrl = undefined;
    this.fileSize = undefined;
  }
}

/** What a person can do to a followed job from its card. */
export interface FollowedCommands {
  pause(): Promise<void>;
  resume(): Promise<void>;
  cancel(): Promise<void>;
  /** Runs a failed or cancelled job again, from its last checkpoint. */
  retry(): Promise<void>;
}

/**
 * The commands of the job `followed` shows. Each first clears an earlier refusal (`show` gets
 * undefined), then shows its own refusal's message, if any.
 */
export function followedCommands(
  client: ErrandClient,
  followed: FollowedJob,
  show: (message: string | undefined) => void,
): FollowedCommands {
  const command = async (run: (id: string) => Promise<unknown>): Promise<void> => {
    const id = followed.job?.id;
    if (id === undefined) return;
    show(undefined);
    try {
      await run(id);
    } catch (error) {
      show(error instanceof Error ? error.message : String(error));
    }
  };
  return {
    pause: () => command((id) => client.pause(id)),
    resume: () => command((id) => client.resume(id)),
    cancel: () => command((id) => client.cancel(id)),
    retry: () => command(() => followed.retry()),
  };
}
