import type { Remote } from 'comlink';
import { WorkerUnavailableError, type WorkerApi } from '../shared';
import { Once } from './once';

/** What the client needs of a Worker to tell whether it started. */
export type WorkerEvents = Pick<Worker, 'addEventListener' | 'removeEventListener'>;

/**
 * Whether the page's worker started. A worker whose script fails to load, or throws while it
 * starts, reports an `error` event and then answers nothing: every call to it would wait for
 * ever. Until the worker has answered its first call, an `error` event means it did not start;
 * from then on every call, pending or new, rejects with `worker`. After that first answer an
 * `error` event is a handler's uncaught error, which the worker survives, and is not a failure.
 */
export interface WorkerStart {
  /** Settles as `call` does, or rejects with `worker` once the worker is known not to have started. */
  guard<T>(call: Promise<T>): Promise<T>;
  /** Calls `listener` once the worker is known not to have started (at once if it is already). */
  onFailure(listener: (error: WorkerUnavailableError) => void): () => void;
  /** The worker ended after it had started (see `watchWorkerLife`): calls fail from now on. */
  stopped(reason: string): void;
  close(): void;
}

export function watchWorkerStart(worker: WorkerEvents, firstAnswer: Promise<unknown>): WorkerStart {
  const failure = new Once<WorkerUnavailableError>();
  let started = false;
  let reject: (error: WorkerUnavailableError) => void = () => undefined;
  const failed = new Promise<never>((_, rejectFailed) => (reject = rejectFailed));
  failed.catch(() => undefined);

  const fail = (error: WorkerUnavailableError): void => {
    if (failure.tell(error)) reject(error);
  };
  const onError = (event: Event): void => {
    stopListening();
    if (started) return;
    // An ErrorEvent (thrown while starting) has a message; a script that did not load, none.
    const message = (event as { message?: unknown }).message;
    fail(
      new WorkerUnavailableError(typeof message === 'string' && message !== '' ? message : 'its script did not load'),
    );
  };
  const stopListening = () => worker.removeEventListener('error', onError);
  worker.addEventListener('error', onError);
  firstAnswer.then(
    () => {
      started = true;
      stopListening();
    },
    () => undefined,
  );

  return {
    guard: (call) => (failure.value ? Promise.reject(failure.value) : Promise.race([call, failed])),
    onFailure: (listener) => failure.listen(listener),
    stopped(reason) {
      stopListening();
      fail(new WorkerUnavailableError(reason, 'stopped'));
    },
    close() {
      stopListening();
      failure.clear();
    },
  };
}

/** Every method of the worker API: a method missing here fails to compile. */
const WORKER_METHODS = [
  'enqueue',
  'enqueueMany',
  'pause',
  'resume',
  'cancel',
  'retry',
  'remove',
  'reprioritize',
  'saveSchedule',
  'setScheduleEnabled',
  'removeSchedule',
  'runScheduleNow',
  'previewSchedule',
  'jobTypes',
  'getSetting',
  'putSetting',
  'putSettings',
  'testAiConnection',
  'status',
  'onIdle',
] as const satisfies readonly (keyof WorkerApi)[];
type Unlisted = Exclude<keyof WorkerApi, (typeof WORKER_METHODS)[number]>;
const everyMethodListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyMethodListed;

/** The worker's API with every call guarded by `start` (see `WorkerStart.guard`). */
export function guardedApi(remote: Remote<WorkerApi>, start: WorkerStart): WorkerApi {
  // Comlink's proxy answers any method name with a call that posts it to the worker.
  const calls = remote as unknown as Record<(typeof WORKER_METHODS)[number], (...args: unknown[]) => Promise<unknown>>;
  return Object.fromEntries(
    WORKER_METHODS.map((name) => [name, (...args: unknown[]) => start.guard(calls[name](...args))]),
  ) as unknown as WorkerApi;
}
