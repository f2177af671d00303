/** What Errand needs of the Web Locks API (`navigator.locks`), on the page and in the worker. */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => unknown): Promise<unknown>;
}
