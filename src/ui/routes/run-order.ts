import { priorityOrder, type JobRecord, type Priority } from '../../client';

/** Queued jobs in the order the runner takes them: priority, then rank, then age. */
export function compareRunOrder(a: JobRecord, b: JobRecord): number {
  return priorityOrder(a.priority) - priorityOrder(b.priority) || a.rank - b.rank || a.createdAt - b.createdAt;
}

/**
 * Where a job lands when moved from `from` to gap `to` of a run-ordered list: the priority of
 * its new neighbours and a rank midway between theirs. Undefined when it would not move.
 */
export function placement(
  list: readonly JobRecord[],
  from: number,
  to: number,
): { priority: Priority; rank: number } | undefined {
  if (to === from || to === from + 1) return undefined;
  const rest = list.filter((_, i) => i !== from);
  const gap = to > from ? to - 1 : to;
  const above = rest[gap - 1];
  const below = rest[gap];
  if (above && below && above.priority === below.priority) {
    return { priority: below.priority, rank: (above.rank + below.rank) / 2 };
  }
  if (below) return { priority: below.priority, rank: below.rank - 1 };
  if (above) return { priority: above.priority, rank: above.rank + 1 };
  return undefined;
}
