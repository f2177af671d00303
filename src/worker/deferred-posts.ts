import { nextTask } from '../shared';

/**
 * Posts messages on BroadcastChannels in the task after they are handed over, in the order
 * they were. A post clones its message and hands it to the browser, tens of microseconds each;
 * made at once, the change feed's and the nudge's posts sat between a commit and the answer to
 * the caller waiting for it. Deferred, they run while the next write waits for the disk.
 */
export class DeferredPosts {
  #queue: { readonly channel: BroadcastChannel; readonly message: unknown }[] = [];
  #scheduled = false;

  post(channel: BroadcastChannel, message: unknown): void {
    this.#queue.push({ channel, message });
    if (this.#scheduled) return;
    this.#scheduled = true;
    void nextTask().then(() => this.flush());
  }

  /** Posts everything handed over so far, now: before the channels close. */
  flush(): void {
    this.#scheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    for (const { channel, message } of queue) {
      try {
        channel.postMessage(message);
      } catch {
        // The channel closed with the runtime while a transaction was finishing: nobody is left to tell.
      }
    }
  }
}
