import { afterEach, describe, expect, it } from 'vitest';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { untilJob, untilJobs } from '../helpers/wait';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('scheduling', () => {
  it('runs by priority, then rank, then age', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types, concurrency: 1 });
    const { client } = harness;
    const blocker = await client.enqueue('sleep', { key: 'block' });
    await probe.gate.whenReached('sleep:block');
    const low = await client.enqueue('sleep', {}, { priority: 'low' });
    const normalOld = await client.enqueue('sleep', {});
    const normalNew = await client.enqueue('sleep', {});
    const high = await client.enqueue('sleep', {}, { priority: 'high' });
    const jumped = await client.enqueue('sleep', {}, { rank: 0 });

    probe.gate.open('sleep:block');
    await client.onIdle();
    expect(probe.order).toEqual([blocker.id, high.id, jumped.id, normalOld.id, normalNew.id, low.id]);
  });

  it('keeps enqueue order within one millisecond', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types, concurrency: 1, clock: new ManualClock() });
    const jobs = await harness.client.enqueueMany(Array.from({ length: 20 }, () => ({ type: 'sleep', payload: {} })));
    await harness.client.onIdle();
    expect(probe.order).toEqual(jobs.map((job) => job.id));
  });

  it('reprioritizing a queued job moves it in the run order', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types, concurrency: 1 });
    const { client } = harness;
    await client.enqueue('sleep', { key: 'block' });
    await probe.gate.whenReached('sleep:block');
    const first = await client.enqueue('sleep', {});
    const last = await client.enqueue('sleep', {});
    await client.reprioritize(last.id, { rank: first.rank - 1 });
    probe.gate.open('sleep:block');
    await client.onIdle();
    expect(probe.order.slice(1)).toEqual([last.id, first.id]);
  });

  it('never runs more than the global concurrency', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types, concurrency: 3 });
    const { client } = harness;
    const jobs = await client.enqueueMany(
      Array.from({ length: 6 }, (_, i) => ({ type: 'sleep', payload: { key: `k${i}` } })),
    );
    await untilJobs(client, (all) => all.filter((job) => job.status === 'running').length === 3);
    expect(await client.count({ status: 'queued' })).toBe(3);
    for (let i = 0; i < 6; i++) probe.gate.open(`sleep:k${i}`);
    await Promise.all(jobs.map((job) => client.waitFor(job.id)));
    expect(probe.maxRunningTotal).toBe(3);
  });

  it('respects a per-type concurrency limit while other types run', async () => {
    const { types, probe } = createFixtures(undefined, { sleep: { concurrency: 2 } });
    harness = createHarness({ types, concurrency: 5 });
    const { client } = harness;
    const sleepers = await client.enqueueMany(
      Array.from({ length: 4 }, (_, i) => ({ type: 'sleep', payload: { key: `s${i}` } })),
    );
    const other = await client.enqueue('progress-steps', { steps: 2 });
    await client.waitFor(other.id);
    await untilJobs(
      client,
      (all) => all.filter((job) => job.type === 'sleep' && job.status === 'running').length === 2,
    );
    for (let i = 0; i < 4; i++) probe.gate.open(`sleep:s${i}`);
    await Promise.all(sleepers.map((job) => client.waitFor(job.id)));
    expect(probe.maxRunning.get('sleep')).toBe(2);
  });

  it('does not run a job before its time', async () => {
    const clock = new ManualClock();
    const { types, probe } = createFixtures();
    harness = createHarness({ types, clock });
    const job = await harness.client.enqueue('sleep', {}, { delayMs: 60_000 });
    expect(job).toMatchObject({ status: 'waiting', waitReason: 'scheduled' });
    await harness.client.onIdle();
    clock.advance(59_999);
    await harness.client.onIdle();
    expect(probe.runs.get(job.id)).toBeUndefined();
    clock.advance(1);
    expect(await harness.client.waitFor(job.id)).toMatchObject({ status: 'completed' });
  });

  it('runs a job after the jobs it depends on, and fails it when one of them fails', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const first = await client.enqueue('sleep', { key: 'first' });
    const second = await client.enqueue('sleep', {}, { dependsOn: [first.id] });
    await untilJob(client, second.id, (job) => job.status === 'waiting' && job.waitReason === 'dependencies');
    probe.gate.open('sleep:first');
    expect(await client.waitFor(second.id)).toMatchObject({ status: 'completed' });
    expect(probe.order).toEqual([first.id, second.id]);

    const broken = await client.enqueue('fail-n-times', { failures: 1, kind: 'permanent' });
    const dependent = await client.enqueue('sleep', {}, { dependsOn: [broken.id] });
    expect(await client.waitFor(dependent.id)).toMatchObject({
      status: 'failed',
      error: { code: 'dependency-failed' },
    });
  });

  it('a removed dependency does not leave its dependents waiting for ever', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;

    // Removed before it completed: its dependent can never run, and fails saying so.
    const gone = await client.enqueue('sleep', { key: 'gone' });
    const orphan = await client.enqueue('sleep', {}, { dependsOn: [gone.id] });
    await untilJob(client, orphan.id, (job) => job.status === 'waiting' && job.waitReason === 'dependencies');
    await client.remove(gone.id);
    expect(await client.waitFor(orphan.id)).toMatchObject({
      status: 'failed',
      error: {
        code: 'dependency-failed',
        message: `The job it depends on (${gone.id}) was removed before it completed`,
      },
    });

    // Removed after it completed: it did what its dependent waited for, which waits only for the rest.
    const done = await client.enqueue('sleep', {});
    await client.waitFor(done.id);
    const slow = await client.enqueue('sleep', { key: 'slow' });
    const both = await client.enqueue('sleep', {}, { dependsOn: [done.id, slow.id] });
    await untilJob(client, both.id, (job) => job.status === 'waiting' && job.waitReason === 'dependencies');
    await client.remove(done.id);
    await untilJob(client, both.id, (job) => job.dependsOn?.length === 1);
    expect(await client.get(both.id)).toMatchObject({ status: 'waiting', dependsOn: [slow.id] });
    probe.gate.open('sleep:slow');
    expect(await client.waitFor(both.id)).toMatchObject({ status: 'completed', dependsOn: [slow.id] });
    expect(probe.runs.get(both.id)).toBe(1);

    // A paused dependent whose only dependency completed and was removed keeps no dependency, and runs once resumed.
    const first = await client.enqueue('sleep', { key: 'first' });
    const held = await client.enqueue('sleep', {}, { dependsOn: [first.id] });
    await client.pause(held.id);
    probe.gate.open('sleep:first');
    await client.waitFor(first.id);
    await client.remove(first.id);
    const released = await client.get(held.id);
    expect(released?.status).toBe('paused');
    expect(released?.dependsOn).toBeUndefined();
    await client.resume(held.id);
    expect(await client.waitFor(held.id)).toMatchObject({ status: 'completed' });
  });

  it('a job resumed or retried while its dependencies are unfinished waits for them again, not listed as queued', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const first = await client.enqueue('sleep', { key: 'dep' });
    const held = await client.enqueue('sleep', {}, { dependsOn: [first.id] });
    await untilJob(client, held.id, (job) => job.status === 'waiting' && job.waitReason === 'dependencies');
    await client.pause(held.id);
    expect(await client.resume(held.id)).toMatchObject({ status: 'waiting', waitReason: 'dependencies' });
    expect(await client.count({ status: 'queued' })).toBe(0);
    await client.cancel(held.id);
    expect(await client.retry(held.id)).toMatchObject({ status: 'waiting', waitReason: 'dependencies' });
    // Resumed together with what it depends on (bulk): it still waits, for the job resumed beside it.
    await client.pauseMany([held.id]);
    expect((await client.resumeMany([held.id, first.id])).changed.find((job) => job.id === held.id)).toMatchObject({
      status: 'waiting',
      waitReason: 'dependencies',
    });
    probe.gate.open('sleep:dep');
    expect(await client.waitFor(held.id)).toMatchObject({ status: 'completed' });
    expect(probe.runs.get(held.id)).toBe(1);
  });

  it('a job retried or resumed after its dependency failed fails again at once, saying which', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const fetch = await client.enqueue('sleep', { key: 'fetch' }, { label: 'Fetch' });
    const sum = await client.enqueue('sleep', {}, { dependsOn: [fetch.id] });
    const held = await client.enqueue('sleep', {}, { dependsOn: [fetch.id] });
    await client.pause(held.id);
    await client.cancel(fetch.id);
    const failed = {
      status: 'failed',
      error: { code: 'dependency-failed', message: '“Fetch”, which it depends on, was cancelled' },
    };
    expect(await client.get(sum.id)).toMatchObject(failed);

    // The answer says so: no claim is needed to find that it cannot run.
    expect(await client.retry(sum.id)).toMatchObject(failed);
    expect(await client.resume(held.id)).toMatchObject(failed);
    expect((await client.retryMany([sum.id])).changed).toMatchObject([failed]);
    expect(await client.count({ status: 'queued' })).toBe(0);

    // Once the dependency is retried and completes, a retry runs it.
    await client.retry(fetch.id);
    probe.gate.open('sleep:fetch');
    await client.waitFor(fetch.id);
    expect(await client.retry(sum.id)).toMatchObject({ status: 'queued' });
    expect(await client.waitFor(sum.id)).toMatchObject({ status: 'completed' });
  });

  it('runs wide rounds: hundreds of jobs at concurrency 100, dependencies among them, each once', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types, concurrency: 100 });
    const { client } = harness;
    const firsts = await client.enqueueMany(Array.from({ length: 200 }, () => ({ type: 'sleep', payload: {} })));
    const seconds = await client.enqueueMany(
      firsts.slice(0, 100).map((first) => ({ type: 'sleep', payload: {}, options: { dependsOn: [first.id] } })),
    );
    await client.onIdle();
    const all = [...firsts, ...seconds];
    expect(await client.count({ status: 'completed' })).toBe(all.length);
    for (const job of all) expect(probe.runs.get(job.id)).toBe(1);
    seconds.forEach((second, i) => {
      expect(probe.order.indexOf(second.id)).toBeGreaterThan(probe.order.indexOf((firsts[i] as { id: string }).id));
    });
  });

  it('holds network jobs while offline and resumes them on reconnect', async () => {
    const { types, probe } = createFixtures(undefined, { sleep: { needsNetwork: true } });
    harness = createHarness({ types });
    const { client, network } = harness;
    network.set(false);
    const job = await client.enqueue('sleep', {});
    await untilJob(client, job.id, (j) => j.status === 'waiting' && j.waitReason === 'offline');
    expect(probe.runs.get(job.id)).toBeUndefined();
    network.set(true);
    expect(await client.waitFor(job.id)).toMatchObject({ status: 'completed', attempts: 1 });
  });
});
