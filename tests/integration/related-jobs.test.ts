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
