import { afterEach, describe, expect, it } from 'vitest';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { untilJob } from '../helpers/wait';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function setup(overrides = {}) {
  const clock = new ManualClock();
  const fixtures = createFixtures(undefined, overrides);
  harness = createHarness({ types: fixtures.types, clock });
  return { clock, probe: fixtures.probe, client: harness.client };
}

describe('retries', () => {
  it('backs off exponentially through the injected clock, then succeeds', async () => {
    const { clock, client } = setup();
    const start = clock.now();
    const job = await client.enqueue('fail-n-times', { failures: 2 });
    await client.onIdle();
    expect(await client.get(job.id)).toMatchObject({
      status: 'waiting',
      waitReason: 'retry',
      attempts: 1,
      runAt: start + 1000,
      error: { code: 'handler-error' },
    });

    clock.advance(999);
    await client.onIdle();
    expect(await client.get(job.id)).toMatchObject({ status: 'waiting', attempts: 1 });

    clock.advance(1);
    await client.onIdle();
    expect(await client.get(job.id)).toMatchObject({ status: 'waiting', attempts: 2, runAt: start + 1000 + 2000 });

    clock.advance(2000);
    expect(await client.waitFor(job.id)).toMatchObject({
      status: 'completed',
      attempts: 3,
      result: 'succeeded on run 3',
    });
  });

  it('fails for good once maxAttempts is used up', async () => {
    const { clock, client, probe } = setup();
    const job = await client.enqueue('fail-n-times', { failures: 10 });
    await client.onIdle();
    clock.advance(1000);
    await client.onIdle();
    clock.advance(2000);
    const failed = await client.waitFor(job.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, maxAttempts: 3, error: { code: 'handler-error' } });
    expect(probe.runs.get(job.id)).toBe(3);
  });

  it('fails at once on a PermanentJobError', async () => {
    const { client, probe } = setup();
    const job = await client.enqueue('fail-n-times', { failures: 1, kind: 'permanent' });
    expect(await client.waitFor(job.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'permanent', name: 'PermanentJobError' },
    });
    expect(probe.runs.get(job.id)).toBe(1);
  });

  it('waits the time a RetryLaterError asks for', async () => {
    const { clock, client } = setup();
    const start = clock.now();
    const job = await client.enqueue('fail-n-times', { failures: 1, kind: 'retry-later', delayMs: 7000 });
    await client.onIdle();
    expect(await client.get(job.id)).toMatchObject({
      status: 'waiting',
      waitReason: 'retry',
      runAt: start + 7000,
      attempts: 1,
    });
    clock.advance(7000);
    expect(await client.waitFor(job.id)).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it('a rate limit waits without consuming an attempt, and holds the whole type', async () => {
    const { clock, client, probe } = setup();
    const start = clock.now();
    const limited = await client.enqueue('fail-n-times', { failures: 1, kind: 'rate-limit', delayMs: 5000 });
    await untilJob(client, limited.id, (job) => job.status === 'waiting');
    const next = await client.enqueue('fail-n-times', { failures: 0 });
    await client.onIdle();
    expect(await client.get(limited.id)).toMatchObject({
      status: 'waiting',
      waitReason: 'rate_limit',
      runAt: start + 5000,
      attempts: 0,
      error: { code: 'rate-limited' },
    });
    // A job of the held type enqueued meanwhile waits too, and says why.
    expect(await client.get(next.id)).toMatchObject({
      status: 'waiting',
      waitReason: 'rate_limit',
      runAt: start + 5000,
    });
    expect(probe.runs.get(next.id)).toBeUndefined();

    clock.advance(5000);
    expect(await client.waitFor(limited.id)).toMatchObject({ status: 'completed', attempts: 1 });
    expect(await client.waitFor(next.id)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('a type that used up its starts per interval holds the rest, waiting with reason rate_limit until a start frees', async () => {
    const { clock, client } = setup({ sleep: { rateLimit: { max: 2, intervalMs: 60_000 } } });
    const start = clock.now();
    const jobs = await client.enqueueMany(Array.from({ length: 4 }, () => ({ type: 'sleep', payload: {} })));
    await client.onIdle();
    const after = await Promise.all(jobs.map((job) => client.get(job.id)));
    expect(after.map((job) => job?.status)).toEqual(['completed', 'completed', 'waiting', 'waiting']);
    expect(after.slice(2)).toMatchObject([
      { waitReason: 'rate_limit', runAt: start + 60_000, attempts: 0 },
      { waitReason: 'rate_limit', runAt: start + 60_000, attempts: 0 },
    ]);

    clock.advance(60_000);
    for (const job of jobs) expect(await client.waitFor(job.id)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('aborts a run that passes its timeout and retries it', async () => {
    const { clock, client, probe } = setup({ 'hang-until-aborted': { timeoutMs: 1000, retry: { maxAttempts: 2 } } });
    const job = await client.enqueue('hang-until-aborted', {});
    await untilJob(client, job.id, (j) => j.status === 'running');
    clock.advance(1000);
    const waiting = await untilJob(client, job.id, (j) => j.status === 'waiting');
    expect(waiting).toMatchObject({ waitReason: 'retry', attempts: 1, error: { code: 'timeout' } });
    expect(probe.runningNow.get('hang-until-aborted')).toBe(0);
    clock.advance(60_000);
    await untilJob(client, job.id, (j) => j.status === 'running' && j.attempts === 2);
    clock.advance(1000);
    expect(await client.waitFor(job.id)).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'timeout' } });
  });
});
