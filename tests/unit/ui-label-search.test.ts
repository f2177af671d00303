import { describe, expect, it } from 'vitest';
import type { JobListQuery, JobRecord } from '../../src/client';
import { SEARCH_CAP, SEARCH_CHUNK, searchLabels, type SearchProgress } from '../../src/ui/routes/label-search';

/** A list of `count` jobs, newest first, labelled `Job 0`…; records what each read asked for. */
function fakeClient(count: number, label = (i: number) => `Job ${i}`) {
  const reads: { offset: number; limit: number }[] = [];
  const jobs = Array.from({ length: count }, (_, i) => ({ id: `j${i}`, label: label(i) }) as JobRecord);
  return {
    reads,
    list: (query?: JobListQuery) => {
      const offset = query?.offset ?? 0;
      const limit = query?.limit ?? 100;
      reads.push({ offset, limit });
      return Promise.resolve(jobs.slice(offset, offset + limit));
    },
  };
}

describe('searchLabels', () => {
  it('reads in growing chunks to the end, reporting the matches after each', async () => {
    const client = fakeClient(3_000);
    const progress: SearchProgress[] = [];
    const finished = await searchLabels(
      client,
      'job 12',
      {},
      () => true,
      (p) => progress.push({ ...p, found: [...p.found] }),
    );
    expect(finished).toBe(true);
    expect(client.reads).toEqual([
      { offset: 0, limit: SEARCH_CHUNK.first },
      { offset: 400, limit: 800 },
      { offset: 1_200, limit: 1_600 },
      { offset: 2_800, limit: 3_200 },
    ]);
    expect(progress.map((p) => p.scanned)).toEqual([400, 1_200, 2_800, 3_000]);
    // "Job 12", "Job 120"–"Job 129", "Job 1200"–"Job 1299".
    expect(progress.at(-1)?.found).toHaveLength(1 + 10 + 100);
  });

  it('stops once it has enough matches', async () => {
    const client = fakeClient(50_000, () => 'Same label');
    const finished = await searchLabels(
      client,
      'same',
      {},
      () => true,
      () => undefined,
    );
    expect(finished).toBe(true);
    expect(client.reads).toHaveLength(2);
    expect(SEARCH_CAP).toBeLessThanOrEqual(1_200);
  });

  it('stops without reporting when the search is replaced while a chunk is read', async () => {
    const client = fakeClient(10_000);
    let current = true;
    const reported: number[] = [];
    const finished = await searchLabels(
      client,
      'job',
      {},
      () => current,
      (p) => {
        reported.push(p.scanned);
        current = false;
      },
    );
    expect(finished).toBe(false);
    expect(reported).toEqual([400]);
    expect(client.reads).toHaveLength(1);
  });

  it('passes the filter to every read', async () => {
    const seen: JobListQuery[] = [];
    await searchLabels(
      { list: (query) => (seen.push(query ?? {}), Promise.resolve([])) },
      'x',
      { status: 'failed', type: 'csv' },
      () => true,
      () => undefined,
    );
    expect(seen).toEqual([{ status: 'failed', type: 'csv', offset: 0, limit: SEARCH_CHUNK.first }]);
  });
});
