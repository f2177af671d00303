/**
 * The time a screen shows countdowns and ages against, as state: "Retrying in 12 s" or "3 min
 * ago" move on while the screen stays open, not only when their job changes. Only what reads
 * `now` redraws on a tick.
 */
export class Clock {
  now = $state(Date.now());

  /** `everyMs`: how often `now` moves on while the clock runs. */
  constructor(private readonly everyMs = 1_000) {}

  /** Sets `now` to this moment, then moves it on every `everyMs`; returns the stop. */
  start(): () => void {
    this.tick();
    const timer = setInterval(() => this.tick(), this.everyMs);
    return () => clearInterval(timer);
  }

  /** Sets `now` to this moment at once (news of a job is measured against the time it came). */
  tick(): void {
    this.now = Date.now();
  }
}
