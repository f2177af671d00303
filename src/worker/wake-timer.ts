import type { Clock, TimerHandle } from '../shared';

/** One pending wake-up at the earliest time asked for; later requests do not delay it. */
export class WakeTimer {
  private timer: TimerHandle | undefined;
  private at: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly onWake: () => void,
  ) {}

  /** Wakes at `at` unless an earlier wake-up is already set. */
  schedule(at: number): void {
    if (this.timer !== undefined && this.at !== undefined && this.at <= at) return;
    this.clear();
    this.at = at;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.at = undefined;
        this.onWake();
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  clear(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.at = undefined;
  }
}
