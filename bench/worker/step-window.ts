/**
 * A window of a long step journal, as a job's page reads it when it opens on the newest steps
 * or is scrolled: 100 steps of a 5,000-step journal, each with a CSV batch's 8 KB output, read
 * by `JobQueries.stepRange` and, in turns with it, by Dexie's offset and limit over the same
 * index (a cursor over the records), which `stepRange` used before.
 */
import type { StepRecord } from '../../src/shared';
import { ErrandDb, JobQueries } from '../../src/store';
import { deleteDatabase, quantile } from './measure';

const JOURNAL = 5_000;
const WINDOW = 100;
const JOB = 'journal';

export interface StepWindowFigures {
  /** Median ms of `stepRange`. */
  readonly windowP50: number;
  /** Median ms of the cursor read. */
  readonly cursorP50: number;
}

export async function stepWindows(dbName: string, rounds: number): Promise<StepWindowFigures> {
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
    const byCursor = (offset: number) =>
      db.steps
        .where('[jobId+startedAt]')
        .between([JOB, -Infinity], [JOB, Infinity])
        .offset(offset)
        .limit(WINDOW)
        .toArray();
    const times = { window: [] as number[], cursor: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      // The newest window, then windows further up, as a scrolled journal reads them.
      const offset = JOURNAL - WINDOW - (round % 5) * 300;
      const reads: [keyof typeof times, () => Promise<StepRecord[]>][] = [
        ['window', () => queries.stepRange(JOB, offset, WINDOW)],
        ['cursor', () => byCursor(offset)],
      ];
      if (round % 2 === 1) reads.reverse();
      for (const [kind, read] of reads) {
        const t0 = performance.now();
        const window = await read();
        times[kind].push(performance.now() - t0);
        if (window.length !== WINDOW || window[0]?.name !== steps[offset]?.name) {
          throw new Error(`step window (${kind}): ${window.length} steps from ${window[0]?.name ?? 'none'}`);
        }
      }
    }
    return { windowP50: quantile(times.window, 0.5), cursorP50: quantile(times.cursor, 0.5) };
  } finally {
    db.close();
    await deleteDatabase(dbName);
  }
}
