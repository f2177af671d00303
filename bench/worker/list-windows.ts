/**
 * Windows further into a long list, as the Console reads them when it is scrolled: 100 steps of
 * a 5,000-step journal (each with a CSV batch's 8 KB output), and pages of 100 deep in a job
 * list of 5,000 jobs. Each is read by Errand's query (`JobQueries.stepRange`, `JobQueries.list`)
 * and, in turns with it, by Dexie's offset and limit over the same index: a cursor over the
 * records, which those queries used before.
 */
import type { StepRecord } from '../../src/shared';
import { ErrandDb, JobQueries } from '../../src/store';
import { jobsNewestFirst } from '../../src/store/jobs-newest-first';
import { deleteDatabase, quantile } from './measure';

const JOURNAL = 5_000;
const WINDOW = 100;
const JOB = 'journal';

/** Median ms of Errand's read and of the cursor read, over the same windows. */
export interface WindowFigures {
  readonly errandP50: number;
  readonly cursorP50: number;
}

/**
 * Reads the window at each offset both ways, in turns (which goes first alternates), checking
 * each read against the records expected there.
 */
async function inTurns<T>(
  offsets: readonly number[],
  errand: (offset: number) => Promise<T[]>,
  cursor: (offset: number) => Promise<T[]>,
  expected: (offset: number, window: readonly T[]) => boolean,
): Promise<WindowFigures> {
  const times = { errand: [] as number[], cursor: [] as number[] };
  for (const [round, offset] of offsets.entries()) {
    const reads = [
      ['errand', errand],
      ['cursor', cursor],
    ] as const;
    for (const [kind, read] of round % 2 === 1 ? [...reads].reverse() : reads) {
      const t0 = performance.now();
      const window = await read(offset);
      times[kind].push(performance.now() - t0);
      if (!expected(offset, window))
        throw new Error(`window at ${offset} (${kind}): ${window.length} records, not as expected`);
    }
  }
  return { errandP50: quantile(times.errand, 0.5), cursorP50: quantile(times.cursor, 0.5) };
}

/** The newest window, then windows further up, as a scrolled list reads them. */
function offsetsFrom(end: number, rounds: number): number[] {
  return Array.from({ length: rounds }, (_, round) => Math.max(0, end - WINDOW - (round % 5) * 300));
}

export async function stepWindows(dbName: string, rounds: number): Promise<WindowFigures> {
  await deleteDatabase(dbName);
  const db = new ErrandDb(dbName);
  try {
    // The steps of the `ui` group's journal (`seedSteps` in lib/ui.mjs, which runs in a page and
    // so cannot share a module with this worker).
    const csv = ''.padEnd(8_000, '2026-12-01,Coffee,-3.50,Food\r\n');
    const start = Date.now() - JOURNAL * 1_000;
    const steps = Array.from({ length: JOURNAL }, (_, i): StepRecord => ({
      jobId: JOB,
      name: `Rows ${i * 100 + 1}–${(i + 1) * 100}`,
      status: 'completed',
      runs: 1,
      output: { csv, categorized: 100 },
      startedAt: start + i * 1_000,
      finishedAt: start + i * 1_000 + 200,
    }));
    await db.steps.bulkPut(steps);
    const queries = new JobQueries(db);
    return await inTurns(
      offsetsFrom(JOURNAL, rounds),
      (offset) => queries.stepRange(JOB, offset, WINDOW),
      (offset) =>
        db.steps
          .where('[jobId+startedAt]')
          .between([JOB, -Infinity], [JOB, Infinity])
          .offset(offset)
          .limit(WINDOW)
          .toArray(),
      (offset, window) => window.length === WINDOW && window[0]?.name === steps[offset]?.name,
    );
  } finally {
    db.close();
    await deleteDatabase(dbName);
  }
}

/** Pages of 100 deep in the whole job list, newest first, of a store holding `count` jobs. */
export function jobPages(db: ErrandDb, count: number, rounds: number): Promise<WindowFigures> {
  const queries = new JobQueries(db);
  return inTurns(
    offsetsFrom(count, rounds),
    (offset) => queries.list({ offset, limit: WINDOW }),
    (offset) => jobsNewestFirst(db.jobs, {}).offset(offset).limit(WINDOW).toArray(),
    (_offset, window) => window.length === WINDOW,
  );
}
