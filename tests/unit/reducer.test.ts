import { describe, expect, it } from 'vitest';
import {
  JOB_STATUSES,
  MAX_INTERRUPTIONS,
  PAGE_EXIT,
  reduceJob,
  type JobAction,
  type JobActionType,
  type JobRecord,
  type JobStatus,
} from '../../src/shared';

const NOW = 1_000_000;

function job(status: JobStatus, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'j1',
    type: 't',
    label: 'Job',
    status,
    priority: 'normal',
    rank: 1,
    payload: {},
    progress: 0.5,
    completedSteps: 1,
    attempts: 1,
    maxAttempts: 3,
    runAt: NOW - 10,
    createdAt: NOW - 100,
    updatedAt: NOW - 100,
    history: [],
    ...(status === 'running' ? { lease: { epoch: 1, token: 'a' } } : {}),
    ...extra,
  };
}

const error = { name: 'Error', code: 'handler-error', message: 'x', retryable: true };
const actions: Record<JobActionType, JobAction> = {
  start: { type: 'start', lease: { epoch: 2, token: 'b' } },
  progress: { type: 'progress', progress: 0.7, step: 's' },
  checkpoint: { type: 'checkpoint', state: { n: 1 } },
  complete: { type: 'complete', result: 'r' },
  fail: { type: 'fail', error, retryAt: NOW + 1000 },
  'rate-limit': { type: 'rate-limit', until: NOW + 2000, error },
  wait: { type: 'wait', reason: 'offline' },
  wake: { type: 'wake' },
  pause: { type: 'pause' },
  resume: { type: 'resume' },
  cancel: { type: 'cancel' },
  retry: { type: 'retry' },
  requeue: { type: 'requeue' },
  reprioritize: { type: 'reprioritize', priority: 'high', rank: 0.5 },
};

const X = 'invalid-transition';
/** Expected status after each action, per starting status (columns in JOB_STATUSES order). */
const table: Record<JobActionType, Record<JobStatus, JobStatus | typeof X>> = {
  //              queued      running      waiting      paused      completed  failed     cancelled
  start: { queued: 'running', running: X, waiting: X, paused: X, completed: X, failed: X, cancelled: X },
  progress: { queued: X, running: 'running', waiting: X, paused: X, completed: X, failed: X, cancelled: X },
  checkpoint: { queued: X, running: 'running', waiting: X, paused: X, completed: X, failed: X, cancelled: X },
  complete: { queued: X, running: 'completed', waiting: X, paused: X, completed: X, failed: X, cancelled: X },
  fail: { queued: 'failed', running: 'waiting', waiting: 'failed', paused: X, completed: X, failed: X, cancelled: X },
  'rate-limit': { queued: X, running: 'waiting', waiting: X, paused: X, completed: X, failed: X, cancelled: X },
  wait: { queued: 'waiting', running: 'waiting', waiting: X, paused: X, completed: X, failed: X, cancelled: X },
  wake: { queued: X, running: X, waiting: 'queued', paused: X, completed: X, failed: X, cancelled: X },
  pause: { queued: 'paused', running: 'paused', waiting: 'paused', paused: X, completed: X, failed: X, cancelled: X },
  resume: { queued: X, running: X, waiting: X, paused: 'queued', completed: X, failed: X, cancelled: X },
  cancel: {
    queued: 'cancelled',
    running: 'cancelled',
    waiting: 'cancelled',
    paused: 'cancelled',
    completed: X,
    failed: X,
    cancelled: X,
  },
  retry: { queued: X, running: X, waiting: X, paused: X, completed: X, failed: 'queued', cancelled: 'queued' },
  requeue: { queued: X, running: 'queued', waiting: X, paused: X, completed: X, failed: X, cancelled: X },
  reprioritize: {
    queued: 'queued',
    running: 'running',
    waiting: 'waiting',
    paused: 'paused',
    completed: X,
    failed: X,
    cancelled: X,
  },
};

describe('reduceJob: every (status, action) pair', () => {
  for (const [actionType, row] of Object.entries(table) as [JobActionType, Record<JobStatus, string>][]) {
    for (const status of JOB_STATUSES) {
      const expected = row[status];
      it(`${status} + ${actionType} → ${expected}`, () => {
        const before = job(status);
        const frozen = structuredClone(before);
        if (expected === X) {
          expect(() => reduceJob(before, actions[actionType], NOW)).toThrow(expect.objectContaining({ code: X }));
        } else {
          const after = reduceJob(before, actions[actionType], NOW);
          expect(after.status).toBe(expected);
          expect(after.updatedAt).toBe(NOW);
          if (after.status !== 'running') expect(after.lease).toBeUndefined();
        }
        expect(before).toEqual(frozen);
      });
    }
  }
});

