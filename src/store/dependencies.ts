import { InvalidInputError, isTerminal, reduceJob, type JobAction, type JobRecord } from '../shared';
import type { ErrandDb, StoredJob } from './db';
import { withIndexKeys } from './index-keys';

/** Most unknown ids a refused enqueue names; the rest are counted. */
const MAX_NAMED_IDS = 10;

/** What the jobs `incoming` depend on are now, by id: undefined for one not stored. */
export type DependencyStates = ReadonlyMap<string, Dependency | undefined>;

/**
 * Inside the transaction that stores `incoming`: refuses them all (`invalid-input`) when one of
 * them depends on a job that does not exist, rather than store a job that could only fail at its
 * first claim; else returns what their dependencies are now (`enqueuedAs` takes it). Read in the
 * same transaction, a dependency cannot be removed or change between the read and the write. A
 * job of `incoming` counts as existing. Requests without dependencies (nearly every enqueue)
 * make no read here.
 */
export async function readDependencies(
  jobs: ErrandDb['jobs'],
  incoming: readonly JobRecord[],
): Promise<DependencyStates> {
  const known = new Map<string, Dependency | undefined>();
  if (!incoming.some((job) => job.dependsOn !== undefined && job.dependsOn.length > 0)) return known;
  for (const job of incoming) known.set(job.id, job);
  const ids = [...new Set(incoming.flatMap((job) => job.dependsOn ?? []))].filter((id) => !known.has(id));
  if (ids.length === 0) return known;
  const found = await jobs.bulkGet(ids);
  const unknown = ids.filter((_id, i) => found[i] === undefined);
  if (unknown.length === 0) {
    ids.forEach((id, i) => known.set(id, found[i]));
    return known;
  }
  const named = unknown.slice(0, MAX_NAMED_IDS).join(', ');
  const more = unknown.length > MAX_NAMED_IDS ? ` and ${unknown.length - MAX_NAMED_IDS} more` : '';
  throw new InvalidInputError(
    unknown.length === 1
      ? `dependsOn names a job that does not exist: ${named}`
      : `dependsOn names jobs that do not exist: ${named}${more}`,
  );
}

/**
 * A new job as it is stored, given what its dependencies are (`readDependencies`): queued with one
 * not completed, it waits for them (`dependencies`) from the start, rather than be listed as
 * queued, in the run order, until a claim reaches it; with one that failed or was cancelled, it
 * fails at once (`dependency-failed`, naming it), as that claim would. A job due later waits for
 * its time first; it is looked at again when it wakes.
 */
