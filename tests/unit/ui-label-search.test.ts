import { describe, expect, it } from 'vitest';
import type { JobListQuery, JobRecord } from '../../src/client';
import {
  joinMatches,
  SearchMatches,
  SEARCH_CAP,
  SEARCH_CHUNK,
  searchLabels,
  type SearchProgress,
} from '../../src/ui/routes/label-search';

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

describe('joinMatches', () => {
  const job = (id: string, createdAt: number, status: JobRecord['status'] = 'queued') =>
    ({ id, createdAt, status, label: id }) as JobRecord;

  it('joins the jobs that arrived into the matches, newest first, each once in its arrived version', () => {
    const found = [job('c', 30), job('b', 20, 'queued'), job('a', 10)];
    const arrived = new Map([
      ['d', job('d', 40)],
      ['b', job('b', 20, 'completed')],
      ['e', job('e', 20)],
    ]);
    const joined = joinMatches(found, arrived);
    expect(joined.map((j) => j.id)).toEqual(['d', 'c', 'e', 'b', 'a']);
    expect(joined.find((j) => j.id === 'b')?.status).toBe('completed');
  });

  it('keeps at most SEARCH_CAP, dropping the oldest', () => {
    const found = Array.from({ length: SEARCH_CAP }, (_, i) => job(`f${i}`, SEARCH_CAP - i));
    const joined = joinMatches(found, new Map([['new', job('new', SEARCH_CAP + 1)]]));
    expect(joined).toHaveLength(SEARCH_CAP);
    expect(joined[0]?.id).toBe('new');
    expect(joined.at(-1)?.id).toBe(`f${SEARCH_CAP - 2}`);
    expect(joinMatches(found, new Map())).toEqual(found);
  });
});

describe('SearchMatches', () => {
  const job = (id: string, createdAt: number) => ({ id, createdAt, status: 'queued', label: id }) as JobRecord;

  it('keeps a job that left out of what the scan still reports, and joins one that arrived', () => {
    const matches = new SearchMatches();
    let shown = matches.found([job('b', 20), job('a', 10)]);
    shown = matches.leave(shown, 'a');
    expect(shown.map((j) => j.id)).toEqual(['b']);
    shown = matches.arrive(shown, [job('c', 30)]);
    expect(shown.map((j) => j.id)).toEqual(['c', 'b']);
    // The scan reads on: the job that left stays out, the one that arrived stays in.
    expect(matches.found([job('b', 20), job('a', 10)]).map((j) => j.id)).toEqual(['c', 'b']);
    // A job that left and comes back counts again; a new search starts clean.
    expect(matches.arrive(shown, [job('a', 10)]).map((j) => j.id)).toEqual(['c', 'b', 'a']);
    matches.clear();
    expect(matches.found([job('a', 10)]).map((j) => j.id)).toEqual(['a']);
  });
});
