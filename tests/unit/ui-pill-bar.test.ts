import { describe, expect, it, vi } from 'vitest';
import {
  MORE_PILL_REM,
  PILL_GAP_REM,
  PILL_MIN_REM,
  feedbackFor,
  fitCount,
  moreLabel,
  queuedLabel,
} from '../../src/ui/components/pill-bar.svelte';

// The router module starts the app's router (runes, `window`) when it loads (vi.mock is hoisted
// above the imports); the functions under test do not use it.
vi.mock('../../src/ui/lib/router.svelte', () => ({
  jobHref: (id: string) => `#/jobs/${id}`,
  jobsHref: () => '#/jobs',
}));

describe('feedbackFor', () => {
  it.each([
    [0, 'none'],
    [999, 'none'],
    [1_000, 'spinner'],
    [2_999, 'spinner'],
    [3_000, 'bar'],
    [10_000, 'bar'],
    [10_001, 'bar-remaining'],
    [3_600_000, 'bar-remaining'],
  ] as const)('a job expected to take %d ms gets %s', (expectedMs, feedback) => {
    expect(feedbackFor(expectedMs)).toBe(feedback);
  });
});

describe('fitCount', () => {
  const rem = 16;
  const pill = PILL_MIN_REM * rem;
  const gap = PILL_GAP_REM * rem;
  const more = MORE_PILL_REM * rem;
  /** The width `count` pills take side by side. */
  const widthOf = (count: number) => count * pill + (count - 1) * gap;

  it('shows every pill when they all fit', () => {
    expect(fitCount(3, widthOf(3), rem)).toBe(3);
    expect(fitCount(1, pill, rem)).toBe(1);
  });

  it('leaves room for the "+N more" pill when they do not', () => {
    const width = widthOf(3) + 1;
    const shown = fitCount(10, width, rem);
    expect(shown).toBe(Math.floor((width - more) / (pill + gap)));
    expect(shown * (pill + gap) + more).toBeLessThanOrEqual(width);
  });

  it('always shows at least one pill, and never more than there are', () => {
    expect(fitCount(5, pill / 2, rem)).toBe(1);
    expect(fitCount(2, widthOf(40), rem)).toBe(2);
  });

  it('shows all pills before the bar has been measured, and none when there are none', () => {
    expect(fitCount(7, 0, rem)).toBe(7);
    expect(fitCount(0, 1_000, rem)).toBe(0);
  });

  it('scales with the root font size', () => {
    expect(fitCount(4, widthOf(4), rem * 2)).toBeLessThan(4);
  });
});

describe('moreLabel', () => {
  it('says "+N more" beside the pills shown, "+N" on a narrow bar', () => {
    expect(moreLabel(30, 4)).toEqual({ text: '+30 more', short: '+30', name: '30 more background jobs' });
    expect(moreLabel(1, 4)).toEqual({ text: '+1 more', short: '+1', name: '1 more background job' });
  });

  it('counts every job when no pill is shown, not "+N more" beside nothing', () => {
    expect(moreLabel(30, 0)).toEqual({ text: '30 background jobs', name: '30 background jobs' });
    expect(moreLabel(1, 0)).toEqual({ text: '1 background job', name: '1 background job' });
    expect(moreLabel(1_200, 0).text).toBe('1,200 background jobs');
  });
});

describe('queuedLabel', () => {
  it('counts the queued jobs, and says nothing when none is queued', () => {
    expect(queuedLabel(3)).toEqual({ text: '3 queued', name: '3 queued jobs' });
    expect(queuedLabel(1)).toEqual({ text: '1 queued', name: '1 queued job' });
    expect(queuedLabel(12_500)).toEqual({ text: '12,500 queued', name: '12,500 queued jobs' });
    expect(queuedLabel(0)).toBeUndefined();
  });
});
