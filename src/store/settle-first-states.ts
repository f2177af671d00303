/**
 * What the requests of an insert first come to, before it writes: an answer from the cache, and
 * the first state of each new job from its dependencies.
 */
import type { JobRecord } from '../shared';
import { enqueuedAs, type DependencyStates } from './dependencies';

/** A new job completed at once with a stored result. */
export function fromCache(job: JobRecord, result: unknown, now: number): JobRecord {
  const { waitReason: _waitReason, ...rest } = job;
  return {
    ...rest,
    status: 'completed',
    result,
    cacheHit: true,
    progress: 1,
    completedAt: now,
    history: [...job.history, { status: 'completed', at: now }],
  };
}

/**
 * Sets, in place in `out`, the first state of each new job of an insert from its dependencies
 * (`enqueuedAs`): those stored, and those of the same insert as they came out. A request joined
 * to another job stands for that job, so its dependents depend on that job instead; requests
 * joined to a new job of the insert answer with that job's first state.
 */
export function settleFirstStates(
  out: JobRecord[],
  kinds: readonly ('new' | 'hit' | 'joined')[],
  requests: readonly JobRecord[],
  stored: DependencyStates,
  now: number,
): void {
  if (stored.size === 0) return;
  const dependencies = new Map(stored);
  const joinedAs = new Map<string, string>();
  requests.forEach((request, i) => {
    const outcome = out[i] as JobRecord;
    dependencies.set(request.id, outcome);
    if (outcome.id === request.id) return;
    joinedAs.set(request.id, outcome.id);
    dependencies.set(outcome.id, outcome);
  });
  const firstStates = new Map<string, JobRecord>();
  kinds.forEach((kind, i) => {
    if (kind !== 'new') return;
    const job = out[i] as JobRecord;
    const named = job.dependsOn ?? [];
    const dependsOn = named.some((id) => joinedAs.has(id))
      ? [...new Set(named.map((id) => joinedAs.get(id) ?? id))]
      : undefined;
    const first = enqueuedAs(dependsOn ? { ...job, dependsOn } : job, dependencies, now);
    out[i] = first;
    firstStates.set(first.id, first);
  });
  kinds.forEach((kind, i) => {
    if (kind === 'joined') out[i] = firstStates.get((out[i] as JobRecord).id) ?? (out[i] as JobRecord);
  });
}
