import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import {
  markerKey,
  matchIdentity,
  storeResetWatch,
  type StoreReset,
  type StoreResetWatch,
} from '../../src/client/store-reset';
import { MemoryStorage } from '../helpers/harness';
import { untilValue } from '../helpers/wait';

/** Every value a watch gives, and how to stop it. */
function collect(watch: StoreResetWatch['watch']): { values: (StoreReset | undefined)[]; stop: () => void } {
  const values: (StoreReset | undefined)[] = [];
  const stop = watch.subscribe((value) => values.push(value));
  return { values, stop };
}

const a = { id: 'a', createdAt: 1 };
const b = { id: 'b', createdAt: 2 };

describe('matchIdentity', () => {
  it.each([
    [undefined, undefined, 'unknown'],
    [a, undefined, 'unknown'],
    [undefined, a, 'first'],
    [a, a, 'same'],
    [{ ...a, createdAt: 99 }, a, 'same'],
    [a, b, 'reset'],
  ] as const)('remembered %o, stored %o → %s', (remembered, stored, expected) => {
    expect(matchIdentity(remembered, stored)).toBe(expected);
  });

  it('keeps one marker per database', () => {
    expect(markerKey('errand-console')).toBe('errand:store:errand-console');
    expect(markerKey('x')).not.toBe(markerKey('y'));
  });
});

describe('storeResetWatch', () => {
  it('asks for the marker storage in a task of its own, after the first identity is read', async () => {
    const storage = new MemoryStorage();
    const log: string[] = [];
    const watch = storeResetWatch(
      () =>
        Promise.resolve(a).then((identity) => {
          // Runs in the task that reads the identity; this timer fires in the next one.
          log.push('read');
          setTimeout(() => log.push('the next task'), 0);
          return identity;
        }),
      () => {
        log.push('marker asked');
        return storage;
      },
      'marker',
    );
    const { values, stop } = collect(watch.watch);
    try {
      for (let i = 0; i < 100 && values.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      expect(log).toEqual(['read', 'the next task', 'marker asked']);
      expect(values).toEqual([undefined]);
      expect(JSON.parse(storage.getItem('marker') ?? 'null')).toEqual(a);
    } finally {
      stop();
    }
  });

  it('never asks for the marker storage when unsubscribed before that task', async () => {
    let asked = 0;
    let stop: () => void = () => undefined;
    const watch = storeResetWatch(
      () =>
        Promise.resolve(a).then((identity) => {
          // Unsubscribed in the task that read the identity, before the marker's task.
          queueMicrotask(() => stop());
          return identity;
        }),
      () => {
        asked += 1;
        return new MemoryStorage();
      },
      'marker',
    );
    const values: unknown[] = [];
    stop = watch.watch.subscribe((value) => values.push(value));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(asked).toBe(0);
    expect(values).toEqual([]);
  });

  it('works with a marker storage that answers later, and has written a first sight before it says so', async () => {
    const items = new Map<string, string>();
    const storage = {
      getItem: async (key: string) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return items.get(key) ?? null;
      },
      setItem: async (key: string, value: string) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        items.set(key, value);
      },
    };
    const first = storeResetWatch(
      () => Promise.resolve(a),
      () => storage,
      'marker',
    );
    expect(await untilValue(first.watch, () => true)).toBeUndefined();
    expect(JSON.parse(items.get('marker') ?? 'null')).toEqual(a);

    const later = storeResetWatch(
      () => Promise.resolve(b),
      () => storage,
      'marker',
    );
    expect(await untilValue(later.watch, () => true)).toEqual({ previous: a, current: b });
  });

  it('hears an acknowledgement made in another tab, with no change to the stored identity', async () => {
    const storage = new MemoryStorage();
    storage.setItem('marker-tabs', JSON.stringify(a));
    const thisTab = storeResetWatch(
      () => Promise.resolve(b),
      () => storage,
      'marker-tabs',
    );
    const otherTab = storeResetWatch(
      () => Promise.resolve(b),
      () => storage,
      'marker-tabs',
    );
    const { values, stop } = collect(thisTab.watch);
    try {
      await expect.poll(() => values).toEqual([{ previous: a, current: b }]);
      await otherTab.acknowledge();
      await expect.poll(() => values.at(-1)).toBeUndefined();
      expect(JSON.parse(storage.getItem('marker-tabs') ?? 'null')).toEqual(b);
    } finally {
      stop();
    }
  });

  it('says what it found last: a slow verdict never lands after a later one', async () => {
    const items = new Map([['marker', JSON.stringify(a)]]);
    let releaseFirstRead: () => void = () => undefined;
    const firstRead = new Promise<void>((resolve) => (releaseFirstRead = resolve));
    let reads = 0;
    const storage = {
      getItem: async (key: string) => {
        const value = items.get(key) ?? null;
        if (++reads === 1) await firstRead;
        return value;
      },
      setItem: (key: string, value: string) => void items.set(key, value),
    };
    const watch = storeResetWatch(
      () => Promise.resolve(b),
      () => storage,
      'marker',
    );
    const { values, stop } = collect(watch.watch);
    try {
      await expect.poll(() => reads).toBe(1);
      // Acknowledged while the first verdict still waits on its read (which saw `a`).
      await watch.acknowledge();
      releaseFirstRead();
      await expect.poll(() => values.length).toBe(2);
      expect(values).toEqual([{ previous: a, current: b }, undefined]);
    } finally {
      stop();
    }
  });

  it('goes on telling a subscriber that threw on an earlier verdict', async () => {
    const storage = new MemoryStorage();
    storage.setItem('marker-throws', JSON.stringify(a));
    const watch = storeResetWatch(
      () => Promise.resolve(b),
      () => storage,
      'marker-throws',
    );
    const values: (StoreReset | undefined)[] = [];
    const stop = watch.watch.subscribe((value) => {
      values.push(value);
      if (values.length === 1) throw new Error('a subscriber fails once');
    });
    try {
      await expect.poll(() => values.length).toBe(1);
      await watch.acknowledge();
      await expect.poll(() => values).toEqual([{ previous: a, current: b }, undefined]);
    } finally {
      stop();
    }
  });

  it('reads the marker again only when the stored identity changes, not each time the store is read again', async () => {
    const db = new Dexie(`store-reset-${Math.random()}`);
    db.version(1).stores({ meta: 'key' });
    const meta = db.table<{ key: string; value: unknown }>('meta');
    await meta.put({ key: 'identity', value: a });
    const storage = new MemoryStorage();
    storage.setItem('marker-reads', JSON.stringify(a));
    let reads = 0;
    const counting = {
      getItem: (key: string) => {
        reads += 1;
        return storage.getItem(key);
      },
      setItem: (key: string, value: string) => storage.setItem(key, value),
    };
    const watch = storeResetWatch(
      async () => (await meta.get('identity'))?.value as typeof a | undefined,
      () => counting,
      'marker-reads',
    );
    const { values, stop } = collect(watch.watch);
    try {
      await expect.poll(() => values.length).toBe(1);
      for (let i = 0; i < 5; i++) await meta.put({ key: 'identity', value: { ...a } });
      await meta.put({ key: 'identity', value: b });
      await expect.poll(() => values.at(-1)).toEqual({ previous: a, current: b });
      expect(reads).toBe(2);
    } finally {
      stop();
      await db.delete();
    }
  });
});
