import { describe, expect, it } from 'vitest';
import {
  JOB_STATUSES,
  type BulkResult,
  type ErrandClient,
  type JobRecord,
  type JobRef,
  type JobStatus,
} from '../../src/client';
import { applyToSelection, BulkSelection, selectionDependentsWarning } from '../../src/ui/routes/bulk-selection.svelte';
import { BULK_ACTIONS } from '../../src/ui/routes/bulk-summary';
import { commandsFor } from '../../src/ui/routes/job-detail.svelte';

function selectionOf(...statuses: JobStatus[]): BulkSelection {
  const selection = new BulkSelection();
  statuses.forEach((status, i) => selection.add({ id: `job-${i}`, status }));
  return selection;
}

describe('bulk selection', () => {
  it('counts the selected jobs each command applies to, as the job page offers them', () => {
    for (const status of JOB_STATUSES) {
      const selection = selectionOf(status);
      for (const action of BULK_ACTIONS) {
        const offered = commandsFor(status).includes(action.toLowerCase() as never);
        expect(selection.applicable(action), `${action} on a ${status} job`).toBe(offered ? 1 : 0);
      }
    }
  });

  it('says nothing about a command that applies to every selected job', () => {
    const selection = selectionOf('failed', 'cancelled');
    expect(selection.describe('Retry')).toBeUndefined();
    expect(selection.describe('Remove')).toBeUndefined();
  });

  it('says how many a command applies to when it applies to some', () => {
    const selection = selectionOf('failed', 'completed', 'completed');
    expect(selection.applicable('Retry')).toBe(1);
    expect(selection.describe('Retry')).toBe('Retry 1 of the 3 selected jobs; the others cannot be retried');
  });

  it('says why a command applies to none, most common status first', () => {
    const selection = selectionOf('completed', 'cancelled', 'completed');
    expect(selection.applicable('Pause')).toBe(0);
    expect(selection.describe('Pause')).toBe('None of the 3 selected jobs can be paused: 2 completed, 1 cancelled.');
    expect(selectionOf('running').refusal('Retry')).toBe('The selected job cannot be retried (it is running).');
  });

  it('asks for a selection before any command', () => {
    const selection = new BulkSelection();
    for (const action of BULK_ACTIONS) {
      expect(selection.applicable(action)).toBe(0);
      expect(selection.describe(action)).toBe('Select jobs first');
    }
  });

  it('follows a selected job whose status changes, and ignores jobs not selected', () => {
    const selection = selectionOf('running');
    expect(selection.applicable('Retry')).toBe(0);
    selection.update({ id: 'job-0', status: 'failed' });
    expect(selection.applicable('Retry')).toBe(1);
    selection.update({ id: 'other', status: 'failed' });
    expect(selection.size).toBe(1);
    expect(selection.ids()).toEqual(['job-0']);
    selection.delete('job-0');
    expect(selection.size).toBe(0);
  });
});

describe('a command on the selection', () => {
  /** A client whose jobs another tab cancels between this tab's read and its command. */
  function racedClient(jobs: { id: string; status: JobStatus }[]): ErrandClient {
    const stored = new Map(jobs.map((job) => [job.id, { ...job } as JobRecord]));
    const fake: Pick<ErrandClient, 'getMany' | 'cancelMany'> = {
      getMany: (ids) => Promise.resolve(ids.map((id) => stored.get(id))),
      cancelMany(ids) {
        for (const job of stored.values()) stored.set(job.id, { ...job, status: 'cancelled' });
        return Promise.resolve({
          changed: [],
          skipped: ids.map((id) => ({ id, code: 'invalid-transition' })),
        } satisfies BulkResult);
      },
    };
    return fake as ErrandClient;
  }

  it('names a refused job by the status that refused it, not the one read before the command', async () => {
    const jobs = [
      { id: 'job-0', status: 'running' as const },
      { id: 'job-1', status: 'queued' as const },
    ];
    const selection = new BulkSelection();
    for (const job of jobs) selection.add(job);
    const report = await applyToSelection(racedClient(jobs), selection, 'Cancel', () => true);
    expect(report).toBe('Cancelled 0 jobs. Skipped 2: 2 cancelled.');
    expect(selection.size).toBe(0);
  });
});

describe('what cancelling or removing a selection does to the jobs that depend on it', () => {
  /** A client whose store has `dependents` unfinished (and `more` past them); records the ids asked about. */
  function clientWith(dependents: readonly JobRef[], more = false) {
    const asked: string[][] = [];
    const client = {
      unfinishedDependents: async (ids: readonly string[]) => {
        asked.push([...ids]);
        return { jobs: dependents, more };
      },
    } as unknown as ErrandClient;
    return { client, asked };
  }
  const ref = (id: string): JobRef => ({ id, label: `Job ${id}`, type: 'demo', status: 'waiting' });

  it('asks about the jobs the command fails them for: cancellable ones, or any not completed for a removal', async () => {
    const selection = selectionOf('running', 'completed', 'failed', 'queued');
    const { client, asked } = clientWith([ref('d')]);
    expect(await selectionDependentsWarning(client, selection, 'Cancel')).toBe(
      '“Job d” waits for one of them to complete, and will fail.',
    );
    expect(await selectionDependentsWarning(client, selection, 'Remove')).toBe(
      '“Job d” waits for one of them to complete, and will fail.',
    );
    expect(asked).toEqual([
      ['job-0', 'job-3'],
      ['job-0', 'job-2', 'job-3'],
    ]);
  });

  it('counts several, says "at least" past those read, and speaks of one selected job as "it"', async () => {
    const two = clientWith([ref('d'), ref('e')]);
    expect(await selectionDependentsWarning(two.client, selectionOf('running', 'queued'), 'Cancel')).toBe(
      'The 2 unfinished jobs that wait for them to complete will fail.',
    );
    // Of a mixed selection, the one job Cancel applies to is "it", as the question counts it.
    expect(await selectionDependentsWarning(two.client, selectionOf('running', 'completed'), 'Cancel')).toBe(
      'The 2 unfinished jobs that wait for it to complete will fail.',
    );
    const many = clientWith([ref('d'), ref('e')], true);
    expect(await selectionDependentsWarning(many.client, selectionOf('running'), 'Cancel')).toBe(
      'At least 2 unfinished jobs that wait for it to complete will fail.',
    );
  });

  it('says nothing, and asks nothing, where none depends on them or none would fail them', async () => {
    const none = clientWith([]);
    expect(await selectionDependentsWarning(none.client, selectionOf('running'), 'Cancel')).toBeUndefined();
    const unused = clientWith([ref('d')]);
    expect(await selectionDependentsWarning(unused.client, selectionOf('completed'), 'Remove')).toBeUndefined();
    expect(await selectionDependentsWarning(unused.client, selectionOf('failed'), 'Cancel')).toBeUndefined();
    expect(unused.asked).toEqual([]);
  });
});
