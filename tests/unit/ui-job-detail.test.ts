import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ErrandClient, JobRecord, StepCounts, StepRecord } from '../../src/client';
import { JobDetailState } from '../../src/ui/routes/job-detail.svelte';

const job = { id: 'job-1', type: 'demo_steps', status: 'running', createdAt: 1, updatedAt: 1 } as unknown as JobRecord;

/** A client holding one running job whose journal the test writes, and tells of when asked. */
function fakeClient() {
  let steps: StepRecord[] = [];
  let tellJournal: (() => void) | undefined;
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
    listening: () => tellJournal !== undefined,
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

    close();
    expect(fake.listening()).toBe(false);
    const reads = fake.stepCounts.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fake.stepCounts.mock.calls.length).toBe(reads);
  });
});