describe('reduceJob: details', () => {
  it('start counts an attempt and sets the lease', () => {
    const after = reduceJob(job('queued', { attempts: 0 }), actions.start, NOW);
    expect(after).toMatchObject({ attempts: 1, lease: { epoch: 2, token: 'b' }, startedAt: NOW });
    expect(after.history.at(-1)).toEqual({ status: 'running', at: NOW });
  });

  it('fail with no attempt left fails for good', () => {
    const after = reduceJob(job('running', { attempts: 3 }), actions.fail, NOW);
    expect(after).toMatchObject({ status: 'failed', error, completedAt: NOW });
  });

  it('fail with attempts left waits for the retry time', () => {
    const after = reduceJob(job('running', { attempts: 1 }), actions.fail, NOW);
    expect(after).toMatchObject({ status: 'waiting', waitReason: 'retry', runAt: NOW + 1000 });
  });

  it('rate-limit gives the attempt back', () => {
    const after = reduceJob(job('running', { attempts: 2 }), actions['rate-limit'], NOW);
    expect(after).toMatchObject({ status: 'waiting', waitReason: 'rate_limit', runAt: NOW + 2000, attempts: 1 });
  });

  it('pausing a running job keeps its checkpoint and gives the attempt back', () => {
    const after = reduceJob(job('running', { attempts: 2, checkpoint: { next: 4 } }), actions.pause, NOW);
    expect(after).toMatchObject({ status: 'paused', attempts: 1, checkpoint: { next: 4 } });
  });

  it('resume returns a job still inside its wait to waiting', () => {
    const paused = job('paused', { waitReason: 'retry', runAt: NOW + 5000 });
    expect(reduceJob(paused, actions.resume, NOW)).toMatchObject({ status: 'waiting', waitReason: 'retry' });
    expect(reduceJob(job('paused'), actions.resume, NOW).status).toBe('queued');
  });

  it('requeue says when the cut-short run was last heard from: its last write, not the takeover', () => {
    const started = reduceJob(job('queued'), actions.start, NOW);
    const reported = reduceJob(started, { type: 'progress', progress: 0.2 }, NOW + 4_000);
    const after = reduceJob(reported, actions.requeue, NOW + 3_600_000);
    expect(after.history.at(-1)).toEqual({
      status: 'queued',
      at: NOW + 3_600_000,
      code: 'interrupted',
      ranUntil: NOW + 4_000,
    });
    const stalled = reduceJob({ ...reported, attempts: 3 }, actions.requeue, NOW + 60_000);
    expect(stalled.history.at(-1)).toMatchObject({ status: 'failed', ranUntil: NOW + 4_000 });
    expect(reduceJob(started, actions.pause, NOW + 5).history.at(-1)).not.toHaveProperty('ranUntil');
  });

  it('requeue of a stalled job on its last attempt fails it as stalled', () => {
    const after = reduceJob(job('running', { attempts: 3 }), actions.requeue, NOW);
    expect(after).toMatchObject({ status: 'failed', error: { code: 'stalled' } });
  });

  it('requeue of a job that saved a checkpoint during the cut-short attempt gives the attempt back', () => {
    const started = reduceJob(job('queued', { attempts: 2 }), actions.start, NOW);
    const saved = reduceJob(started, actions.checkpoint, NOW + 5);
    expect(saved.progressedAt).toBe(NOW + 5);
    const after = reduceJob(saved, actions.requeue, NOW + 10);
    expect(after).toMatchObject({ status: 'queued', attempts: 2, interruptions: 1, checkpoint: { n: 1 } });
    expect(after.history.at(-1)).toEqual({ status: 'queued', at: NOW + 10, code: 'interrupted', ranUntil: NOW + 5 });
    // The next attempt is the job's third and last; cut short again with headway, it is given back again.
    const again = reduceJob(
      reduceJob(reduceJob(after, actions.start, NOW + 20), actions.checkpoint, NOW + 21),
      actions.requeue,
      NOW + 30,
    );
    expect(again).toMatchObject({ status: 'queued', attempts: 2, interruptions: 2 });
  });

  it('headway saved in an earlier attempt does not give back a later cut-short one', () => {
    const saved = reduceJob(reduceJob(job('queued', { attempts: 2 }), actions.start, NOW), actions.checkpoint, NOW + 1);
    const failedLater = reduceJob(reduceJob(saved, actions.requeue, NOW + 2), actions.start, NOW + 3);
    expect(failedLater.attempts).toBe(3);
    const after = reduceJob(failedLater, actions.requeue, NOW + 4);
    expect(after).toMatchObject({ status: 'failed', error: { code: 'stalled', retryable: true } });
    expect(after.error?.message).toMatch(/interrupted during its last allowed attempt/);
  });

  it('requeue after the page left gives the attempt back without headway, says so, and is never capped', () => {
    const pageExit = { type: 'requeue', pageExit: true, exitedAt: NOW + 9_000 } as const;
    // The last allowed attempt, cut short before it saved anything: a crash fails the job, a page exit does not.
    const last = reduceJob(job('queued', { attempts: 2, maxAttempts: 3 }), actions.start, NOW);
    expect(reduceJob(last, actions.requeue, NOW + 10_000).status).toBe('failed');
    const after = reduceJob(last, pageExit, NOW + 10_000);
    expect(after).toMatchObject({ status: 'queued', attempts: 2, interruptions: 1 });
    expect(after.crashes).toBeUndefined();
    // The run ran until its page left, though it wrote nothing after it started.
    expect(after.history.at(-1)).toEqual({
      status: 'queued',
      at: NOW + 10_000,
      code: PAGE_EXIT,
      ranUntil: NOW + 9_000,
    });

    let current = job('queued', { attempts: 0, maxAttempts: 1 });
    let at = NOW;
    for (let round = 0; round < MAX_INTERRUPTIONS * 3; round += 1) {
      current = reduceJob(reduceJob(current, actions.start, (at += 1)), { type: 'requeue', pageExit: true }, (at += 1));
    }
    expect(current).toMatchObject({ status: 'queued', attempts: 0, interruptions: MAX_INTERRUPTIONS * 3 });
    // A page exit noted before the job's last write does not shorten the run.
    const wrote = reduceJob(reduceJob(current, actions.start, at + 1), actions.checkpoint, at + 50);
    expect(
      reduceJob(wrote, { type: 'requeue', pageExit: true, exitedAt: at + 20 }, at + 60).history.at(-1)?.ranUntil,
    ).toBe(at + 50);
  });

  it('a job that keeps saving headway and being cut short fails after MAX_INTERRUPTIONS', () => {
    let current = job('queued', { attempts: 0, maxAttempts: 1 });
    let at = NOW;
    for (let round = 0; round <= MAX_INTERRUPTIONS; round += 1) {
      current = reduceJob(reduceJob(current, actions.start, (at += 1)), actions.checkpoint, (at += 1));
      current = reduceJob(current, actions.requeue, (at += 1));
    }
    expect(current).toMatchObject({ status: 'failed', error: { code: 'stalled' } });
    expect(current.error?.message).toMatch(new RegExp(`crashed or was stopped ${MAX_INTERRUPTIONS + 1} times`));
    expect(current.crashes).toBe(MAX_INTERRUPTIONS);
    // A manual retry starts the count again.
    expect(reduceJob(current, actions.retry, at + 1).interruptions).toBeUndefined();
    expect(reduceJob(current, actions.retry, at + 1).crashes).toBeUndefined();
  });

  it('manual retry resets attempts and keeps the checkpoint', () => {
    const failed = job('failed', { attempts: 3, error, checkpoint: { next: 2 } });
    const after = reduceJob(failed, actions.retry, NOW);
    expect(after).toMatchObject({ status: 'queued', attempts: 0, checkpoint: { next: 2 }, runAt: NOW });
    expect(after.error).toBeUndefined();
  });

  it('complete clears the checkpoint and sets progress to 1', () => {
    const after = reduceJob(job('running', { checkpoint: { next: 1 } }), actions.complete, NOW);
    expect(after).toMatchObject({ status: 'completed', progress: 1, result: 'r', completedAt: NOW });
    expect(after.checkpoint).toBeUndefined();
  });

  it('progress is clamped to 0..1', () => {
    expect(reduceJob(job('running'), { type: 'progress', progress: 7 }, NOW).progress).toBe(1);
    expect(reduceJob(job('running'), { type: 'progress', progress: Number.NaN }, NOW).progress).toBe(0);
  });

  it('history is bounded', () => {
    let current = job('queued');
    for (let i = 0; i < 100; i++) {
      current = reduceJob(current, actions.pause, NOW + i);
      current = reduceJob(current, actions.resume, NOW + i);
    }
    expect(current.history.length).toBe(50);
  });
});
