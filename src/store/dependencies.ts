import { reduceJob, type JobAction, type JobRecord } from '../shared';
import type { ErrandDb, StoredJob } from './db';
import { withIndexKeys } from './index-keys';

/**
 * What to do with each queued job whose dependencies are not all completed (absent: it can
 * run). One request reads every dependency of every job; jobs without dependencies cost none,
 * and the transaction is never left waiting on anything but the database.
 */
export async function dependencyActions(
  jobs: ErrandDb['jobs'],
  queued: readonly StoredJob[],
  /** Jobs changed earlier in the same transaction, as they are now. */
  changed: readonly JobRecord[] = [],
): Promise<Map<string, JobAction>> {
  const actions = new Map<string, JobAction>();
  const status = new Map<string, string | undefined>(changed.map((job) => [job.id, job.status]));
  const ids = [...new Set(queued.flatMap((job) => job.dependsOn ?? []))].filter((id) => !status.has(id));
  if (ids.length > 0) {
    const found = await jobs.bulkGet(ids);
    ids.forEach((id, i) => status.set(id, found[i]?.status));
  }
  for (const job of queued) {
    const action = dependencyAction(job, status);
    if (action) actions.set(job.id, action);
  }
  return actions;
}

function dependencyAction(job: StoredJob, status: ReadonlyMap<string, string | undefined>): JobAction | undefined {
  const deps = job.dependsOn ?? [];
  if (deps.every((id) => status.get(id) === 'completed')) return undefined;
  const broken = deps.find((id) => {
    const state = status.get(id);
    return state === undefined || state === 'failed' || state === 'cancelled';
  });
  if (broken !== undefined) {
    return {
      type: 'fail',
      error: {
        name: 'DependencyFailedError',
        code: 'dependency-failed',
        message: `Job ${broken} it depends on did not complete`,
        retryable: false,
      },
    };
  }
  return { type: 'wait', reason: 'dependencies' };
}

/** Ids of the jobs in `changed` that ended (completed, failed or cancelled). */
function endedIds(changed: readonly JobRecord[]): Set<string> {
  return new Set(
    changed
      .filter((job) => job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled')
      .map((job) => job.id),
  );
}

/**
 * The jobs to wake among `dependents` (read beforehand: the jobs whose `dependsOn` holds one of
 * `changed`): those waiting for dependencies of which one just ended.
 */
export function dependentsToWake(
  dependents: readonly StoredJob[],
  changed: readonly JobRecord[],
  now: number,
): StoredJob[] {
  const ended = endedIds(changed);
  if (ended.size === 0) return [];
  return dependents
    .filter(
      (job) =>
        job.status === 'waiting' &&
        job.waitReason === 'dependencies' &&
        (job.dependsOn ?? []).some((id) => ended.has(id)),
    )
    .map((job) => withIndexKeys(reduceJob(job, { type: 'wake' }, now)));
}

/** Wakes jobs that wait on `changed` jobs which just ended; returns how many it woke. */
export async function wakeDependents(
  jobs: ErrandDb['jobs'],
  changed: readonly JobRecord[],
  now: number,
): Promise<number> {
  const ended = endedIds(changed);
  if (ended.size === 0) return 0;
  const dependents = await jobs
    .where('dependsOn')
    .anyOf([...ended])
    .toArray();
  const woken = dependentsToWake(dependents, changed, now);
  await jobs.bulkPut(woken);
  return woken.length;
}
