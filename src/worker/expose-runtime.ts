/// <reference lib="webworker" />
import { expose, type Endpoint } from 'comlink';
import { answeringEndpoint, type LockManagerLike, type MessageEndpoint, type WorkerApi } from '../shared';
import { contextLocks } from './runner-lock';
import { holdWorkerLife, withWorkerLife } from './worker-life';

export interface ExposeOptions {
  /** Where the page's calls arrive. @default the worker's global scope */
  readonly scope?: MessageEndpoint;
  /** The Web Locks the worker's life lock is taken from. @default `navigator.locks` */
  readonly locks?: LockManagerLike;
}

/**
 * Exposes a runtime to the page that started this worker, the way `connectErrand` expects it:
 * - its status names a lock held while this worker lives, so the page learns when the worker
 *   ended and fails every pending and new command with `worker` (see `withWorkerLife`);
 * - a call whose message this worker cannot read is answered with `data-clone`, instead of being
 *   left waiting for ever (see `answeringEndpoint`).
 * Call it once, from the worker's entry module.
 */
export function exposeRuntime(runtime: { readonly api: WorkerApi }, options: ExposeOptions = {}): void {
  const api = withWorkerLife(runtime.api, holdWorkerLife(options.locks ?? contextLocks()));
  expose(api, answeringEndpoint(options.scope ?? self) as unknown as Endpoint);
}
