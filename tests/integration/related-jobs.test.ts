import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RelatedJobs } from '../../src/client';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("a job's related jobs through the client", () => {
  it('lists the jobs that depend on one, live, as they are enqueued, end and are removed', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const first = await client.enqueue('sleep', { key: 'first' }, { label: 'First' });
    const seen: (RelatedJobs | undefined)[] = [];
    const stop = client.watchRelated(first.id).subscribe((related) => seen.push(related));
    await vi.waitFor(() => expect(seen.at(-1)).toMatchObject({ dependents: [], dependentsTotal: 0 }));

    const second = await client.enqueue('sleep', {}, { label: 'Second', dependsOn: [first.id] });
    await vi.waitFor(() =>
      expect(seen.at(-1)).toMatchObject({
        dependents: [{ id: second.id, label: 'Second', type: 'sleep', status: 'waiting' }],
        dependentsTotal: 1,
      }),
    );
    expect(await client.related(second.id)).toMatchObject({
      dependencies: [{ id: first.id, job: { label: 'First' } }],
      dependentsTotal: 0,
    });

    // The dependency completes: its dependent runs, and is shown completed.
    probe.gate.open('sleep:first');
    await client.waitFor(second.id);
    await vi.waitFor(() => expect(seen.at(-1)?.dependents[0]?.status).toBe('completed'));

    // Removing the dependent takes it off the dependency's list.
    await client.remove(second.id);
    await vi.waitFor(() => expect(seen.at(-1)).toMatchObject({ dependents: [], dependentsTotal: 0 }));
    stop();
  });

  it('lists the jobs a job enqueued, and names that job on theirs', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const parent = await client.enqueue('sleep', { key: 'held' }, { label: 'Parent' });
    const child = await client.enqueue('sleep', {}, { label: 'Child', parentId: parent.id });
    expect(await client.related(parent.id)).toMatchObject({ children: [{ id: child.id }], childrenTotal: 1 });
    expect(await client.related(child.id)).toMatchObject({ parent: { id: parent.id, job: { label: 'Parent' } } });
  });

  it('is undefined for a job not stored, and refuses an id that is not one', async () => {
    harness = createHarness({ types: createFixtures().types });
    expect(await harness.client.related('no-such-job')).toBeUndefined();
    await expect(harness.client.related('')).rejects.toMatchObject({ code: 'invalid-input' });
  });
});

describe('the job list filtered to the jobs related to one', () => {
  it('lists, counts and selects the jobs that depend on one, or that it enqueued, newest first, with the other filters', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types });
    const { client } = harness;
    const labels = (jobs: readonly { label: string }[]) => jobs.map((job) => job.label);
    const root = await client.enqueue('sleep', { key: 'root' }, { label: 'Root' });
    const a = await client.enqueue('sleep', {}, { label: 'A', dependsOn: [root.id] });
    const b = await client.enqueue('sleep', {}, { label: 'B', dependsOn: [root.id], parentId: root.id });
    const c = await client.enqueue('sleep', { key: 'c' }, { label: 'C', parentId: root.id, delayMs: 60_000 });
    await client.enqueue('sleep', { key: 'other' }, { label: 'Other', dependsOn: [c.id] });
    await client.cancel(a.id);

    expect(labels(await client.list({ dependsOn: root.id }))).toEqual(['B', 'A']);
    expect(await client.count({ dependsOn: root.id })).toBe(2);
    expect(labels(await client.list({ dependsOn: root.id, status: 'waiting' }))).toEqual(['B']);
    expect(await client.count({ dependsOn: root.id, statuses: ['waiting', 'cancelled'] })).toBe(2);
    expect(await client.count({ dependsOn: root.id, status: 'completed' })).toBe(0);
    expect(await client.list({ dependsOn: root.id, type: 'fail-n-times' })).toEqual([]);
    expect(labels(await client.list({ dependsOn: root.id, offset: 1, limit: 1 }))).toEqual(['A']);

    expect(labels(await client.list({ parentId: root.id }))).toEqual(['C', 'B']);
    expect(await client.count({ parentId: root.id, type: 'sleep' })).toBe(2);
    expect(await client.listKeys({ parentId: root.id }, 5)).toEqual([
      { id: c.id, status: 'waiting' },
      { id: b.id, status: 'waiting' },
    ]);
    expect(await client.listKeys({ dependsOn: root.id, status: 'cancelled' }, 5)).toEqual([
      { id: a.id, status: 'cancelled' },
    ]);
    expect(await client.list({ parentId: 'no-such-job' })).toEqual([]);
  });

  it('refuses a query with both relations, or with an id that is not one, with invalid-input', async () => {
    harness = createHarness({ types: createFixtures().types });
    const { client } = harness;
    await expect(client.list({ dependsOn: 'x', parentId: 'y' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'A job query takes dependsOn or parentId, not both',
    });
    await expect(client.count({ dependsOn: '' })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(client.listKeys({ parentId: 7 as unknown as string }, 1)).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'parentId must be a job id, not number 7',
    });
    await expect(client.listKeys({ parentId: 'x' }, -1)).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'limit must be a whole number of at least 0',
    });
  });
});
