import type { Clock, TimerHandle } from '../shared';
import type { ProgressUpdate } from '../store';

/**
 * Throttles a job's progress to one write per `intervalMs`, always writing the latest value
 * (trailing edge). The first write also waits `intervalMs` from the attempt's start: a job
 * done sooner writes no progress at all (its completion says 100%), and no one sees a bar for
 * work that short. Writes never overlap: the next waits for the previous.
 */
export class ProgressReporter {
  private pending: ProgressUpdate | undefined;
  private lastWrite: number;
  private timer: TimerHandle | undefined;
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly write: (update: ProgressUpdate) => Promise<void>,
  ) {
    this.lastWrite = clock.now();
  }

  report(update: ProgressUpdate): void {
    if (this.stopped) return;
    this.pending = update;
    if (this.timer !== undefined) return;
    const wait = this.lastWrite + this.intervalMs - this.clock.now();
    if (wait <= 0) this.flush();
    else this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  /** Drops what is pending and waits for a write in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    await this.writing;
  }

  private flush(): void {
    this.timer = undefined;
    const update = this.pending;
    if (!update || this.stopped) return;
    this.pending = undefined;
    this.lastWrite = this.clock.now();
    this.writing = this.writing.then(() => this.write(update)).catch(() => undefined);
  }
}
