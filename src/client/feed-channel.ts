import { isJobFeedMessage, jobFeedChannelName, type JobFeedMessage } from '../shared';

/**
 * One client's ear on the change feed of its database: a BroadcastChannel, open only while a
 * view listens (an open channel keeps a Node process alive). Where BroadcastChannel is missing,
 * nothing is heard and views follow the store alone.
 */
export class FeedChannel {
  readonly #listeners = new Set<(message: JobFeedMessage) => void>();
  #channel: BroadcastChannel | undefined;
  #closed = false;

  constructor(private readonly dbName: string) {}

  /** Calls `listener` with each announcement; returns the unsubscribe. */
  subscribe(listener: (message: JobFeedMessage) => void): () => void {
    if (this.#closed || typeof BroadcastChannel !== 'function') return () => undefined;
    this.#listeners.add(listener);
    if (!this.#channel) {
      this.#channel = new BroadcastChannel(jobFeedChannelName(this.dbName));
      this.#channel.addEventListener('message', (event: MessageEvent<unknown>) => {
        if (!isJobFeedMessage(event.data)) return;
        for (const each of [...this.#listeners]) each(event.data);
      });
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#shut();
    };
  }

  /** Stops listening for good. */
  close(): void {
    this.#closed = true;
    this.#listeners.clear();
    this.#shut();
  }

  #shut(): void {
    this.#channel?.close();
    this.#channel = undefined;
  }
}
