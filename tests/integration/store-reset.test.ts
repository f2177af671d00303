import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrandClient, StoreReset } from '../../src/client';
import { ErrandDb, STORE_IDENTITY_KEY } from '../../src/store';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, freshDbName, MemoryStorage, type Harness } from '../helpers/harness';
import { MemoryLock } from '../helpers/memory-lock';
import { untilValue } from '../helpers/wait';

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});

function start(dbName: string, markerStorage: MemoryStorage): Harness {
  const harness = createHarness({ types: createFixtures().types, dbName, markerStorage });
  open.push(harness);
  return harness;
}

/** The first value of `watchStoreReset` that `accept` takes. */
function nextReset(
  client: ErrandClient,
  accept: (value: StoreReset | undefined) => boolean = () => true,
): Promise<StoreReset | undefined> {
  return untilValue(client.watchStoreReset(), accept);
}

async function storedIdentity(dbName: string): Promise<unknown> {
  const db = new ErrandDb(dbName);
  try {
    return (await db.meta.get(STORE_IDENTITY_KEY))?.value;
  } finally {
    db.close();
  }
}

/** What the browser does to a store it finds corrupted: the database is deleted, `localStorage` stays. */
async function wipe(harness: Harness): Promise<void> {
  await harness.close();
  open.splice(open.indexOf(harness), 1);
  await Dexie.delete(harness.dbName);
}

describe('a database deleted by the browser is reported', () => {
  it('remembers the database on first sight and reports nothing while it is the same one', async () => {
    const dbName = freshDbName();
    const storage = new MemoryStorage();
    const first = start(dbName, storage);
    await first.runtime.becameRunner;
    expect(await nextReset(first.client)).toBeUndefined();
    const identity = await storedIdentity(dbName);
    expect(identity).toMatchObject({ id: expect.any(String), createdAt: expect.any(Number) });
    expect(JSON.parse(storage.getItem(`errand:store:${dbName}`) ?? 'null')).toEqual(identity);

    // A reload: another runtime on the same database keeps its identity.
    await first.close();
    open.splice(0);
    const again = start(dbName, storage);
    await again.runtime.becameRunner;
    expect(await nextReset(again.client)).toBeUndefined();
    expect(await storedIdentity(dbName)).toEqual(identity);
  });

  it('reports the reset when the database comes back empty, until it is acknowledged, in every tab', async () => {
    const dbName = freshDbName();
    const storage = new MemoryStorage();
    const before = start(dbName, storage);
    await before.runtime.becameRunner;
    await nextReset(before.client);
    const previous = await storedIdentity(dbName);
    await before.client.enqueue('sleep', { key: 'lost' }, { delayMs: 60_000 });
    await wipe(before);

    const after = start(dbName, storage);
    await after.runtime.becameRunner;
    const reset = await nextReset(after.client, (value) => value !== undefined);
    expect(reset?.previous).toEqual(previous);
    expect(reset?.current).toEqual(await storedIdentity(dbName));
    expect(reset?.current.id).not.toBe(reset?.previous.id);
    expect(await after.client.count()).toBe(0);

    // A second client of the same page storage (another tab) sees it too; one acknowledgement ends it for both.
    const otherTab = start(dbName, storage);
    expect(await nextReset(otherTab.client, (value) => value !== undefined)).toEqual(reset);
    const cleared = nextReset(after.client, (value) => value === undefined);
    await otherTab.client.acknowledgeStoreReset();
    expect(await cleared).toBeUndefined();
    expect(JSON.parse(storage.getItem(`errand:store:${dbName}`) ?? 'null')).toEqual(reset?.current);

    const reloaded = start(dbName, storage);
    expect(await nextReset(reloaded.client)).toBeUndefined();
  });

  it('gives a database kept by a version without identities one, and reports no reset for it', async () => {
    const dbName = freshDbName();
    const old = new ErrandDb(dbName);
    await old.meta.put({ key: 'runnerEpoch', value: 4 });
    old.close();
    const storage = new MemoryStorage();
    const harness = start(dbName, storage);
    await harness.runtime.becameRunner;
    expect(await nextReset(harness.client)).toBeUndefined();
    expect(await storedIdentity(dbName)).toMatchObject({ id: expect.any(String) });
    expect(storage.items.size).toBe(1);
  });

  it('says nothing while no runner has given the database an identity, even with one remembered', async () => {
    const dbName = freshDbName();
    const storage = new MemoryStorage();
    storage.setItem(`errand:store:${dbName}`, JSON.stringify({ id: 'an-older-store', createdAt: 1 }));
    const lock = new MemoryLock();
    const otherTab = lock.client();
    const held = await otherTab.acquire(`errand-runner:${dbName}`, new AbortController().signal);
    const harness = createHarness({ types: createFixtures().types, dbName, markerStorage: storage, lock });
    open.push(harness);
    const values: (StoreReset | undefined)[] = [];
    const stop = harness.client.watchStoreReset().subscribe((value) => values.push(value));
    await harness.client.count();
    await expect.poll(() => values.length).toBeGreaterThan(0);
    expect(values.every((value) => value === undefined)).toBe(true);
    expect(await storedIdentity(dbName)).toBeUndefined();
    stop();

    held?.release();
    await harness.runtime.becameRunner;
    expect(await nextReset(harness.client, (value) => value !== undefined)).toMatchObject({
      previous: { id: 'an-older-store' },
    });
  });

  it('works without a place to remember: nothing is reported and a broken marker is replaced', async () => {
    const dbName = freshDbName();
    const storage = new MemoryStorage();
    storage.setItem(`errand:store:${dbName}`, '{not json');
    const harness = start(dbName, storage);
    await harness.runtime.becameRunner;
    expect(await nextReset(harness.client)).toBeUndefined();
    expect(JSON.parse(storage.getItem(`errand:store:${dbName}`) ?? 'null')).toEqual(await storedIdentity(dbName));
  });
});
