import type { Clock } from '../shared';
import { WRITE_RETRY_MAX_MS, WRITE_RETRY_MS } from './runtime-constants';

/** What waking the jobs that wait for the network needs from the runtime. */
export interface OfflineWakeDeps {
  readonly clock: Clock;
  /** Requeues every job that waits for the network (one write). */
  readonly wake: () => Promise<unknown>;
  /** Whether a wake is still wanted: this runtime runs the jobs, and the network is up. */
  readonly wanted: () => boolean;
  /** Whether the store refused for good: upgraded, closed or denied, or this runtime is done with it. */
  readonly lasting: (error: unknown) => boolean;
  /** Called once a wake is stored: the woken jobs can be claimed. */
  readonly woken: () => void;
}

/**
 * Wakes the jobs that wait for the network when it comes back. The next change of the network
 * may be hours away, so a wake the store refuses (full, or a passing failure) is tried again,
 * 1 s after the first refusal and up to 10 s apart, for as long as it is wanted; it never
 * rejects. One wake runs at a time: a call during it wakes once more after it, for jobs sent to
 * wait after the running one read the store.
 */
export class OfflineWake {
  #running = false;
  #again = false;

  constructor(private readonly deps: OfflineWakeDeps) {}

  /** Wakes the waiting jobs, now or after the wake under way; resolves when no wake is left to try. */
  async run(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      do {
        this.#again = false;
        await this.#untilStored();
      } while (this.#again);
    } finally {
      this.#running = false;
    }
  }

  async #untilStored(): Promise<void> {
    const { clock, wake, wanted, lasting, woken } = this.deps;
    for (let wait = WRITE_RETRY_MS; wanted(); wait = Math.min(wait * 2, WRITE_RETRY_MAX_MS)) {
      try {
        await wake();
        woken();
        return;
      } catch (error) {
        if (lasting(error)) return;
      }
      await new Promise<void>((resolve) => clock.setTimeout(resolve, wait));
    }
  }
}
