import { describe, expect, it } from 'vitest';
import { compareActive, renderActive, showsInHeads } from '../../src/client/active-jobs';
import { FeedOverlay } from '../../src/client/feed-overlay';
import { summarizeJob, type JobRecord, type JobStatus } from '../../src/shared';
import type { ActiveHead } from '../../src/store';
import { jobRecord } from '../fixtures/job-record';

function job(id: string, status: JobStatus, createdAt: number, updatedAt = 1): JobRecord {
  return jobRecord(id, status, { createdAt, updatedAt });
}

/** Heads as the store gives them: `total` jobs of the status, the first `jobs` of them read. */
function head(status: JobStatus, jobs: readonly JobRecord[], total = jobs.length, limit = 3): ActiveHead {
  return { status, jobs, total, complete: jobs.length < limit || total <= jobs.length };
}

/** An overlay as a heads view keeps it, having heard `announced`. */
function overlayOver(heads: readonly ActiveHead[], announced: readonly JobRecord[]): FeedOverlay {
  const overlay = new FeedOverlay((each) => showsInHeads(each, heads));
  const known = new Set(heads.flatMap((each) => each.jobs.map((stored) => stored.id)));
  overlay.add({ kind: 'jobs', committedAt: 0, jobs: announced.map(summarizeJob), removed: [] }, (id) => known.has(id));
  return overlay;
}

describe('renderActive', () => {
  const running = [job('r1', 'running', 10), job('r2', 'running', 20), job('r3', 'running', 30)];
  const heads = [head('running', running, 10), head('waiting', [job('w1', 'waiting', 5)]), head('paused', [])];

  it('orders running, waiting, paused, oldest first, and counts the jobs beyond a full head', () => {
    const active = renderActive(heads, overlayOver(heads, []));
    expect(active.jobs.map((each) => each.id)).toEqual(['r1', 'r2', 'r3', 'w1']);
    expect(active.total).toBe(11);
  });

  it('leaves out an announced job newer than a full head, and does not count it twice', () => {
    const active = renderActive(heads, overlayOver(heads, [job('r9', 'running', 90, 2)]));
    expect(active.jobs.map((each) => each.id)).toEqual(['r1', 'r2', 'r3', 'w1']);
    expect(active.total).toBe(11);
  });

  it('takes an announced job older than the head’s last into the head', () => {
    const active = renderActive(heads, overlayOver(heads, [job('r0', 'running', 15, 2)]));
    expect(active.jobs.map((each) => each.id)).toEqual(['r1', 'r0', 'r2', 'r3', 'w1']);
  });

  it('moves counts with head jobs that change status, exactly for complete heads', () => {
    const finished = { ...job('r2', 'completed', 20, 2) };
    const resumed = { ...job('w1', 'running', 5, 2) };
    const paused = { ...job('r1', 'paused', 10, 2) };
    const active = renderActive(heads, overlayOver(heads, [finished, resumed, paused]));
    expect(active.jobs.map((each) => `${each.id}:${each.status}`)).toEqual(['w1:running', 'r3:running', 'r1:paused']);
    // running: 10 stored, r1 and r2 left, w1 joined; waiting: none left; paused: r1.
    expect(active.total).toBe(9 + 0 + 1);
  });

  it('orders jobs created together by id, as the index does', () => {
    expect([job('b', 'running', 1), job('a', 'running', 1)].sort(compareActive).map((each) => each.id)).toEqual([
      'a',
      'b',
    ]);
  });
});
