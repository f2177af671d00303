import { describe, expect, it } from 'vitest';
import type { JobListQuery, JobRecord } from '../../src/client';
import { LabelSearchView, passesFilter } from '../../src/ui/routes/label-search-view.svelte';
import { queuedJob } from '../helpers/queued-job';

function job(id: string, label: string, createdAt: number, status: JobRecord['status'] = 'queued'): JobRecord {
  return { ...queuedJob(id, 'normal', createdAt), label, status };
}

/** A store of jobs, newest first, whose rows can be changed while watched. */
function fakeClient(jobs: JobRecord[]) {
  const watchers = new Map<string, (job: JobRecord | undefined) => void>();
  return {
    watchers,
    list: (query?: JobListQuery) => {
      const offset = query?.offset ?? 0;
      return Promise.resolve(jobs.slice(offset, offset + (query?.limit ?? 100)));
    },
    getMany: (ids: readonly string[]) => Promise.resolve(ids.map((id) => jobs.find((j) => j.id === id))),
    watchJob: (id: string) => ({
      subscribe: (next: (job: JobRecord | undefined) => void) => {
        watchers.set(id, next);
        next(jobs.find((j) => j.id === id));
        return () => watchers.delete(id);
      },
    }),
  };
}

function listener() {
  const heard = { changed: 0, left: [] as string[], failed: [] as unknown[] };
  return {
    heard,
    changed: () => void heard.changed++,
    left: (id: string) => void heard.left.push(id),
    failed: (error: unknown) => void heard.failed.push(error),
  };
}

/** Lets the scan's reads and the feed's reads answer. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LabelSearchView', () => {
  it('shows the matches the scan finds, then says it is done', async () => {
    const client = fakeClient([job('c', 'Export C', 3), job('b', 'Import B', 2), job('a', 'Export A', 1)]);
    const heard = listener();
    const view = new LabelSearchView(client, heard);
    view.start('export', {});
    expect(view.done).toBe(false);
    await settle();
    expect(view.items.map((j) => j.id)).toEqual(['c', 'a']);
    expect(view.scanned).toBe(3);
    expect(view.done).toBe(true);
    expect(heard.heard.changed).toBeGreaterThan(0);
  });

  it('takes in a job the feed announces that matches, in its place by age', async () => {
    const jobs = [job('c', 'Export C', 3), job('a', 'Export A', 1)];
    const client = fakeClient(jobs);
    const view = new LabelSearchView(client, listener());
    view.start('export', { status: 'queued' });
    await settle();
    jobs.unshift(job('d', 'Export D', 4), job('x', 'Export X', 5, 'failed'));
    view.offer([
      { id: 'd', type: 't', label: 'Export D', status: 'queued' },
      { id: 'x', type: 't', label: 'Export X', status: 'failed' },
    ] as never);
    await settle();
    expect(view.items.map((j) => j.id)).toEqual(['d', 'c', 'a']);
  });

  it('follows the rows in sight, and drops one that leaves the filters', async () => {
    const client = fakeClient([job('c', 'Export C', 3), job('a', 'Export A', 1)]);
    const heard = listener();
    const view = new LabelSearchView(client, heard);
    view.start('export', { status: 'queued' });
    await settle();
    view.watchRows(0, 1);
    expect([...client.watchers.keys()]).toEqual(['c']);
    client.watchers.get('c')?.({ ...job('c', 'Export C', 3), progress: 0.5 });
    expect(view.rowAt(0)?.progress).toBe(0.5);
    client.watchers.get('c')?.(job('c', 'Export C', 3, 'running'));
    await settle();
    expect(view.items.map((j) => j.id)).toEqual(['a']);
    expect(heard.heard.left).toEqual(['c']);
    view.watchRows(0, 1);
    expect([...client.watchers.keys()]).toEqual(['a']);
  });

  it('after its stop, ends its rows and drops late answers', async () => {
    const client = fakeClient([job('a', 'Export A', 1)]);
    const heard = listener();
    const view = new LabelSearchView(client, heard);
    const stop = view.start('export', {});
    stop();
    await settle();
    expect(view.items).toEqual([]);
    expect(heard.heard.changed).toBe(0);
    view.start('export', {});
    await settle();
    view.watchRows(0, 1);
    view.start('import', {});
    expect(client.watchers.size).toBe(0);
  });
});

describe('passesFilter', () => {
  it('checks the status, the active statuses and the type', () => {
    const queued = job('a', 'A', 1);
    expect(passesFilter(queued, {})).toBe(true);
    expect(passesFilter(queued, { status: 'failed' })).toBe(false);
    expect(passesFilter(queued, { statuses: ['running', 'queued'] })).toBe(true);
    expect(passesFilter(queued, { type: 'other' })).toBe(false);
  });

  it('checks the relation to one job: a dependency, or the parent', () => {
    const dependent = { ...job('a', 'A', 1), dependsOn: ['x', 'y'], parentId: 'p' };
    expect(passesFilter(dependent, { dependsOn: 'y' })).toBe(true);
    expect(passesFilter(dependent, { dependsOn: 'p' })).toBe(false);
    expect(passesFilter(job('b', 'B', 2), { dependsOn: 'y' })).toBe(false);
    expect(passesFilter(dependent, { parentId: 'p', status: 'queued' })).toBe(true);
    expect(passesFilter(dependent, { parentId: 'x' })).toBe(false);
    expect(passesFilter(dependent, { parentId: 'p', status: 'failed' })).toBe(false);
  });
});
