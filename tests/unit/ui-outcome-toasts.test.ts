import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobStatus } from '../../src/client';
import { summarizeJob } from '../../src/shared';
import { ToastsState } from '../../src/ui/components/toasts.svelte';
import { consoleLinks } from '../../src/ui/lib/job-links';
import { BURST_MS, describeCounts, OutcomeToasts, SUMMARY_EVERY_MS } from '../../src/ui/lib/outcome-toasts';
import { jobRecord } from '../fixtures/job-record';

const finished = (id: string, status: JobStatus = 'completed') =>
  summarizeJob(
    jobRecord(
      id,
      status,
      status === 'failed' ? { error: { name: 'JobError', code: 'handler', message: 'Broke', retryable: false } } : {},
    ),
  );

/** What the toasts show: each one's title and body. */
const shown = (toasts: ToastsState) => toasts.items.map((toast) => [toast.title, toast.body ?? '', toast.href ?? '']);

describe('OutcomeToasts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives three outcomes of a burst a toast each and counts the rest in one toast, redrawn at most once a second', () => {
    const toasts = new ToastsState();
    const outcomes = new OutcomeToasts(toasts);
    const told = ['a', 'b', 'c', 'd', 'e'].map((id) => outcomes.add(finished(id)));
    expect(told).toEqual(['single', 'single', 'single', 'counted', 'counted']);
    // The first counted outcome shows its toast at once; the next waits for the redraw.
    expect(shown(toasts)).toEqual([
      ['a completed', '', consoleLinks.job('a')],
      ['b completed', '', consoleLinks.job('b')],
      ['c completed', '', consoleLinks.job('c')],
      ['1 more job completed', '', consoleLinks.completed],
    ]);
    for (let index = 0; index < 500; index += 1) outcomes.add(finished(`x${index}`));
    outcomes.add(finished('broken', 'failed'));
    expect(toasts.items).toHaveLength(4);
    expect(shown(toasts)[3]?.[0]).toBe('1 more job completed');
    vi.advanceTimersByTime(SUMMARY_EVERY_MS);
    expect(toasts.items).toHaveLength(4);
    expect(shown(toasts)[3]).toEqual(['503 more jobs finished', '502 completed, 1 failed.', consoleLinks.failed]);
    expect(toasts.items[3]?.kind).toBe('error');
    outcomes.destroy();
    toasts.destroy();
  });

  it('keeps the count toast while the burst lasts and lets it go after, then tells the next outcome alone', () => {
    const toasts = new ToastsState();
    let now = 0;
    const outcomes = new OutcomeToasts(toasts, { now: () => now });
    for (const id of ['a', 'b', 'c', 'd']) outcomes.add(finished(id));
    // The burst goes on for 20 s, an outcome every 2 s: its toast is redrawn each time and stays.
    for (let second = 2; second <= 20; second += 2) {
      now = second * 1_000;
      vi.advanceTimersByTime(2_000);
      outcomes.add(finished(`at${second}`));
    }
    const counting = toasts.items.filter((toast) => toast.title.includes('more'));
    expect(counting.map((toast) => toast.title)).toEqual(['11 more jobs completed']);
    // The single toasts went after their 6 s; the count toast goes 6 s after its last redraw.
    vi.advanceTimersByTime(6_000);
    expect(toasts.items).toEqual([]);
    now += BURST_MS;
    expect(outcomes.add(finished('later'))).toBe('single');
    expect(shown(toasts)).toEqual([['later completed', '', consoleLinks.job('later')]]);
  });

  it("tells an outcome alone while fewer than three of the burst's single toasts are still shown", () => {
    const toasts = new ToastsState();
    const outcomes = new OutcomeToasts(toasts);
    expect(['a', 'b', 'c'].map((id) => outcomes.add(finished(id)))).toEqual(['single', 'single', 'single']);
    // One of them dismissed: the next outcome has room for a toast of its own, named.
    toasts.dismiss(toasts.items[1]!.id);
    expect(outcomes.add(finished('export'))).toBe('single');
    expect(shown(toasts).map(([title]) => title)).toEqual(['a completed', 'c completed', 'export completed']);
    // Three shown again: the next is counted, "more" than the three in sight.
    expect(outcomes.add(finished('e'))).toBe('counted');
    expect(shown(toasts).at(-1)?.[0]).toBe('1 more job completed');
    outcomes.destroy();
    toasts.destroy();
  });

  it('counts anew in a new toast when the count toast was dismissed during the burst', () => {
    const toasts = new ToastsState();
    const outcomes = new OutcomeToasts(toasts);
    for (const id of ['a', 'b', 'c', 'd', 'e']) outcomes.add(finished(id));
    vi.advanceTimersByTime(SUMMARY_EVERY_MS);
    const counting = toasts.items.find((toast) => toast.title === '2 more jobs completed');
    expect(counting).toBeDefined();
    toasts.dismiss(counting?.id ?? 0);
    outcomes.add(finished('f', 'failed'));
    vi.advanceTimersByTime(SUMMARY_EVERY_MS);
    expect(shown(toasts).at(-1)).toEqual(['1 more job failed', '', consoleLinks.failed]);
  });

  it('tells the news without a link on the page of the job itself, and reports each redraw of the count', () => {
    const toasts = new ToastsState();
    const counts: string[] = [];
    const outcomes = new OutcomeToasts(toasts, {
      here: (job) => job.id === 'b',
      onCounts: (toast) => counts.push(toast.title),
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) outcomes.add(finished(id));
    expect(toasts.items[1]).toMatchObject({ title: 'b completed' });
    expect(toasts.items[1]?.href).toBeUndefined();
    vi.advanceTimersByTime(SUMMARY_EVERY_MS);
    expect(counts).toEqual(['1 more job completed', '2 more jobs completed']);
    outcomes.destroy();
    vi.advanceTimersByTime(SUMMARY_EVERY_MS);
    expect(counts).toHaveLength(2);
  });
});

describe('describeCounts', () => {
  it('words completions, failures and both, with thousands, and links only where the app has the list', () => {
    expect(describeCounts({ completed: 1_234, failed: 0 }, {})).toEqual({
      kind: 'success',
      title: '1,234 more jobs completed',
    });
    expect(describeCounts({ completed: 0, failed: 2 }, { failed: '#f' })).toEqual({
      kind: 'error',
      title: '2 more jobs failed',
      href: '#f',
    });
    expect(describeCounts({ completed: 1, failed: 1 }, { completed: '#c', failed: '#f' })).toEqual({
      kind: 'error',
      title: '2 more jobs finished',
      body: '1 completed, 1 failed.',
      href: '#f',
    });
  });
});

describe('ToastsState.update', () => {
  it('puts the new text where the toast stood and starts its time again; refuses a toast that is gone', () => {
    vi.useFakeTimers();
    const toasts = new ToastsState();
    const first = toasts.push({ kind: 'info', title: 'one' });
    toasts.push({ kind: 'info', title: 'two' });
    vi.advanceTimersByTime(5_000);
    expect(toasts.update(first, { kind: 'success', title: 'one again' })).toBe(true);
    expect(toasts.items.map((toast) => toast.title)).toEqual(['one again', 'two']);
    vi.advanceTimersByTime(1_000);
    expect(toasts.items.map((toast) => toast.title)).toEqual(['one again']);
    vi.advanceTimersByTime(5_000);
    expect(toasts.items).toEqual([]);
    expect(toasts.update(first, { kind: 'info', title: 'gone' })).toBe(false);
    expect(toasts.items).toEqual([]);
    vi.useRealTimers();
  });
});
