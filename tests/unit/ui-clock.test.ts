import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clock } from '../../src/ui/lib/clock.svelte';

const START = Date.UTC(2026, 11, 6, 9, 0, 0);

afterEach(() => {
  vi.useRealTimers();
});

describe('Clock', () => {
  it('reads the time it starts at, then moves on every interval until stopped', () => {
    vi.useFakeTimers({ now: START - 60_000 });
    const clock = new Clock(10_000);
    vi.setSystemTime(START);
    const stop = clock.start();
    expect(clock.now).toBe(START);
    vi.advanceTimersByTime(9_999);
    expect(clock.now).toBe(START);
    vi.advanceTimersByTime(1);
    expect(clock.now).toBe(START + 10_000);
    stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(30_000);
    expect(clock.now).toBe(START + 10_000);
  });

  it('ticks every second unless told otherwise, and at once when asked', () => {
    vi.useFakeTimers({ now: START });
    const clock = new Clock();
    const stop = clock.start();
    vi.advanceTimersByTime(1_000);
    expect(clock.now).toBe(START + 1_000);
    vi.setSystemTime(START + 1_400);
    clock.tick();
    expect(clock.now).toBe(START + 1_400);
    stop();
  });
});
