import { Dexie } from 'dexie';
import { forceCloseDatabase } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, freshDbName, type Harness } from '../helpers/harness';
import type { StoreLoss } from '../../src/shared';
import { ErrandDb, SCHEMA_VERSION, watchStoreLoss } from '../../src/store';

/** Closes a connection the way the browser does when the site's data is cleared. */
function forceClose(connection: IDBDatabase): void {
  // The package's declaration asks for the class where it means an instance.
  forceCloseDatabase(connection as unknown as typeof IDBDatabase);
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A runner with one `sleep` job held mid-run at its gate. */
async function sleepingMidRun() {
  const { types, probe } = createFixtures();
  harness = createHarness({ types });
  const { client, runtime, dbName } = harness;
  await runtime.becameRunner;
  const before = await client.enqueue('sleep', { key: 'mid' });
  await probe.gate.whenReached('sleep:mid');
  return { probe, client, runtime, dbName, before };
}

describe('a newer version of the app upgrades the database', () => {
  it('the old runtime stops writing, refuses commands with `version`, and the page is told to reload', async () => {
    const { probe, client, runtime, dbName, before } = await sleepingMidRun();
    expect(await client.get(before.id)).toMatchObject({ status: 'running' });
    let told = false;
    client.onVersionChange(() => {
      told = true;
    });

    const newer = new Dexie(dbName);
    newer.version(1).stores({ jobs: 'id' });
    newer.version(SCHEMA_VERSION + 1).stores({ jobs: 'id, createdAt, label' });
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
    expect(newer.verno).toBe(SCHEMA_VERSION + 1);
    newer.close();
  });
});

describe('the database is deleted or closed under a running runtime', () => {
  it('a deletion by another tab goes through; the runtime stops, refuses with `version`, and the page is told `deleted`', async () => {
    const { probe, client, runtime, dbName, before } = await sleepingMidRun();
    expect(await client.get(before.id)).toMatchObject({ status: 'running' });
    const told: StoreLoss[] = [];
    client.onVersionChange((loss) => told.push(loss));

    // Not blocked: every connection of the runtime and the page closes for it.
    await Dexie.delete(dbName);

    expect(told).toEqual(['deleted']);
    expect(await runtime.api.status()).toMatchObject({ storeLost: 'deleted', outdated: false, isRunner: false });
    await expect(client.enqueue('sleep', {})).rejects.toMatchObject({ code: 'version', message: /deleted/ });
    // A listener added after the loss hears it at once.
    const late: StoreLoss[] = [];
    client.onVersionChange((loss) => late.push(loss));
    expect(late).toEqual(['deleted']);

    // The old handler finishes: nothing recreates the database under the old name.
    probe.gate.open('sleep:mid');
    await vi.waitFor(() => expect(probe.runningNow.get('sleep')).toBe(0));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await Dexie.exists(dbName)).toBe(false);
  });

  it('a connection the browser closes (site data cleared) is not reopened: the runtime stops and refuses with `version`', async () => {
    const { probe, client, runtime, dbName, before } = await sleepingMidRun();

    const connections = [runtime.store.db.backendDB(), runtime.store.relaxedDb.backendDB()];
    for (const connection of connections) forceClose(connection);

    await vi.waitFor(async () =>
      expect(await runtime.api.status()).toMatchObject({ storeLost: 'closed', outdated: false, isRunner: false }),
    );
    await expect(client.enqueue('sleep', {})).rejects.toMatchObject({ code: 'version', message: /closed/ });
    probe.gate.open('sleep:mid');
    await vi.waitFor(() => expect(probe.runningNow.get('sleep')).toBe(0));
    await new Promise((resolve) => setImmediate(resolve));
    expect(runtime.store.db.isOpen()).toBe(false);
    expect(runtime.store.relaxedDb.isOpen()).toBe(false);
    const reader = new ErrandDb(dbName);
    expect(await reader.jobs.get(before.id)).toMatchObject({ status: 'running' });
    reader.close();
  });

  it('watchStoreLoss: a forced close is told once as `closed`, and the connection stays closed', async () => {
    const db = new ErrandDb(freshDbName());
    await db.jobs.count();
    const told: StoreLoss[] = [];
    watchStoreLoss(db, (loss) => told.push(loss));

    forceClose(db.backendDB());

    await vi.waitFor(() => expect(told).toEqual(['closed']));
    await expect(db.jobs.count()).rejects.toMatchObject({ name: 'DatabaseClosedError' });
    expect(told).toEqual(['closed']);
  });

  it('watchStoreLoss: an upgrade is told as `upgraded`, a deletion as `deleted`, each on a connection it watches', async () => {
    const name = freshDbName();
    const first = new ErrandDb(name);
    await first.jobs.count();
    const firstTold: StoreLoss[] = [];
    watchStoreLoss(first, (loss) => firstTold.push(loss));
    const newer = new Dexie(name);
    newer.version(1).stores({ jobs: 'id' });
    newer.version(SCHEMA_VERSION + 1).stores({ jobs: 'id, label' });
    await newer.open();
    expect(firstTold).toEqual(['upgraded']);

    const newerTold: StoreLoss[] = [];
    watchStoreLoss(newer, (loss) => newerTold.push(loss));
    await Dexie.delete(name);
    expect(newerTold).toEqual(['deleted']);
  });
});
