import type { BulkResult } from '../../client';

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

/** "Retried 3 jobs. Skipped 2: not in a state that allows it." */
export function summarize(action: BulkAction, result: BulkResult): string {
  const changed = result.changed.length;
  let text = `${BULK_PAST[action]} ${changed} ${changed === 1 ? 'job' : 'jobs'}.`;
  if (result.skipped.length === 0) return text;
  const byCode = new Map<string, number>();
  for (const { code } of result.skipped) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  const reason = (code: string, count: number) => SKIP_REASONS[code]?.[count === 1 ? 0 : 1] ?? code;
  const reasons =
    byCode.size === 1
      ? [...byCode].map(([code, count]) => reason(code, count))
      : [...byCode].map(([code, count]) => `${count} ${reason(code, count)}`);
  text += ` Skipped ${result.skipped.length}: ${reasons.join('; ')}.`;
  return text;
}
