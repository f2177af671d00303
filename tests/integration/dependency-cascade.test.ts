import { afterEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/shared';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, createIdleHarness, type Harness } from '../helpers/harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A chain: `first`, `second` waiting on it, `third` waiting on `second`; and `fan` more waiting on `first`. */
async function chain(harness: Harness, fan: number) {
  const { client } = harness;
  const first = await client.enqueue('sleep', { key: 'first' }, { label: 'Fetch', delayMs: 60_000 });
  const second = await client.enqueue('sleep', {}, { label: 'Parse', dependsOn: [first.id] });
  const third = await client.enqueue('sleep', {}, { label: 'Report', dependsOn: [second.id] });
  const others = await client.enqueueMany(
    Array.from({ length: fan }, (_, i) => ({
      type: 'sleep',
      payload: {},
      options: { label: `Row ${i}`, dependsOn: [first.id] },
    })),
  );
  return { first, second, third, others };
}

const statusAndMessage = (job: JobRecord | undefined) => [job?.status, job?.error?.message];

describe('jobs that wait on a job that will not complete', () => {
  it('fail with it, in the transaction that cancels it, down the chain and across the fan', async () => {
    harness = await createIdleHarness({ types: createFixtures().types });
    const { client } = harness;
    const { first, second, third, others } = await chain(harness, 40);

    await client.cancel(first.id);

    // Nothing is left queued for a later claim to fail: the cancel settled them all.
    const [parse, report, ...rows] = await client.getMany([second.id, third.id, ...others.map((job) => job.id)]);
    expect(statusAndMessage(parse)).toEqual(['failed', '“Fetch”, which it depends on, was cancelled']);
    expect(statusAndMessage(report)).toEqual(['failed', '“Parse”, which it depends on, failed']);
    expect(rows.map((job) => job?.status)).toEqual(others.map(() => 'failed'));
    expect(report?.error).toMatchObject({ code: 'dependency-failed', retryable: false });
    // Failed, it waits for nothing any more.
    expect(report?.waitReason).toBeUndefined();
    expect(await client.count({ status: 'queued' })).toBe(0);
  });

  it('fail with it when it is removed before it completed, down the chain', async () => {
    harness = await createIdleHarness({ types: createFixtures().types });
    const { client } = harness;
    const { first, second, third } = await chain(harness, 0);

    await client.remove(first.id);

    const [parse, report] = await client.getMany([second.id, third.id]);
    expect(statusAndMessage(parse)).toEqual([
      'failed',
      `The job it depends on (${first.id}) was removed before it completed`,
    ]);
    expect(statusAndMessage(report)).toEqual(['failed', '“Parse”, which it depends on, failed']);
  });

  it('fail with it when it fails as it runs, down the chain, and a job of its own runs on', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const broken = await client.enqueue('fail-n-times', { failures: 1, kind: 'permanent' }, { label: 'Fetch' });
    const parse = await client.enqueue('sleep', {}, { label: 'Parse', dependsOn: [broken.id] });
    const report = await client.enqueue('sleep', {}, { label: 'Report', dependsOn: [parse.id] });
    const unrelated = await client.enqueue('sleep', {}, { label: 'Unrelated' });

    // The last of the chain used to wait for ever: its dependency was failed by a claim, which
    // woke no one.
    expect(statusAndMessage(await client.waitFor(report.id))).toEqual([
      'failed',
      '“Parse”, which it depends on, failed',
    ]);
    expect(statusAndMessage(await client.get(parse.id))).toEqual(['failed', '“Fetch”, which it depends on, failed']);
    expect(await client.waitFor(unrelated.id)).toMatchObject({ status: 'completed' });
  });

  it('run once all they wait on completed, and wait on while one has not', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const a = await client.enqueue('sleep', { key: 'a' });
    const b = await client.enqueue('sleep', { key: 'b' });
    const both = await client.enqueue('sleep', {}, { dependsOn: [a.id, b.id] });

    probe.gate.open('sleep:a');
    await client.waitFor(a.id);
    expect(await client.get(both.id)).toMatchObject({ status: 'waiting', waitReason: 'dependencies' });
    probe.gate.open('sleep:b');
    expect(await client.waitFor(both.id)).toMatchObject({ status: 'completed' });
  });
});
