import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepRecord } from '../../src/shared';
import { ErrandDb, JobQueries } from '../../src/store';
import { freshDbName } from '../helpers/harness';

let db: ErrandDb | undefined;
afterEach(async () => {
  await db?.delete();
  db = undefined;
});

/**
 * A journal of `count` steps of job `a` (and a few of job `b` around them), begun a second
 * apart; their names sort in another order than they began (`z-0000` first, then `y-0001`…).
 */
function journal(count: number): StepRecord[] {
  const own = Array.from({ length: count }, (_, i): StepRecord => {
    const startedAt = 10_000 + i * 1_000;
    const name = `${'zyxw'[i % 4] ?? 'z'}-${String(i).padStart(4, '0')}`;
    if (i === count - 1) return { jobId: 'a', name, status: 'running', runs: 1, startedAt };
    if (i % 10 === 3) return { jobId: 'a', name, status: 'failed', runs: 3, startedAt, finishedAt: startedAt + 5 };
    return { jobId: 'a', name, status: 'completed', runs: i % 7 === 0 ? 2 : 1, startedAt, finishedAt: startedAt + 5 };
  });
  const other = [0, 5_000_000].map((startedAt): StepRecord => ({
    jobId: 'b',
    name: `other-${startedAt}`,
    status: 'completed',
    runs: 1,
    startedAt,
  }));
  return [...own, ...other];
}

async function storeOf(steps: readonly StepRecord[]): Promise<JobQueries> {
  db = new ErrandDb(freshDbName());
  await db.steps.bulkPut([...steps]);
  return new JobQueries(db);
}

describe('reading a long step journal a window at a time', () => {
  it('gives any window in the order the steps began, of that job only', async () => {
    const queries = await storeOf(journal(250));
    const names = (steps: readonly StepRecord[]) => steps.map((step) => step.name);
    const inOrder = names(journal(250).filter((step) => step.jobId === 'a'));

    expect(names(await queries.stepRange('a', 0, 3))).toEqual(inOrder.slice(0, 3));
    expect(names(await queries.stepRange('a', 120, 40))).toEqual(inOrder.slice(120, 160));
    // A window past the end holds what there is.
    expect(names(await queries.stepRange('a', 240, 40))).toEqual(inOrder.slice(240));
    expect(await queries.stepRange('a', 300, 10)).toEqual([]);
    expect(await queries.stepRange('a', 0, 0)).toEqual([]);
    expect(names(await queries.steps('a'))).toEqual(inOrder);
  });

  it('counts the journal by status and reruns, and knows when its first step began', async () => {
    const queries = await storeOf(journal(250));
    const steps = journal(250).filter((step) => step.jobId === 'a');
    const of = (keep: (step: StepRecord) => boolean) => steps.filter(keep).length;
    expect(await queries.stepCounts('a')).toEqual({
      total: 250,
      completed: of((step) => step.status === 'completed'),
      failed: of((step) => step.status === 'failed'),
      running: 1,
      rerun: of((step) => step.runs > 1),
      firstStartedAt: 10_000,
    });
    expect(await queries.stepCounts('nothing')).toEqual({ total: 0, completed: 0, failed: 0, running: 0, rerun: 0 });
  });

  it('refuses an id, offset or limit not of the documented form with invalid-input', async () => {
    const queries = await storeOf(journal(5));
    for (const read of [
      () => queries.stepRange('a', -1, 10),
      () => queries.stepRange('a', 0, 1.5),
      () => queries.stepRange('a', 0, Infinity),
      () => queries.stepRange({} as unknown as string, 0, 10),
      () => queries.stepCounts(''),
    ]) {
      expect(read).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    }
  });

  it('reads the journal of a store written by the version before, whose steps had no start-order index', async () => {
    const name = freshDbName();
    const older = new Dexie(name);
    older.version(1).stores({ jobs: 'id', steps: '[jobId+name], jobId', logs: '++id, jobId', files: 'id, jobId' });
    older.version(2).stores({ exits: 'instance' });
    await older.table('steps').bulkPut(journal(30));
    older.close();

    db = new ErrandDb(name);
    const queries = new JobQueries(db);
    expect((await queries.stepRange('a', 28, 5)).map((step) => step.name)).toEqual(['z-0028', 'y-0029']);
    expect(await queries.stepCounts('a')).toMatchObject({ total: 30, running: 1, failed: 3 });
  });
});
