import type { JobRecord } from '../shared';
import type { ErrandDb, MetaRecord } from './db';

/** The `meta` key of the completions tally. */
export const COMPLETIONS_KEY = 'completionsPerMinute';
const TALLY_MINUTE_MS = 60_000;
/** Minutes the tally keeps, counting back from the newest. */
const TALLY_MINUTES = 60;

/** Jobs completed in one wall-clock minute: `minute` is its start (epoch ms). */
export interface MinuteTally {
  readonly minute: number;
  readonly count: number;
}

function isTally(value: unknown): value is readonly MinuteTally[] {
  return (
    Array.isArray(value) &&
    value.every(
      (entry: unknown) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as MinuteTally).minute === 'number' &&
        typeof (entry as MinuteTally).count === 'number',
    )
  );
}

/** The stored tally, oldest minute first (empty where none is stored or it is not one). */
export function readTally(record: MetaRecord | undefined): readonly MinuteTally[] {
  return isTally(record?.value) ? record.value : [];
}

/**
 * The tally with the jobs of `changed` that are completed now added to the minute of `now`, and
 * minutes older than `TALLY_MINUTES` before it dropped; undefined when none completed (nothing
 * to write). Written in the same transaction as the completions, so it counts each exactly once,
 * however many complete at once and however long ago they were enqueued.
 */
export function addCompletions(
  stored: MetaRecord | undefined,
  changed: readonly Pick<JobRecord, 'status'>[],
  now: number,
): MetaRecord | undefined {
  const completed = changed.filter((job) => job.status === 'completed').length;
  if (completed === 0) return undefined;
  const minute = Math.floor(now / TALLY_MINUTE_MS) * TALLY_MINUTE_MS;
  const oldest = minute - (TALLY_MINUTES - 1) * TALLY_MINUTE_MS;
  const tally = readTally(stored);
  const kept = tally.filter((entry) => entry.minute >= oldest && entry.minute !== minute);
  const current = tally.find((entry) => entry.minute === minute)?.count ?? 0;
  const value: MinuteTally[] = [...kept, { minute, count: current + completed }].sort((a, b) => a.minute - b.minute);
  return { key: COMPLETIONS_KEY, value };
}

/** Inside a read-write transaction on `meta`: adds the completions among `changed` (see `addCompletions`). */
export async function tallyCompletions(
  db: ErrandDb,
  changed: readonly Pick<JobRecord, 'status'>[],
  now: number,
): Promise<void> {
  if (!changed.some((job) => job.status === 'completed')) return;
  const next = addCompletions(await db.meta.get(COMPLETIONS_KEY), changed, now);
  if (next) await db.meta.put(next);
}
