import { reduceJob, type JobAction, type JobRecord } from '../shared';
import type { ErrandDb, StoredJob } from './db';
import { withIndexKeys } from './index-keys';

/** What to do with a queued job whose dependencies are not all completed, or nothing if they are. */
export async function dependencyAction(jobs: ErrandDb['jobs'], job: StoredJob): Promise<JobAction | undefined> {
  if (!job.dependsOn || job.dependsOn.length === 0) return undefined;
  const deps = await jobs.bulkGet([...job.dependsOn]);
  if (deps.every((dep) => dep?.status === 'completed')) return undefined;
  const broken = deps.findIndex((dep) => !dep || dep.status === 'failed' || dep.status === 'cancelled');
  if (broken >= 0) {
    return {
      type: 'fail',
      error: {
        name: 'DependencyFailedError',
        code: 'dependency-failed',
        message: `Job ${job.dependsOn[broken] ?? ''} it depends on did not complete`,
        retryable: false,
      },
    };
  }
  return { type: 'wait', reason: 'dependencies' };
}

/** Wakes jobs that wait on `changed` jobs which just ended. */
export async function wakeDependents(
  jobs: ErrandDb['jobs'],
  changed: readonly JobRecord[],
  now: number,
): Promise<void> {
  const ended = changed.filter(
    (job) => job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled',
  );
  if (ended.length === 0) return;
  const dependents = await jobs
    .where('dependsOn')
    .anyOf(ended.map((job) => job.id))
    .toArray();
  const waiting = dependents.filter((job) => job.status === 'waiting' && job.waitReason === 'dependencies');
  await jobs.bulkPut(waiting.map((job) => withIndexKeys(reduceJob(job, { type: 'wake' }, now))));
}