export function enqueuedAs(job: JobRecord, known: DependencyStates, now: number): JobRecord {
  if (job.status !== 'queued' || (job.dependsOn?.length ?? 0) === 0) return job;
  const action = dependencyAction(job, known);
  return action ? reduceJob(job, action, now) : job;
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

function dependencyAction(job: Pick<JobRecord, 'dependsOn'>, known: DependencyStates): JobAction | undefined {
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

/** Ids of the jobs in `jobs` that ended (completed, failed or cancelled). */
function endedIds(jobs: readonly JobRecord[]): Set<string> {
  return new Set(jobs.filter((job) => isTerminal(job.status)).map((job) => job.id));
}

/** Jobs read beforehand with other reads: those whose `dependsOn` holds one of `ids`. */
export interface ReadDependents {
  readonly ids: ReadonlySet<string>;
  readonly dependents: readonly StoredJob[];
  /**
   * Jobs the caller changed in memory and has not written yet, as they are now: a read that
   * finds one of them takes this version (a due job a claim round set to wait for its
   * dependencies still reads as waiting for its time).
   */
  readonly current?: ReadonlyMap<string, StoredJob>;
}

/**
 * Inside the transaction that changed `changed`: settles the jobs waiting on those of them that
 * ended. A dependent whose dependencies all completed wakes (the next claim runs it); one with a
 * dependency that failed, was cancelled or is gone fails now (`dependency-failed`, naming it),
 * and so, in turn, do the jobs waiting on it, in the same transaction. Before, they were woken to
 * the queue and failed by later claims a few at a time: a cancelled job with 500 dependents
 * listed them as queued for minutes, ahead of other work. Returns the settled jobs, to be written
 * by the caller; `read` spares the first read where it was made with others (a claim round).
 */
export async function settleDependents(
  jobs: ErrandDb['jobs'],
  changed: readonly JobRecord[],
  now: number,
  read?: ReadDependents,
): Promise<StoredJob[]> {
  const settled = new Map<string, StoredJob>();
  let ended = endedIds(changed);
  let first = true;
  while (ended.size > 0) {
    const unread = first && read ? [...ended].filter((id) => !read.ids.has(id)) : [...ended];
    const dependents = [
      ...(first && read ? read.dependents : []),
      ...(unread.length > 0 ? await jobs.where('dependsOn').anyOf(unread).toArray() : []),
    ].map((job) => read?.current?.get(job.id) ?? job);
    first = false;
    // Those waiting for their dependencies, and those enqueued since that no claim has looked
    // at yet (still queued).
    const waiting = new Map<string, StoredJob>();
    for (const job of dependents) {
      if (settled.has(job.id) || !awaitsDependencies(job)) continue;
      if ((job.dependsOn ?? []).some((id) => ended.has(id))) waiting.set(job.id, job);
    }
    if (waiting.size === 0) break;
    const actions = await dependencyActions(jobs, [...waiting.values()], [...changed, ...settled.values()]);
    const failed = new Set<string>();
    for (const job of waiting.values()) {
      const next = settleOne(job, actions.get(job.id), now);
      if (!next) continue;
      settled.set(job.id, next);
      if (next.status === 'failed') failed.add(job.id);
    }
    ended = failed;
  }
  return [...settled.values()];
}

/** Whether a job waits for its dependencies, or was enqueued with some and no claim has looked at it yet. */
function awaitsDependencies(job: StoredJob): boolean {
  return job.status === 'queued' || (job.status === 'waiting' && job.waitReason === 'dependencies');
}

/**
 * What becomes of a job that awaits its dependencies, given what its dependencies' state calls
 * for (absent: all completed): it fails, or wakes from its wait; undefined where it stays as it
 * is (a queued job stays for the claim to start, or to set waiting; a waiting one waits on).
 */
function settleOne(job: StoredJob, action: JobAction | undefined, now: number): StoredJob | undefined {
  const next = action ?? { type: 'wake' as const };
  if (next.type === 'wait' || (next.type === 'wake' && job.status === 'queued')) return undefined;
  return withIndexKeys(reduceJob(job, next, now));
}

/**
 * Settles the jobs waiting on `changed` jobs that ended (see `settleDependents`) and writes them;
 * returns them as written.
 */
export async function writeSettledDependents(
  jobs: ErrandDb['jobs'],
  changed: readonly JobRecord[],
  now: number,
): Promise<StoredJob[]> {
  if (!changed.some((job) => isTerminal(job.status))) return [];
  const settled = await settleDependents(jobs, changed, now);
  if (settled.length > 0) await jobs.bulkPut(settled);
  return settled;
}

/**
 * Inside the transaction that removes `removed` (deleted already): their dependents (the jobs not
 * removed that wait on one of them) are not left waiting for a job that is gone. A removed
 * dependency that had completed did what its dependents waited for, and leaves their `dependsOn`;
 * one removed before it completed fails them (`dependency-failed`), and the jobs waiting on those
 * in turn (see `settleDependents`). Returns how many dependents changed.
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
  // First their `dependsOn` loses the completed jobs removed: those are done with.
  const changed = new Map<string, StoredJob>();
  for (const job of dependents.values()) {
    const dependsOn = (job.dependsOn ?? []).filter((id) => !completed.has(id));
    if (dependsOn.length === (job.dependsOn ?? []).length) continue;
    const { dependsOn: _before, ...rest } = job;
    changed.set(job.id, withIndexKeys(dependsOn.length > 0 ? { ...rest, dependsOn } : rest));
  }
  // Then those that await them run, fail or wait on as their dependencies now allow.
  const waiting = [...dependents.values()].map((job) => changed.get(job.id) ?? job).filter(awaitsDependencies);
  const actions = await dependencyActions(jobs, waiting, [...changed.values()]);
  const failed: StoredJob[] = [];
  for (const job of waiting) {
    const next = settleOne(job, actions.get(job.id), now);
    if (!next) continue;
    changed.set(job.id, next);
    if (next.status === 'failed') failed.push(next);
  }
  const cascade = failed.length > 0 ? await settleDependents(jobs, failed, now) : [];
  for (const job of cascade) changed.set(job.id, job);
  await jobs.bulkPut([...changed.values()]);
  return changed.size;
}
