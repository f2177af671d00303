import { Dexie } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('a newer version of the app upgrades the database', () => {
  it('the old runtime stops writing, refuses commands with `version`, and the page is told to reload', async () => {
    const { types, probe } = createFixtures();
    harness = createHarness({ types });
    const { client, runtime } = harness;
    await runtime.becameRunner;
    const before = await client.enqueue('sleep', { key: 'mid' });
    await probe.gate.whenReached('sleep:mid');
    expect(await client.get(before.id)).toMatchObject({ status: 'running' });
    let told = false;
    client.onVersionChange(() => {
      told = true;
    });

    const newer = new Dexie(harness.dbName);
    newer.version(1).stores({ jobs: 'id' });
    newer.version(2).stores({ jobs: 'id, createdAt, label' });
    await newer.open();

    expect(told).toBe(true);
    expect(await runtime.api.status()).toMatchObject({ outdated: true, isRunner: false });
    await expect(client.enqueue('sleep', {})).rejects.toMatchObject({ code: 'version' });

    // The old handler finishes after the upgrade: nothing it does reaches the store.
    probe.gate.open('sleep:mid');
    await vi.waitFor(() => expect(probe.runningNow.get('sleep')).toBe(0));
    await new Promise((resolve) => setImmediate(resolve));
    const row = await newer.table('jobs').get(before.id);
    expect(row).toMatchObject({ status: 'running' });
    expect(newer.verno).toBe(2);
    newer.close();
  });
});
