import { nextTask } from '../shared';

/** What one grouped write gives back to its caller alone. */
export type Outcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

/** The outcome of `apply`: its value, or what it threw. */
export function outcomeOf<R>(apply: () => R): Outcome<R> {
  try {
    return { ok: true, value: apply() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Most requests one transaction takes: a bigger group holds every caller in it longer. */
const MAX_GROUP = 50;

interface Queued<Q, R> {
  readonly request: Q;
  readonly resolve: (value: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for writes that many running attempts make at once (finished steps, progress):
 * the requests that arrive while the previous group is being written, or within one task, are
 * handed to `flush` together, which writes them in one transaction and gives each its own
 * outcome. A request refused on its own (a stale lease) fails alone and the others commit;
 * when `flush` fails (the transaction did not commit), every request of the group fails with
 * that error. Each caller is answered only after its group has committed.
 */
export class WriteGroup<Q, R> {
  #queue: Queued<Q, R>[] = [];
  #waiting = false;
  #writing = false;

  constructor(private readonly flush: (requests: readonly Q[]) => Promise<readonly Outcome<R>[]>) {}

  push(request: Q): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#waiting || this.#writing || this.#queue.length === 0) return;
    this.#waiting = true;
    void nextTask().then(() => this.#write());
  }

  async #write(): Promise<void> {
    this.#waiting = false;
    this.#writing = true;
    const group = this.#queue.splice(0, MAX_GROUP);
    try {
      const outcomes = await this.flush(group.map((item) => item.request));
      group.forEach((item, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) item.resolve(outcome.value);
        else item.reject(outcome ? outcome.error : new Error('A grouped write gave no outcome'));
      });
    } catch (error) {
      for (const item of group) item.reject(error);
    } finally {
      this.#writing = false;
      this.#schedule();
    }
  }
}
