import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/shared';

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    const options = { baseMs: 1000, maxMs: 10_000, jitter: false };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, options))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('spreads delays between half and all of the capped value', () => {
    const options = { baseMs: 1000, maxMs: 60_000, jitter: true };
    expect(backoffDelay(3, options, () => 0)).toBe(2000);
    expect(backoffDelay(3, options, () => 0.999999)).toBe(4000);
  });

  it('never overflows for huge attempt numbers', () => {
    expect(backoffDelay(10_000, { baseMs: 1000, maxMs: 300_000, jitter: false })).toBe(300_000);
  });
});
