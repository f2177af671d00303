import { describe, expect, it } from 'vitest';
import { chartScales, countAxis, countStep, sameTicks } from '../../src/ui/components/chart-ticks';

/** The labels the chart shows: the left axis, then the right one above the shared 0, or the left alone. */
function labels(maxRate: number, maxDepth: number): number[] {
  const { rate, depth } = chartScales(maxRate, maxDepth);
  return sameTicks(rate, depth) ? [...rate.ticks] : [...rate.ticks, ...depth.ticks.slice(1)];
}

describe('countStep', () => {
  it.each([
    [0, 1],
    [0.4, 1],
    [1, 1],
    [1.5, 2],
    [3, 5],
    [7, 10],
    [12, 20],
    [65, 100],
    [1000, 1000],
    [1001, 2000],
  ])('%d rounds up to the whole step %d', (raw, step) => {
    expect(countStep(raw)).toBe(step);
  });
});

describe('countAxis', () => {
  it('gives an axis with nothing to show the tick 0 alone, not a made-up 1', () => {
    expect(countAxis(0, 3)).toEqual({ ticks: [0], top: 1 });
    expect(countAxis(5, 0)).toEqual({ ticks: [0], top: 1 });
  });

  it('reaches the max in whole steps', () => {
    expect(countAxis(7, 4)).toEqual({ ticks: [0, 2, 4, 6, 8], top: 8 });
  });
});

describe('chartScales', () => {
  it('labels an empty chart 0 once: no second 0 on the right, no 1 on either side', () => {
    expect(chartScales(0, 0)).toEqual({ rate: { ticks: [0], top: 1 }, depth: { ticks: [0], top: 1 } });
    expect(labels(0, 0)).toEqual([0]);
  });

  it.each([
    [1, [0, 1]],
    [2, [0, 1, 2]],
    [3, [0, 1, 2, 3]],
    [4, [0, 1, 2, 3, 4]],
    [5, [0, 1, 2, 3, 4, 5]],
    [6, [0, 2, 4, 6]],
    [7, [0, 2, 4, 6, 8]],
    [37, [0, 10, 20, 30, 40]],
    [260, [0, 100, 200, 300]],
  ])('splits a max of %d completions into whole ticks %j', (max, ticks) => {
    expect(chartScales(max, 0).rate.ticks).toEqual(ticks);
  });

  it('gives the same small maxima on both sides one set of labels', () => {
    for (const max of [1, 2, 3]) {
      const { rate, depth } = chartScales(max, max);
      expect(sameTicks(rate, depth)).toBe(true);
      expect(labels(max, max)).toEqual(rate.ticks);
    }
  });

  it('splits both sides into the same segments, so their ticks share grid lines', () => {
    const { rate, depth } = chartScales(2, 37);
    expect(rate.ticks.length).toBe(depth.ticks.length);
    expect(depth.top).toBeGreaterThanOrEqual(37);
    expect(rate.top).toBeGreaterThanOrEqual(2);
  });

  it('labels an empty side 0 only, beside a side with jobs', () => {
    expect(chartScales(0, 3)).toEqual({ rate: { ticks: [0], top: 1 }, depth: { ticks: [0, 1, 2, 3], top: 3 } });
    expect(labels(0, 3)).toEqual([0, 1, 2, 3]);
    expect(labels(3, 0)).toEqual([0, 1, 2, 3]);
  });

  it('never repeats a label on one axis, never shows a fraction, and always reaches the max', () => {
    for (let rate = 0; rate <= 60; rate++) {
      for (const depth of [0, 1, 2, 3, 5, 9, 10, 11, 99, 100, 101, 12_345]) {
        const scales = chartScales(rate, depth);
        for (const [axis, max] of [
          [scales.rate, rate],
          [scales.depth, depth],
        ] as const) {
          expect(new Set(axis.ticks).size).toBe(axis.ticks.length);
          expect(axis.ticks.every((tick) => Number.isInteger(tick))).toBe(true);
          expect(axis.ticks[0]).toBe(0);
          expect(axis.top).toBeGreaterThanOrEqual(max);
          expect(axis.ticks.length).toBeLessThanOrEqual(6);
        }
        expect(
          scales.rate.ticks.length === 1 ||
            scales.depth.ticks.length === 1 ||
            scales.rate.ticks.length === scales.depth.ticks.length,
        ).toBe(true);
      }
    }
  });
});
