import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { markerKey, matchIdentity, storeResetWatch, type StoreReset } from '../../src/client/store-reset';
import { MemoryStorage } from '../helpers/harness';

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
    const values: (StoreReset | undefined)[] = [];
    const stop = watch.watch.subscribe((value) => values.push(value));
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
});
