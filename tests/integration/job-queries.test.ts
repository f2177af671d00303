import { afterEach, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src/shared';
import { ErrandDb, JobQueries } from '../../src/store';
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
