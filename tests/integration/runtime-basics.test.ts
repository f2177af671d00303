import { afterEach, describe, expect, it } from 'vitest';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { uuidV7Time } from '../../src/shared';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('enqueue and run', () => {
  it('acknowledges a job only once it is stored, then runs it to completion', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const job = await harness.client.enqueue('sleep', { value: 42 });
    expect(job.status).toBe('queued');
    expect(await harness.client.get(job.id)).toMatchObject({ id: job.id, type: 'sleep' });

    const done = await harness.client.waitFor(job.id);
    expect(done).toMatchObject({ status: 'completed', result: 42, progress: 1, attempts: 1 });
    expect(probe.runs.get(job.id)).toBe(1);
  });

  it('journals steps and reports progress and checkpoints', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types, clock: new ManualClock() });
    const job = await harness.client.enqueue('progress-steps', { steps: 4 });
    const done = await harness.client.waitFor(job.id);
    expect(done).toMatchObject({ status: 'completed', result: { total: 10 }, completedSteps: 4, step: 'step-3' });
    const steps = await harness.client.steps(job.id);
    expect(steps.map((s) => [s.name, s.status, s.runs])).toEqual([
      ['step-0', 'completed', 1],
      ['step-1', 'completed', 1],
      ['step-2', 'completed', 1],
      ['step-3', 'completed', 1],
    ]);
    expect([...probe.stepRuns.values()]).toEqual([1, 1, 1, 1]);
  });

  it('gives new jobs UUIDv7 ids from its clock, in the order they were enqueued, across calls', async () => {
    const { types } = createFixtures();
    const clock = new ManualClock();
    harness = createHarness({ types, clock });
    const first = await harness.client.enqueueMany(
      Array.from({ length: 50 }, (_, i) => ({ type: 'sleep', payload: { value: i }, options: { delayMs: 60_000 } })),
    );
    clock.advance(1);
    const later = await harness.client.enqueue('sleep', { value: 'later' }, { delayMs: 60_000 });
    const ids = [...first, later].map((job) => job.id);
    expect(ids.map((id) => uuidV7Time(id))).toEqual([...first.map(() => clock.now() - 1), clock.now()]);
    expect([...ids].sort()).toEqual(ids);
    expect(first.map((job) => job.createdAt)).toEqual(first.map(() => clock.now() - 1));
  });
});
