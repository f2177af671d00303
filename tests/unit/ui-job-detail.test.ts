import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ErrandClient, JobRecord, JobRef, RelatedJobs, StepCounts, StepRecord } from '../../src/client';
import {
  dependencyWaitText,
  dependentsWarning,
  hasRelated,
  JobDetailState,
} from '../../src/ui/routes/job-detail.svelte';

const job = { id: 'job-1', type: 'demo_steps', status: 'running', createdAt: 1, updatedAt: 1 } as unknown as JobRecord;

/** A client holding one running job whose journal the test writes, and tells of when asked. */
function fakeClient() {
  let steps: StepRecord[] = [];
  let tellJournal: (() => void) | undefined;
  let tellRelated: ((related: RelatedJobs | undefined) => void) | undefined;
  const counts = (): StepCounts => ({
    total: steps.length,
    completed: steps.filter((step) => step.status === 'completed').length,
    failed: 0,
    running: steps.filter((step) => step.status === 'running').length,
    rerun: 0,
  });
  const client = {
    watchJob: () => ({
      subscribe(next: (value: JobRecord) => void) {
        next(job);
        return () => undefined;
      },
    }),
    watchJournal: () => ({
      subscribe(next: () => void) {
        tellJournal = next;
        return () => (tellJournal = undefined);
      },
    }),
    watchRelated: () => ({
      subscribe(next: (value: RelatedJobs | undefined) => void) {
        tellRelated = next;
        return () => (tellRelated = undefined);
      },
    }),
    stepCounts: vi.fn(async () => counts()),
    stepRange: vi.fn(async (_id: string, offset: number, limit: number) => steps.slice(offset, offset + limit)),
    logs: async () => [],
    files: async () => [],
    response: async () => undefined,
  };
  return {
    client: client as unknown as ErrandClient,
    stepCounts: client.stepCounts,
    /** A step starts: its record is written, the job's is not. */
    startStep(name: string) {
      steps = [...steps, { jobId: job.id, name, status: 'running', runs: 1, startedAt: 2 }];
      tellJournal?.();
    },
    /** The related jobs are read (again). */
    relate(related: RelatedJobs | undefined) {
      tellRelated?.(related);
    },
    listening: () => tellJournal !== undefined || tellRelated !== undefined,
  };
}

describe('JobDetailState', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows a step that starts while the job record stays as it was, and stops listening when closed', async () => {
    const fake = fakeClient();
    const detail = new JobDetailState();
    const close = detail.connect(fake.client, job.id);
    await vi.advanceTimersByTimeAsync(0);
    expect(detail.stepCounts).toMatchObject({ total: 0, running: 0 });

    fake.startStep('step 1');
    // The journal is read again after its pause (at least half a second after the last read).
    await vi.advanceTimersByTimeAsync(500);
    expect(detail.stepCounts).toMatchObject({ total: 1, running: 1 });
    expect(detail.stepWindow.steps.map((step) => step.name)).toEqual(['step 1']);

    // The related jobs: set as read, and left as they are when a read finds them unchanged.
    expect(detail.related).toBeUndefined();
    fake.relate(relatedOf([ref('a', 'waiting')]));
    const related = detail.related;
    expect(related?.dependents.map((dependent) => dependent.id)).toEqual(['a']);
    fake.relate(relatedOf([ref('a', 'waiting')]));
    expect(detail.related).toBe(related);
    fake.relate(relatedOf([ref('a', 'queued')]));
    expect(detail.related?.dependents[0]?.status).toBe('queued');

    close();
    expect(fake.listening()).toBe(false);
    const reads = fake.stepCounts.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fake.stepCounts.mock.calls.length).toBe(reads);
  });
});

/** Related jobs with `dependents` (and as many in all unless `total` says more). */
function relatedOf(dependents: readonly JobRef[], total = dependents.length): RelatedJobs {
  return { dependencies: [], dependents, dependentsTotal: total, children: [], childrenTotal: 0 };
}
const ref = (id: string, status: JobRef['status']): JobRef => ({ id, label: `Job ${id}`, type: 'demo', status });

describe('dependentsWarning', () => {
  it('names the one unfinished dependent that a cancel or a removal fails', () => {
    const related = relatedOf([ref('a', 'waiting'), ref('b', 'completed')]);
    expect(dependentsWarning('cancel', 'running', related)).toBe('“Job a” waits for it to complete, and will fail.');
    expect(dependentsWarning('remove', 'queued', related)).toBe('“Job a” waits for it to complete, and will fail.');
  });

  it('counts several, and says "at least" where some dependents were not read', () => {
    const three = [ref('a', 'waiting'), ref('b', 'queued'), ref('c', 'paused')];
    expect(dependentsWarning('cancel', 'waiting', relatedOf(three))).toBe(
      'The 3 unfinished jobs that wait for it to complete will fail.',
    );
    expect(dependentsWarning('cancel', 'waiting', relatedOf([ref('a', 'waiting')], 1_200))).toBe(
      'At least 1 unfinished job that waits for it to complete will fail.',
    );
  });

  it('says nothing where no dependent is unfinished, for a completed job removed, or for other commands', () => {
    const waiting = relatedOf([ref('a', 'waiting')]);
    expect(dependentsWarning('cancel', 'running', relatedOf([ref('a', 'failed'), ref('b', 'cancelled')]))).toBe(
      undefined,
    );
    expect(dependentsWarning('remove', 'completed', waiting)).toBeUndefined();
    expect(dependentsWarning('pause', 'running', waiting)).toBeUndefined();
    expect(dependentsWarning('cancel', 'running', undefined)).toBeUndefined();
  });
});

describe('hasRelated', () => {
  it('is true for a job with any related job, false for one alone', () => {
    expect(hasRelated(relatedOf([]))).toBe(false);
    expect(hasRelated(relatedOf([ref('a', 'queued')]))).toBe(true);
    expect(hasRelated({ ...relatedOf([]), dependencies: [{ id: 'gone' }] })).toBe(true);
    expect(hasRelated({ ...relatedOf([]), parent: { id: 'p' } })).toBe(true);
    expect(hasRelated({ ...relatedOf([]), childrenTotal: 2 })).toBe(true);
  });
});

describe('dependencyWaitText', () => {
  const withDependencies = (...dependencies: RelatedJobs['dependencies']): RelatedJobs => ({
    ...relatedOf([]),
    dependencies,
  });

  it('names the one dependency left, or counts those left of all', () => {
    const done = { id: 'a', job: ref('a', 'completed') };
    const fetch = { id: 'b', job: { ...ref('b', 'running'), label: 'Fetch' } };
    expect(dependencyWaitText(withDependencies(done, fetch))).toBe('Waiting for “Fetch”');
    expect(dependencyWaitText(withDependencies(done, fetch, { id: 'c', job: ref('c', 'queued') }))).toBe(
      'Waiting for 2 of the 3 jobs it depends on',
    );
  });

  it('is undefined before the read, and where none is left unfinished', () => {
    expect(dependencyWaitText(undefined)).toBeUndefined();
    expect(dependencyWaitText(withDependencies({ id: 'a', job: ref('a', 'completed') }, { id: 'gone' }))).toBe(
      undefined,
    );
  });
});
