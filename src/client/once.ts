/**
 * Something the page is told once (the store lost, the worker failed, jobs cannot run here):
 * listeners added before hear it when it comes, listeners added after hear it at once.
 */
export class Once<T> {
  #told: { readonly value: T } | undefined;
  readonly #listeners = new Set<(value: T) => void>();

  /** What was told, if it was. */
  get value(): T | undefined {
    return this.#told?.value;
  }

  /** Tells every listener; returns false, telling no one, when it was told before. */
  tell(value: T): boolean {
    if (this.#told) return false;
    this.#told = { value };
    for (const listener of [...this.#listeners]) listener(value);
    this.#listeners.clear();
    return true;
  }

  /** Returns the unsubscribe. */
  listen(listener: (value: T) => void): () => void {
    if (this.#told) {
      listener(this.#told.value);
      return () => undefined;
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Drops the listeners: none will be told. */
  clear(): void {
    this.#listeners.clear();
  }
}
