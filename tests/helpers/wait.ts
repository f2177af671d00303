import type { ErrandClient } from '../../src/client';
import type { JobRecord } from '../../src/shared';

/** Resolves with the job once `predicate` holds for it, watching the store (no polling, no sleeps). */
export function untilJob(client: ErrandClient, id: string, predicate: (job: JobRecord) => boolean): Promise<JobRecord> {
  return new Promise((resolve, reject) => {
    let stop: (() => void) | undefined = undefined;
    let done = false;
    stop = client.watchJob(id).subscribe(
      (job) => {
        if (done || !job || !predicate(job)) return;
        done = true;
        stop?.();
        resolve(job);
      },
      (error) => reject(error),
    );
    if (done) stop();
  });
}

/** Resolves once `count` jobs match `predicate`. */
export function untilJobs(client: ErrandClient, predicate: (jobs: JobRecord[]) => boolean): Promise<JobRecord[]> {
  return new Promise((resolve, reject) => {
    let stop: (() => void) | undefined = undefined;
    let done = false;
    stop = client.watch({ limit: 10_000 }).subscribe(
      (jobs) => {
        if (done || !predicate(jobs)) return;
        done = true;
        stop?.();
        resolve(jobs);
      },
      (error) => reject(error),
    );
    if (done) stop();
  });
}
