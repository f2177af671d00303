import { describe, expect, it } from 'vitest';
import { FeedOverlay } from '../../src/client/feed-overlay';
import { jobRecord } from '../fixtures/job-record';
import { isActive, summarizeJob, type JobFeedMessage, type JobRecord, type JobStatus } from '../../src/shared';

function job(id: string, status: JobStatus, updatedAt: number, extra: Partial<JobRecord> = {}): JobRecord {
  return jobRecord(id, status, { payload: { big: id }, createdAt: 1, updatedAt, ...extra });
}

function message(jobs: readonly JobRecord[], removed: readonly string[] = []): JobFeedMessage {
  return { kind: 'jobs', committedAt: 0, jobs: jobs.map(summarizeJob), removed };
}

const activeOverlay = () => new FeedOverlay((each) => isActive(each.status));
const lookup = (jobs: readonly JobRecord[]) => (id: string) => jobs.find((each) => each.id === id);

describe('FeedOverlay', () => {
  it('lays a newer record over the snapshot, keeping the fields the feed leaves out', () => {
    const overlay = activeOverlay();
    const stored = [job('a', 'running', 10, { checkpoint: { at: 1 } })];
    overlay.add(message([job('a', 'running', 20, { progress: 0.5 })]), (id) => id === 'a');
    expect(overlay.apply(stored)).toEqual([job('a', 'running', 20, { progress: 0.5, checkpoint: { at: 1 } })]);
  });

  it('never lets an older record replace a newer one, from the feed or from the store', () => {
    const overlay = activeOverlay();
    overlay.add(message([job('a', 'running', 30, { progress: 0.6 })]), () => true);
    overlay.add(message([job('a', 'running', 20, { progress: 0.4 })]), () => true);
    expect(overlay.apply([job('a', 'running', 10)])[0]?.progress).toBe(0.6);
    // A snapshot older than the record (answered while it was being committed) does not win.
    overlay.reconcile(lookup([job('a', 'running', 10)]), overlay.seq);
    expect(overlay.apply([job('a', 'running', 10)])[0]?.progress).toBe(0.6);
    // A snapshot as new settles it, and the store is followed again.
    overlay.reconcile(lookup([job('a', 'running', 30, { progress: 0.6 })]), overlay.seq);
    expect(overlay.apply([job('a', 'running', 40, { progress: 0.9 })])[0]?.progress).toBe(0.9);
  });

  it('adds jobs that become active and drops jobs that leave or are removed', () => {
    const overlay = activeOverlay();
    const stored = [job('a', 'running', 10), job('b', 'paused', 10)];
    overlay.add(message([job('a', 'completed', 20), job('c', 'running', 20)], ['b']), (id) => id !== 'c');
    const shown = overlay.apply(stored);
    expect(shown.map((each) => each.id)).toEqual(['c']);
    expect(shown[0]).toHaveProperty('payload', undefined);
  });

  it('does not hold records of jobs the view neither shows nor knows', () => {
    const overlay = activeOverlay();
    expect(overlay.add(message([job('q', 'queued', 20)]), () => false)).toBe(false);
    expect(overlay.apply([])).toEqual([]);
  });

  it('drops a shown job the store lacks on the second snapshot read after it was heard', () => {
    const overlay = activeOverlay();
    const heardBefore = overlay.seq;
    overlay.add(message([job('a', 'running', 20)]), () => false);
    // A read that began before the announcement may not have seen the commit.
    overlay.reconcile(lookup([]), heardBefore);
    expect(overlay.apply([]).map((each) => each.id)).toEqual(['a']);
    overlay.reconcile(lookup([]), overlay.seq);
    expect(overlay.apply([]).map((each) => each.id)).toEqual(['a']);
    overlay.reconcile(lookup([]), overlay.seq);
    expect(overlay.apply([])).toEqual([]);
  });
});
