import { afterEach, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src/shared';
import { ErrandDb, JobQueries, RELATED_READ_LIMIT } from '../../src/store';
import { withIndexKeys } from '../../src/store/index-keys';
import { jobRecord } from '../fixtures/job-record';

let db: ErrandDb | undefined;
afterEach(async () => {
  await db?.delete();
  db = undefined;
});

/** A store holding `count` jobs: statuses and types in turn, each created a millisecond after the last. */
async function storeOf(count: number, statuses: readonly JobStatus[], types = ['a', 'b']): Promise<JobQueries> {
  db = new ErrandDb(`job-queries-${Math.random()}`);
  await db.jobs.bulkAdd(
    Array.from({ length: count }, (_, i) =>
      withIndexKeys(
        jobRecord(`job-${String(i).padStart(4, '0')}`, statuses[i % statuses.length] ?? 'queued', {
          type: types[i % types.length] ?? 'a',
          createdAt: 1_000 + i,
        }),
      ),
    ),
  );
  return new JobQueries(db);
}

const ids = (jobs: readonly { readonly id: string }[]) => jobs.map((job) => job.id);

describe('job lists over several statuses', () => {
  it('pages the active jobs newest first across statuses, with the same total as their counts', async () => {
    const queries = await storeOf(300, ['running', 'waiting', 'paused', 'completed', 'queued']);
    const statuses = ['running', 'waiting', 'paused'] as const;
    const expected = ids(
      (await Promise.all(statuses.map((status) => queries.list({ status, limit: 1_000 }))))
        .flat()
        .sort((a, b) => b.createdAt - a.createdAt),
    );
    expect(expected).toHaveLength(180);

    const pages = [];
    for (let offset = 0; offset < 200; offset += 50) {
      pages.push(...ids(await queries.list({ statuses, offset, limit: 50 })));
    }
    expect(pages).toEqual(expected);
    expect(await queries.count({ statuses })).toBe(180);
    expect(await queries.list({ statuses, offset: 175, limit: 50 })).toHaveLength(5);
  });

  it('keeps ties in createdAt in the order one status is listed in: ids descending', async () => {
    const queries = await storeOf(0, []);
    await db?.jobs.bulkAdd(
      ['t-1', 't-3', 't-2', 't-4'].map((id, i) =>
        withIndexKeys(jobRecord(id, i % 2 === 0 ? 'running' : 'paused', { createdAt: 5_000 })),
      ),
    );
    expect(ids(await queries.list({ statuses: ['running', 'paused'] }))).toEqual(['t-4', 't-3', 't-2', 't-1']);
  });

  it('filters by type through the type-and-status index', async () => {
    const queries = await storeOf(120, ['running', 'paused', 'failed'], ['a', 'b', 'c']);
    const jobs = await queries.list({ statuses: ['running', 'paused'], type: 'b', limit: 500 });
    expect(jobs.every((job) => job.type === 'b' && (job.status === 'running' || job.status === 'paused'))).toBe(true);
    expect(jobs).toHaveLength(await queries.count({ statuses: ['running', 'paused'], type: 'b' }));
    expect(jobs.length).toBeGreaterThan(0);
    expect(ids(jobs)).toEqual(ids([...jobs].sort((a, b) => b.createdAt - a.createdAt)));
  });

  it('answers a single status or none the way `status` does', async () => {
    const queries = await storeOf(40, ['running', 'completed']);
    expect(ids(await queries.list({ statuses: ['running'] }))).toEqual(ids(await queries.list({ status: 'running' })));
    expect(await queries.list({ statuses: [] })).toEqual([]);
    expect(await queries.count({ statuses: [] })).toBe(0);
  });

  it('refuses a query with both status and statuses, or an unknown status, with invalid-input', async () => {
    const queries = await storeOf(10, ['running']);
    await expect(queries.list({ status: 'running', statuses: ['paused'] })).rejects.toMatchObject({
      code: 'invalid-input',
    });
    await expect(queries.count({ statuses: ['running', 'sleeping' as JobStatus] })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });
});

describe('pages of one index, newest first', () => {
  it('gives any page as the slice of the whole list, for no filter, a status, a type or both', async () => {
    const queries = await storeOf(240, ['queued', 'running', 'completed']);
    // Ties in createdAt, which the index orders by id.
    await db?.jobs.bulkAdd(
      ['tie-1', 'tie-3', 'tie-2'].map((id) => withIndexKeys(jobRecord(id, 'queued', { type: 'a', createdAt: 1_100 }))),
    );
    for (const filter of [{}, { status: 'queued' as const }, { type: 'a' }, { type: 'a', status: 'queued' as const }]) {
      const whole = ids(await queries.list({ ...filter, limit: 1_000 }));
      expect(whole.length).toBeGreaterThan(30);
      for (const [offset, limit] of [
        [0, 7],
        [7, 13],
        [20, 100],
        [whole.length - 3, 10],
        [whole.length, 5],
      ] as const) {
        expect(ids(await queries.list({ ...filter, offset, limit })), JSON.stringify({ filter, offset })).toEqual(
          whole.slice(offset, offset + limit),
        );
      }
      expect(await queries.list({ ...filter, offset: 5, limit: 0 })).toEqual([]);
    }
  });
});

describe('listKeys: every job of a list, from index keys', () => {
  it('gives the id and status of each match in the list order, for one status, several, a type or none', async () => {
    const queries = await storeOf(150, ['running', 'completed', 'failed'], ['a', 'b']);
    const keysOf = (jobs: readonly { id: string; status: JobStatus }[]) =>
      jobs.map(({ id, status }) => ({ id, status }));
    for (const query of [
      {},
      { status: 'completed' as const },
      { statuses: ['running', 'failed'] as JobStatus[] },
      { type: 'b' },
      { status: 'failed' as const, type: 'a' },
    ]) {
      const listed = await queries.list({ ...query, limit: 1_000 });
      expect(listed.length).toBeGreaterThan(0);
      expect(await queries.listKeys(query, 1_000)).toEqual(keysOf(listed));
      // A limit takes the newest.
      expect(await queries.listKeys(query, 7)).toEqual(keysOf(listed.slice(0, 7)));
    }
    await expect(queries.listKeys({ statuses: ['sleeping' as JobStatus] }, 10)).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it('getMany reads jobs by id in the order asked, undefined for one not stored', async () => {
    const queries = await storeOf(5, ['queued']);
    const [first, second] = await queries.list({ limit: 2 });
    const found = await queries.getMany([second?.id ?? '', 'missing', first?.id ?? '']);
    expect(found.map((job) => job?.id)).toEqual([second?.id, undefined, first?.id]);
  });
});

describe("a job's related jobs", () => {
  /** A store of `records`, with their index keys. */
  async function storeWith(records: readonly ReturnType<typeof jobRecord>[]): Promise<JobQueries> {
    const queries = await storeOf(0, []);
    await db?.jobs.bulkAdd(records.map((record) => withIndexKeys(record)));
    return queries;
  }

  it('names its dependencies in order (a removed one by id alone), its parent, its dependents and its children', async () => {
    const queries = await storeWith([
      jobRecord('a', 'completed', { label: 'Fetch' }),
      jobRecord('b', 'running', { label: 'Parse', type: 'parse' }),
      jobRecord('job', 'waiting', { dependsOn: ['b', 'gone', 'a'], parentId: 'p' }),
      jobRecord('p', 'running', { label: 'Plan' }),
      jobRecord('d2', 'queued', { dependsOn: ['job'] }),
      jobRecord('d1', 'failed', { dependsOn: ['x', 'job'] }),
      jobRecord('c1', 'queued', { parentId: 'job' }),
      jobRecord('other', 'queued', { dependsOn: ['a'], parentId: 'p' }),
    ]);

    const related = await queries.related('job');

    expect(related).toEqual({
      dependencies: [
        { id: 'b', job: { id: 'b', label: 'Parse', type: 'parse', status: 'running' } },
        { id: 'gone' },
        { id: 'a', job: { id: 'a', label: 'Fetch', type: 'demo', status: 'completed' } },
      ],
      parent: { id: 'p', job: { id: 'p', label: 'Plan', type: 'demo', status: 'running' } },
      dependents: [
        { id: 'd1', label: 'd1', type: 'demo', status: 'failed' },
        { id: 'd2', label: 'd2', type: 'demo', status: 'queued' },
      ],
      dependentsTotal: 2,
      children: [{ id: 'c1', label: 'c1', type: 'demo', status: 'queued' }],
      childrenTotal: 1,
    });
  });

  it('has no parent and empty lists for a job on its own, and is undefined for a job not stored', async () => {
    const queries = await storeWith([jobRecord('alone', 'queued')]);
    expect(await queries.related('alone')).toEqual({
      dependencies: [],
      dependents: [],
      dependentsTotal: 0,
      children: [],
      childrenTotal: 0,
    });
    expect(await queries.related('missing')).toBeUndefined();
  });

  it(`reads at most ${RELATED_READ_LIMIT} dependents and counts them all`, async () => {
    const count = RELATED_READ_LIMIT + 20;
    const queries = await storeWith([
      jobRecord('root', 'running'),
      ...Array.from({ length: count }, (_, i) =>
        jobRecord(`dep-${String(i).padStart(4, '0')}`, 'waiting', { dependsOn: ['root'] }),
      ),
    ]);
    const related = await queries.related('root');
    expect(related?.dependentsTotal).toBe(count);
    expect(related?.dependents).toHaveLength(RELATED_READ_LIMIT);
    expect(related?.dependents[0]?.id).toBe('dep-0000');
  });

  it('refuses an id that is not one with invalid-input', async () => {
    const queries = await storeOf(0, []);
    await expect(queries.related('')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(queries.related(7 as unknown as string)).rejects.toMatchObject({ code: 'invalid-input' });
  });
});

describe('the unfinished dependents of several jobs', () => {
  it('lists each once, leaves out finished ones and the jobs asked about, and says whether there are more', async () => {
    const queries = await storeOf(0, []);
    await db?.jobs.bulkAdd(
      [
        jobRecord('a', 'running'),
        jobRecord('b', 'queued'),
        jobRecord('both', 'waiting', { dependsOn: ['a', 'b'] }),
        jobRecord('on-a', 'paused', { dependsOn: ['a'] }),
        jobRecord('done', 'completed', { dependsOn: ['a'] }),
        jobRecord('failed', 'failed', { dependsOn: ['b'] }),
        // Itself among the jobs asked about: it goes with them.
        jobRecord('c', 'waiting', { dependsOn: ['b'] }),
        jobRecord('on-other', 'waiting', { dependsOn: ['x'] }),
      ].map((record) => withIndexKeys(record)),
    );

    const found = await queries.unfinishedDependents(['a', 'b', 'c']);
    expect(ids(found.jobs).sort()).toEqual(['both', 'on-a']);
    expect(found.more).toBe(false);
    expect(found.jobs.find((job) => job.id === 'on-a')).toEqual({
      id: 'on-a',
      label: 'on-a',
      type: 'demo',
      status: 'paused',
    });

    const first = await queries.unfinishedDependents(['a', 'b'], 1);
    expect(first.jobs).toHaveLength(1);
    expect(first.more).toBe(true);
    expect(await queries.unfinishedDependents([])).toEqual({ jobs: [], more: false });
  });

  it('refuses ids or a limit not of their form with invalid-input', async () => {
    const queries = await storeOf(0, []);
    await expect(queries.unfinishedDependents('a' as unknown as string[])).rejects.toMatchObject({
      code: 'invalid-input',
    });
    await expect(queries.unfinishedDependents(['a'], -1)).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
