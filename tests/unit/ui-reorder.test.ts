import { describe, expect, it } from 'vitest';
import type { JobRecord, Priority } from '../../src/client';
import { Reorder } from '../../src/ui/routes/reorder.svelte';
import { queuedJob } from '../helpers/queued-job';

const job = queuedJob;

interface Setup {
  readonly reorder: Reorder;
  readonly items: () => readonly JobRecord[];
  readonly calls: { id: string; change: { priority: Priority; rank: number } }[];
  readonly errors: string[];
}

function setup(options: { enabled?: boolean; reject?: Error } = {}): Setup {
  let items: readonly JobRecord[] = [job('a', 'normal', 1), job('b', 'normal', 2), job('c', 'normal', 3)];
  const calls: Setup['calls'] = [];
  const errors: string[] = [];
  const client = {
    reprioritize: (id: string, change: { priority: Priority; rank: number }) => {
      calls.push({ id, change });
      return options.reject ? Promise.reject(options.reject) : Promise.resolve({} as JobRecord);
    },
  };
  const reorder = new Reorder(
    { get: () => items, set: (next) => (items = next) },
    client,
    () => options.enabled ?? true,
    (text) => errors.push(text),
  );
  return { reorder, items: () => items, calls, errors };
}

const ids = (jobs: readonly JobRecord[]) => jobs.map((j) => j.id);

describe('reordering the run order', () => {
  it('a keyboard step moves the job one place, persists its new rank and says where it went', async () => {
    const { reorder, items, calls } = setup();
    expect(await reorder.step('c', 2, -1)).toBe(true);
    expect(ids(items())).toEqual(['a', 'c', 'b']);
    expect(calls).toEqual([{ id: 'c', change: { priority: 'normal', rank: 1.5 } }]);
    expect(reorder.announcement).toBe('Moved “c” to position 2 of 3');
    // Another job moved to the same place: the words change, so they are read out again.
    expect(await reorder.step('a', 0, 1)).toBe(true);
    expect(reorder.announcement).toBe('Moved “a” to position 2 of 3');
  });

  it('a drag shows its gap while it lasts and moves the job where it is dropped', async () => {
    const { reorder, items, calls } = setup();
    reorder.startDrag('a', 0);
    reorder.dragTo(3);
    expect(reorder.drag).toEqual({ id: 'a', from: 0, to: 3 });
    expect(await reorder.drop()).toBe(true);
    expect(reorder.drag).toBeUndefined();
    expect(ids(items())).toEqual(['b', 'c', 'a']);
    expect(calls).toEqual([{ id: 'a', change: { priority: 'normal', rank: 4 } }]);
  });

  it('a cancelled drag, a drop where it started, a stale index or a step past the end moves nothing', async () => {
    const { reorder, items, calls } = setup();
    reorder.startDrag('a', 0);
    reorder.dragTo(2);
    reorder.cancelDrag();
    expect(await reorder.drop()).toBe(false);
    reorder.startDrag('b', 1);
    reorder.dragTo(2);
    expect(await reorder.drop()).toBe(false);
    expect(await reorder.move('b', 0, 3)).toBe(false);
    expect(await reorder.step('a', 0, -1)).toBe(false);
    expect(await reorder.step('c', 2, 1)).toBe(false);
    expect(ids(items())).toEqual(['a', 'b', 'c']);
    expect(calls).toEqual([]);
    expect(reorder.announcement).toBe('');
  });

  it('outside the run order nothing starts to drag or moves', async () => {
    const { reorder, items, calls } = setup({ enabled: false });
    reorder.startDrag('a', 0);
    expect(reorder.drag).toBeUndefined();
    expect(await reorder.step('c', 2, -1)).toBe(false);
    expect(ids(items())).toEqual(['a', 'b', 'c']);
    expect(calls).toEqual([]);
  });

  it('a move the runtime refuses goes back to where it was and says why', async () => {
    const { reorder, items, errors } = setup({ reject: new Error('job is running') });
    expect(await reorder.step('c', 2, -1)).toBe(false);
    expect(ids(items())).toEqual(['a', 'b', 'c']);
    expect(errors).toEqual(['Could not move the job: job is running']);
    expect(reorder.announcement).toBe('');
  });
});
