import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { JobAbortedError, StaleRunnerError } from '../../src/shared';
import { openWorkerStore } from '../../src/store';
import { defineJobType } from '../../src/worker';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { untilJob } from '../helpers/wait';

let harness: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await harness?.close();
  harness = undefined;
});

describe('pause, resume, cancel, retry, remove', () => {
  it('pauses a running job through its signal and resumes it from its checkpoint', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const job = await client.enqueue('progress-steps', { steps: 4, holdAt: 2 });
    await probe.gate.whenReached(`hold:${job.id}:1`);

    const paused = await client.pause(job.id);
    expect(paused).toMatchObject({ status: 'paused', checkpoint: { next: 2, sum: 3 }, attempts: 0 });
    expect(paused.lease).toBeUndefined();
    await client.onIdle();
    expect(probe.runningNow.get('progress-steps')).toBe(0);

    await client.resume(job.id);
    await probe.gate.whenReached(`hold:${job.id}:2`);
    probe.gate.open(`hold:${job.id}:2`);
    expect(await client.waitFor(job.id)).toMatchObject({ status: 'completed', result: { total: 10 }, attempts: 1 });
    expect(probe.stepRuns.get(`${job.id}/step-0`)).toBe(1);
    expect(probe.stepRuns.get(`${job.id}/step-1`)).toBe(1);
    expect(probe.runs.get(job.id)).toBe(2);
  });

  it('pauses queued and waiting jobs, which then do not run until resumed', async () => {
    const clock = new ManualClock();
    const { types, probe } = createFixtures();
    harness = createHarness({ types, clock, concurrency: 1 });
    const { client } = harness;
    await client.enqueue('sleep', { key: 'block' });
    await probe.gate.whenReached('sleep:block');
    const queued = await client.enqueue('sleep', {});
    const later = await client.enqueue('sleep', {}, { delayMs: 1000 });
    await client.pause(queued.id);
    await client.pause(later.id);
    probe.gate.open('sleep:block');
    clock.advance(5000);
    await client.onIdle();
    expect(probe.runs.get(queued.id)).toBeUndefined();
    expect(probe.runs.get(later.id)).toBeUndefined();
    await client.resume(queued.id);
    await client.resume(later.id);
    expect(await client.waitFor(queued.id)).toMatchObject({ status: 'completed' });
    expect(await client.waitFor(later.id)).toMatchObject({ status: 'completed' });
  });

  it('cancels a running job: the handler is aborted and its late completion is refused', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const job = await client.enqueue('hang-until-aborted', {});
    await untilJob(client, job.id, (j) => j.status === 'running');
    const cancelled = await client.cancel(job.id);
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    await client.onIdle();
    expect(probe.runningNow.get('hang-until-aborted')).toBe(0);
    expect(await client.get(job.id)).toMatchObject({ status: 'cancelled' });
  });

  it('refuses a command that does not apply, with a typed error', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const job = await client.enqueue('sleep', {});
    await client.waitFor(job.id);
    await expect(client.pause(job.id)).rejects.toMatchObject({
      code: 'invalid-transition',
      name: 'InvalidTransitionError',
    });
    await expect(client.resume('no-such-id')).rejects.toMatchObject({ code: 'not-found', name: 'JobNotFoundError' });
  });

  it('retries failed jobs by hand, together, keeping what they finished', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const jobs = await client.enqueueMany(
      Array.from({ length: 3 }, () => ({ type: 'fail-n-times', payload: { failures: 1, kind: 'permanent' } })),
    );
    for (const job of jobs) expect(await client.waitFor(job.id)).toMatchObject({ status: 'failed' });
    const ok = await client.enqueue('sleep', {});
    await client.waitFor(ok.id);

    const bulk = await client.retryMany([...jobs.map((job) => job.id), ok.id]);
    expect(bulk.changed.map((job) => job.status)).toEqual(['queued', 'queued', 'queued']);
    expect(bulk.skipped).toEqual([{ id: ok.id, code: 'invalid-transition' }]);
    for (const job of jobs) {
      expect(await client.waitFor(job.id)).toMatchObject({ status: 'completed', attempts: 1 });
      expect(probe.runs.get(job.id)).toBe(2);
    }
  });

  it('removes a job with its steps and logs, even while it runs', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const job = await client.enqueue('progress-steps', { steps: 3, holdAt: 1 });
    await probe.gate.whenReached(`hold:${job.id}:1`);
    expect(await client.steps(job.id)).toHaveLength(1);
    await client.remove(job.id);
    probe.gate.open(`hold:${job.id}:1`);
    await client.onIdle();
    expect(await client.get(job.id)).toBeUndefined();
    expect(await client.steps(job.id)).toEqual([]);
    expect(probe.stepRuns.get(`${job.id}/step-1`)).toBeUndefined();
  });
  it('a job claimed again while its earlier attempt still runs stops that attempt, and is paused at once', async () => {
    const clock = new ManualClock();
    // Each run waits until the test ends it, and tells why its signal aborted.
    const runs: { end: () => void; aborted: Promise<unknown> }[] = [];
    const waits = defineJobType<Record<string, never>, string>({
      type: 'waits',
      label: 'Waits',
      run: (_payload, ctx) =>
        new Promise<string>((resolve, reject) => {
          let aborted!: (reason: unknown) => void;
          runs.push({ end: () => resolve('late'), aborted: new Promise((done) => (aborted = done)) });
          ctx.signal.addEventListener(
            'abort',
            () => {
              aborted(ctx.signal.reason);
              reject(ctx.signal.reason as Error);
            },
            { once: true },
          );
        }),
    });
    harness = createHarness({ types: [waits], clock });
    const { client, runtime } = harness;
    const job = await client.enqueue('waits', {});
    await vi.waitFor(() => expect(runs).toHaveLength(1));

    // Another tab pauses and resumes the job; its messages never reach this runner, whose first
    // attempt goes on while the next round starts the job again.
    const otherTab = openWorkerStore(harness.dbName);
    onTestFinished(() => otherTab.close());
    await otherTab.jobs.applyMany([job.id], { type: 'pause' }, clock.now());
    await otherTab.jobs.applyMany([job.id], { type: 'resume' }, clock.now());
    clock.advance(5000);
    await vi.waitFor(() => expect(runs).toHaveLength(2));
    const second = (await client.get(job.id))?.lease;

    // The earlier attempt no longer owns the job: it stops at once, rather than run beside the
    // new one until its next write is refused, and its end leaves the new one known as running.
    expect(await runs[0]?.aborted).toBeInstanceOf(StaleRunnerError);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await client.get(job.id)).toMatchObject({ status: 'running', lease: second });
    expect(await runtime.api.status()).toMatchObject({ running: 1 });

    await client.pause(job.id);
    expect(await runs[1]?.aborted).toBeInstanceOf(JobAbortedError);
    await client.onIdle();
    expect(await runtime.api.status()).toMatchObject({ running: 0 });
    expect(await client.get(job.id)).toMatchObject({ status: 'paused' });
  });
});
