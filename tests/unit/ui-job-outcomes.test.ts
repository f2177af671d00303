import { describe, expect, it } from 'vitest';
import type { ErrandClient, JobRecord, JobStatus, JobSummary, Watchable } from '../../src/client';
import { summarizeJob } from '../../src/shared';
import { describeOutcome, watchOutcomes } from '../../src/ui/lib/job-outcomes';
import { jobRecord } from '../fixtures/job-record';

function job(id: string, status: JobStatus, fields: Partial<JobRecord> = {}): JobRecord {
  return jobRecord(id, status, { attempts: 1, ...fields });
}

/** The two things the watcher uses: the change feed and a live list of the newest jobs. */
function fakeClient() {
  const feed = new Set<(jobs: readonly JobSummary[], removed: readonly string[]) => void>();
  const lists = new Set<(jobs: JobRecord[]) => void>();
  const client = {
    onJobChanges(listener: (jobs: readonly JobSummary[], removed: readonly string[]) => void) {
      feed.add(listener);
      return () => feed.delete(listener);
    },
    watch(): Watchable<JobRecord[]> {
      return {
        subscribe(next) {
          lists.add(next);
          return () => lists.delete(next);
        },
      };
    },
  } as unknown as ErrandClient;
  return {
    client,
    announce: (...jobs: JobRecord[]) => feed.forEach((listener) => listener(jobs.map(summarizeJob), [])),
    list: (...jobs: JobRecord[]) => lists.forEach((next) => next(jobs)),
    listening: () => feed.size + lists.size,
  };
}

const OPENED = 1_000;

describe('watchOutcomes', () => {
  it('reports a completion or failure announced on the feed once, however often the job is written after', () => {
    const fake = fakeClient();
    const seen: string[] = [];
    const stop = watchOutcomes(fake.client, (each) => seen.push(`${each.id}:${each.status}`), OPENED);
    fake.list();
    fake.announce(job('a', 'running', { updatedAt: 1_100 }));
    fake.announce(job('a', 'completed', { completedAt: 1_200, updatedAt: 1_200 }));
    fake.announce(job('a', 'completed', { completedAt: 1_200, updatedAt: 1_300, syncStatus: 'synced' }));
    fake.announce(job('b', 'failed', { completedAt: 1_400, updatedAt: 1_400 }));
    expect(seen).toEqual(['a:completed', 'b:failed']);
    stop();
    expect(fake.listening()).toBe(0);
  });

  it('does not report a job that finished before the page opened, when a later write announces it', () => {
    const fake = fakeClient();
    const seen: string[] = [];
    watchOutcomes(fake.client, (each) => seen.push(each.id), OPENED);
    fake.announce(job('old', 'completed', { completedAt: 900, updatedAt: 1_500, syncStatus: 'synced' }));
    fake.announce(job('cancelled', 'cancelled', { completedAt: 1_500, updatedAt: 1_500 }));
    expect(seen).toEqual([]);
  });

  it('catches an outcome the feed did not carry in the newest jobs, and not twice when the feed has it too', () => {
    const fake = fakeClient();
    const seen: string[] = [];
    watchOutcomes(fake.client, (each) => seen.push(each.id), OPENED);
    fake.list(job('x', 'running'), job('done-before', 'completed', { completedAt: 800 }));
    fake.list(job('x', 'completed', { completedAt: 1_200, updatedAt: 1_200 }), job('done-before', 'completed'));
    fake.announce(job('x', 'completed', { completedAt: 1_200, updatedAt: 1_200 }));
    expect(seen).toEqual(['x']);
  });
});

describe('describeOutcome', () => {
  it('words a failure as its message and, after several attempts, their count, with one pair of brackets at most', () => {
    const error = {
      name: 'Error',
      code: 'handler-error',
      message: 'The server failed (Failed to fetch)',
      retryable: true,
    };
    expect(describeOutcome(summarizeJob(job('a', 'failed', { label: 'Parse', attempts: 5, error }))).body).toBe(
      'The server failed (Failed to fetch), after 5 attempts',
    );
    expect(
      describeOutcome(
        summarizeJob(job('b', 'failed', { label: 'Parse', attempts: 1, error: { ...error, message: 'No.' } })),
      ).body,
    ).toBe('No.');
  });

  it('gives a message of several sentences the attempt count as a sentence of its own', () => {
    const message =
      'The job was interrupted during its last allowed attempt. Retry it to carry on from where it got to.';
    const error = { name: 'StalledJobError', code: 'stalled', message, retryable: true };
    expect(describeOutcome(summarizeJob(job('c', 'failed', { label: 'Sync', attempts: 3, error }))).body).toBe(
      `${message} It failed after 3 attempts.`,
    );
  });
});
