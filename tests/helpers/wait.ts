import type { ErrandClient, Watchable } from '../../src/client';
import type { JobRecord } from '../../src/shared';

/** Resolves with the first value of `watchable` that `predicate` takes (no polling, no sleeps). */
export function untilValue<T>(watchable: Watchable<T>, predicate: (value: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    let stop: (() => void) | undefined = undefined;
    let done = false;
    stop = watchable.subscribe(
      (value) => {
        if (done || !predicate(value)) return;
        done = true;
        stop?.();
        resolve(value);
      },
      (error) => reject(error),
    );
    if (done) stop();
  });
}

/** Resolves with the job once `predicate` holds for it, watching the store. */
export async function untilJob(
  client: ErrandClient,
  id: string,
  predicate: (job: JobRecord) => boolean,
): Promise<JobRecord> {
  return (await untilValue(client.watchJob(id), (job) => job !== undefined && predicate(job))) as JobRecord;
}

/** Resolves once the jobs (up to 10,000, newest first) satisfy `predicate`. */
export function untilJobs(client: ErrandClient, predicate: (jobs: JobRecord[]) => boolean): Promise<JobRecord[]> {
  return untilValue(client.watch({ limit: 10_000 }), predicate);
}
