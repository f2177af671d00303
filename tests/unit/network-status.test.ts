import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browserNetworkStatus } from '../../src/worker/network-status';

/** `navigator.onLine` as the worker reads it; no `online`/`offline` event is sent (see the source). */
const navigator = { onLine: true };

beforeEach(() => {
  vi.useFakeTimers();
  navigator.onLine = true;
  vi.stubGlobal('navigator', navigator);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('browser network status', () => {
  it('reports a change the poll sees, once', async () => {
    const status = browserNetworkStatus(1000);
    const seen: boolean[] = [];
    status.subscribe((online) => seen.push(online));
    navigator.onLine = false;
    await vi.advanceTimersByTimeAsync(3000);
    navigator.onLine = true;
    await vi.advanceTimersByTimeAsync(3000);
    expect(seen).toEqual([false, true]);
  });

  it('reports the network back after an outage that only a read saw, shorter than the poll', async () => {
    const status = browserNetworkStatus(1000);
    const seen: boolean[] = [];
    status.subscribe((online) => seen.push(online));
    // A job is sent to wait for the network on this read; the network is back before the poll.
    navigator.onLine = false;
    expect(status.isOnline()).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    navigator.onLine = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual([false, true]);
  });

  it('tells nothing after the unsubscribe', async () => {
    const status = browserNetworkStatus(1000);
    const seen: boolean[] = [];
    const unsubscribe = status.subscribe((online) => seen.push(online));
    navigator.onLine = false;
    status.isOnline();
    unsubscribe();
    await vi.advanceTimersByTimeAsync(2000);
    expect(seen).toEqual([]);
  });
});
