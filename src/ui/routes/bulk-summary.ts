import type { BulkResult, JobStatus } from '../../client';

export const BULK_ACTIONS = ['Pause', 'Resume', 'Cancel', 'Retry', 'Remove'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
/** What a command did, as its report says it: `Paused 2 jobs.` */
export const BULK_PAST: Readonly<Record<BulkAction, string>> = {
  Pause: 'Paused',
  Resume: 'Resumed',
  Cancel: 'Cancelled',
  Retry: 'Retried',
  Remove: 'Removed',
};
const SKIP_REASONS: Record<string, readonly [one: string, many: string]> = {
  'invalid-transition': ['not in a state that allows it', 'not in a state that allows it'],
  'not-found': ['no longer exists', 'no longer exist'],
};

/** How many jobs have each status, most first: "280 completed, 20 failed". */
export function statusCounts(statuses: Iterable<JobStatus>): string {
  const byStatus = new Map<JobStatus, number>();
  for (const status of statuses) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  return [...byStatus]
    .sort((a, b) => b[1] - a[1])
    .map(([status, count]) => `${count.toLocaleString()} ${status}`)
    .join(', ');
}

/**
 * "Retried 3 jobs. Skipped 2: not in a state that allows it." Given the statuses of the skipped
 * jobs (`statusOf`), a refusal says which they were: "Skipped 300: 280 completed, 20 failed."
 */
export function summarize(
  action: BulkAction,
  result: BulkResult,
  statusOf?: (id: string) => JobStatus | undefined,
): string {
  const changed = result.changed.length;
  let text = `${BULK_PAST[action]} ${changed.toLocaleString()} ${changed === 1 ? 'job' : 'jobs'}.`;
  if (result.skipped.length === 0) return text;
  const byCode = new Map<string, number>();
  const refusedStatuses: JobStatus[] = [];
  for (const { id, code } of result.skipped) {
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
    const status = code === 'invalid-transition' ? statusOf?.(id) : undefined;
    if (status !== undefined) refusedStatuses.push(status);
  }
  const refusedCount = byCode.get('invalid-transition') ?? 0;
  const statusesKnown = refusedCount > 0 && refusedStatuses.length === refusedCount;
  const reason = (code: string, count: number) =>
    code === 'invalid-transition' && statusesKnown
      ? statusCounts(refusedStatuses)
      : (SKIP_REASONS[code]?.[count === 1 ? 0 : 1] ?? code);
  const reasons =
    byCode.size === 1
      ? [...byCode].map(([code, count]) => reason(code, count))
      : [...byCode].map(([code, count]) =>
          code === 'invalid-transition' && statusesKnown
            ? reason(code, count)
            : `${count.toLocaleString()} ${reason(code, count)}`,
        );
  text += ` Skipped ${result.skipped.length.toLocaleString()}: ${reasons.join('; ')}.`;
  return text;
}
