import { InvalidInputError, isTerminal, reduceJob, type JobAction, type JobRecord } from '../shared';
import type { ErrandDb, StoredJob } from './db';
import { withIndexKeys } from './index-keys';

/** Most unknown ids a refused enqueue names; the rest are counted. */
const MAX_NAMED_IDS = 10;

/**
 * Inside the transaction that stores `incoming`: refuses them all (`invalid-input`) when one of
 * them depends on a job that does not exist, rather than store a job that could only fail at its
 * first claim. Read in the same transaction, a dependency cannot be removed between the check
 * and the write. A job of `incoming` counts as existing. Requests without dependencies (nearly
 * every enqueue) make no read here.
 */
export async function assertDependenciesExist(jobs: ErrandDb['jobs'], incoming: readonly JobRecord[]): Promise<void> {
  if (!incoming.some((job) => job.dependsOn !== undefined && job.dependsOn.length > 0)) return;
  const own = new Set(incoming.map((job) => job.id));
  const ids = [...new Set(incoming.flatMap((job) => job.dependsOn ?? []))].filter((id) => !own.has(id));
  if (ids.length === 0) return;
  const found = await jobs.bulkGet(ids);
  const unknown = ids.filter((_id, i) => found[i] === undefined);
  if (unknown.length === 0) return;
  const named = unknown.slice(0, MAX_NAMED_IDS).join(', ');
  const more = unknown.length > MAX_NAMED_IDS ? ` and ${unknown.length - MAX_NAMED_IDS} more` : '';
  throw new InvalidInputError(
    unknown.length === 1
      ? `dependsOn names a job that does not exist: ${named}`
      : `dependsOn names jobs that do not exist: ${named}${more}`,
  );
}

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
  const known = new Map<string, Dependency | undefined>(changed.map((job) => [job.id, job]));
  const ids = [...new Set(queued.flatMap((job) => job.dependsOn ?? []))].filter((id) => !known.has(id));
  if (ids.length > 0) {
    const found = await jobs.bulkGet(ids);
    ids.forEach((id, i) => known.set(id, found[i]));
  }
  for (const job of queued) {
    const action = dependencyAction(job, known);
    if (action) actions.set(job.id, action);
  }
  return actions;
}

/** What a dependent needs to know of a dependency: undefined for one not stored. */
type Dependency = Pick<JobRecord, 'status' | 'label'>;

function dependencyAction(job: StoredJob, known: ReadonlyMap<string, Dependency | undefined>): JobAction | undefined {
  const deps = job.dependsOn ?? [];
  if (deps.every((id) => known.get(id)?.status === 'completed')) return undefined;
  const broken = deps.find((id) => {
    const state = known.get(id)?.status;
    return state === undefined || state === 'failed' || state === 'cancelled';
  });
  if (broken !== undefined) {
    return {
      type: 'fail',
      error: {
        name: 'DependencyFailedError',
        code: 'dependency-failed',
        message: brokenMessage(broken, known.get(broken)),
        retryable: false,
      },
    };
  }
  return { type: 'wait', reason: 'dependencies' };
}

/** Why a dependent cannot run, naming the dependency by its label where it is still stored. */
function brokenMessage(id: string, dependency: Dependency | undefined): string {
  if (!dependency) return `The job it depends on (${id}) was removed before it completed`;
  const what = dependency.status === 'cancelled' ? 'was cancelled' : 'failed';
  return `“${dependency.label}”, which it depends on, ${what}`;
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

/**
 * Inside the transaction that removes `removed`: their dependents (the jobs not removed that
 * wait on one of them) are not left waiting for a job that is gone. A removed dependency that had
 * completed did what its dependents waited for, and leaves their `dependsOn`; a dependent waiting
 * on dependencies wakes, so that the next claim runs it, or fails it (`dependency-failed`) for a
 * dependency removed before it completed. Returns how many dependents changed.
 */
export async function releaseDependents(
  jobs: ErrandDb['jobs'],
  removed: readonly StoredJob[],
  now: number,
): Promise<number> {
  if (removed.length === 0) return 0;
  const removedIds = new Set(removed.map((job) => job.id));
  const completed = new Set(removed.filter((job) => job.status === 'completed').map((job) => job.id));
  const dependents = new Map<string, StoredJob>();
  for (const job of await jobs
    .where('dependsOn')
    .anyOf([...removedIds])
    .toArray()) {
    if (!removedIds.has(job.id) && !isTerminal(job.status)) dependents.set(job.id, job);
  }
  const changed: StoredJob[] = [];
  for (const job of dependents.values()) {
    const dependsOn = (job.dependsOn ?? []).filter((id) => !completed.has(id));
    let next: JobRecord = job;
    if (dependsOn.length !== (job.dependsOn ?? []).length) {
      const { dependsOn: _before, ...rest } = job;
      next = dependsOn.length > 0 ? { ...rest, dependsOn } : rest;
    }
    if (next.status === 'waiting' && next.waitReason === 'dependencies') next = reduceJob(next, { type: 'wake' }, now);
    if (next !== job) changed.push(withIndexKeys(next));
  }
  await jobs.bulkPut(changed);
  return changed.length;
}
