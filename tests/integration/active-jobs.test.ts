import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareActive, type ActiveJobs, type ErrandClient } from '../../src/client';
import type { JobRecord } from '../../src/shared';
import type { ActiveHead } from '../../src/store';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import { untilJobs } from '../helpers/wait';

let harness: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await harness?.close();
  harness = undefined;
});

/** Answers the first store read of the heads and never another: a read stuck in line. */
function holdHeadReads(client: ErrandClient): void {
  const read = client.queries.activeHeads.bind(client.queries);
  let reads = 0;
  vi.spyOn(client.queries, 'activeHeads').mockImplementation((limit) => {
    reads += 1;
    return reads === 1 ? read(limit) : new Promise<ActiveHead[]>(() => undefined);
  });
}

function follow(client: ErrandClient, limit: number): { seen: ActiveJobs[]; stop: () => void } {
  const seen: ActiveJobs[] = [];
  const stop = client.watchActiveJobs({ limit }).subscribe((active) => seen.push(active));
  return { seen, stop };
}

/** Five hanging jobs running, six waiting for their time and two paused, created in that order. */
async function mixedLoad(
  client: ErrandClient,
): Promise<{ running: JobRecord[]; waiting: JobRecord[]; paused: JobRecord[] }> {
  const hanging = await client.enqueueMany(
    Array.from({ length: 5 }, () => ({ type: 'hang-until-aborted', payload: {} })),
  );
  await untilJobs(client, (jobs) => jobs.filter((job) => job.status === 'running').length === 5);
  const delayed = await client.enqueueMany(
    Array.from({ length: 8 }, () => ({ type: 'sleep', payload: {}, options: { delayMs: 60_000 } })),
  );
  const paused = [await client.pause(delayed[6]?.id ?? ''), await client.pause(delayed[7]?.id ?? '')];
  const running = await Promise.all(hanging.map(async (job) => (await client.get(job.id)) as JobRecord));
  const waiting = await Promise.all(delayed.slice(0, 6).map(async (job) => (await client.get(job.id)) as JobRecord));
  return { running, waiting, paused };
}

describe('watchActiveJobs', () => {
  it('brings the oldest jobs of each active status in pill order, and counts them all', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types, concurrency: 5 });
    const { client } = harness;
    const { running, waiting, paused } = await mixedLoad(client);
    const { seen, stop } = follow(client, 3);

    const order = (jobs: readonly JobRecord[]) => [...jobs].sort(compareActive).map((job) => job.id);
    const expected = [...order(running).slice(0, 3), ...order(waiting).slice(0, 3), ...order(paused)];
    await vi.waitFor(() => expect(seen.at(-1)?.jobs.map((job) => job.id)).toEqual(expected));
    expect(seen.at(-1)?.total).toBe(13);
    // Records come whole from the store, payload included.
    expect(seen.at(-1)?.jobs[3]).toHaveProperty('payload', {});
    stop();
  });

  it('follows the feed while the store read is stuck: a head job that leaves is gone and uncounted at once', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types, concurrency: 5 });
    const { client } = harness;
    const { running, waiting } = await mixedLoad(client);
    holdHeadReads(client);
    const { seen, stop } = follow(client, 3);
    await vi.waitFor(() => expect(seen.at(-1)?.total).toBe(13));
    const [oldest, second] = [...running].sort(compareActive);
    const beyond = [...waiting].sort(compareActive)[5];
    if (!oldest || !second || !beyond) throw new Error('expected the load');

    await client.cancel(oldest.id);
    await vi.waitFor(() => expect(seen.at(-1)?.total).toBe(12));
    expect(seen.at(-1)?.jobs[0]?.id).toBe(second.id);
    expect(seen.at(-1)?.jobs.map((job) => job.id)).not.toContain(oldest.id);

    // A waiting head job paused moves between heads: the paused head is complete, so it is exact.
    const firstWaiting = [...waiting].sort(compareActive)[0];
    if (!firstWaiting) throw new Error('expected waiting jobs');
    await client.pause(firstWaiting.id);
    await vi.waitFor(() =>
      expect(seen.at(-1)?.jobs.find((job) => job.id === firstWaiting.id)).toMatchObject({ status: 'paused' }),
    );
    expect(seen.at(-1)?.total).toBe(12);

    // A change to a job beyond the head does not bring it into the view.
    await client.reprioritize(beyond.id, { priority: 'high' });
    const marker = await client.enqueue('sleep', {}, { delayMs: 60_000 });
    await client.pause(marker.id);
    await vi.waitFor(() => expect(seen.at(-1)?.jobs.map((job) => job.id)).toContain(marker.id));
    expect(seen.at(-1)?.jobs.map((job) => job.id)).not.toContain(beyond.id);
    stop();
  });

  it('re-reads the store spaced out, not once per commit', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const read = vi.spyOn(client.queries, 'activeHeads');
    const { seen, stop } = follow(client, 10);
    await vi.waitFor(() => expect(seen.length).toBeGreaterThan(0));
    const jobs = [];
    for (let i = 0; i < 40; i++) jobs.push(await client.enqueue('sleep', {}, { delayMs: 60_000 }));
    await vi.waitFor(
      () => {
        expect(seen.at(-1)?.total).toBe(40);
        expect(seen.at(-1)?.jobs).toHaveLength(10);
      },
      { timeout: 5_000 },
    );
    // Forty commits, each announced; the store was read far fewer times.
    expect(read.mock.calls.length).toBeLessThan(20);
    stop();
  });
});
