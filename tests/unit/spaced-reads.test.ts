import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spacedReads } from '../../src/client/spaced-watch';

/** A read that the test finishes by hand, after advancing the clock by `took` ms. */
function manualRead() {
  const pending: Array<() => void> = [];
  const read = vi.fn(
    () =>
      new Promise<void>((resolve) => {
        pending.push(resolve);
      }),
  );
  const finish = async (took: number) => {
    await vi.advanceTimersByTimeAsync(took);
    pending.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { read, finish, pending };
}

describe('spacedReads', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads at once when asked first, and folds asks during a read into one read after its pause', async () => {
    const { read, finish } = manualRead();
    const reads = spacedReads(read, { minGapMs: 500, spacing: 4 });
    reads.request();
    expect(read).toHaveBeenCalledTimes(1);
    reads.request();
    reads.request();
    expect(read).toHaveBeenCalledTimes(1);
    await finish(10);
    // The pause is the least gap here (4 × 10 ms is under 500 ms).
    await vi.advanceTimersByTimeAsync(499);
    expect(read).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(read).toHaveBeenCalledTimes(2);
    await finish(10);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(read).toHaveBeenCalledTimes(2);
    reads.close();
  });

  it('pauses for spacing times the last read when that is longer than the least gap', async () => {
    const { read, finish } = manualRead();
    const reads = spacedReads(read, { minGapMs: 500, spacing: 4 });
    reads.request();
    await finish(300);
    reads.request();
    await vi.advanceTimersByTimeAsync(1_199);
    expect(read).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(read).toHaveBeenCalledTimes(2);
    reads.close();
  });

  it('reads again after a read that threw', async () => {
    const read = vi.fn().mockRejectedValueOnce(new Error('store closed')).mockResolvedValue(undefined);
    const reads = spacedReads(read, { minGapMs: 100 });
    reads.request();
    await vi.advanceTimersByTimeAsync(0);
    reads.request();
    await vi.advanceTimersByTimeAsync(100);
    expect(read).toHaveBeenCalledTimes(2);
    reads.close();
  });

  it('starts no read after close, even one already waiting for its turn', async () => {
    const { read, finish } = manualRead();
    const reads = spacedReads(read, { minGapMs: 500 });
    reads.request();
    await finish(1);
    reads.request();
    reads.close();
    await vi.advanceTimersByTimeAsync(5_000);
    reads.request();
    expect(read).toHaveBeenCalledTimes(1);
  });
});
