import { describe, expect, it } from 'vitest';
import type { HistoryEntry, JobRecord } from '../../src/client';
import {
  estimateRemainingMs,
  problemText,
  retryCause,
  errorSummary,
  historyNote,
  runningTimeMs,
  waitReasonText,
} from '../../src/ui/lib/job-words';
import { formatClock } from '../../src/ui/lib/format';
import { SECOND, MINUTE, HOUR, DAY, AFTERNOON } from '../helpers/times';

describe('errorSummary and historyNote', () => {
  const failure = { code: 'handler-error', name: 'Error', retryable: true };
  it('says what went wrong and what happens next, as the job stands now', () => {
    expect(errorSummary({ status: 'failed', error: failure })).toBe(
      'The task ran into an error · retrying may work once the cause is gone',
    );
    expect(errorSummary({ status: 'failed', error: { ...failure, retryable: false } })).toBe(
      'The task ran into an error · retrying will likely fail the same way',
    );
    expect(errorSummary({ status: 'queued', error: failure })).toBe(
      'The task ran into an error · it will be tried again',
    );
    expect(errorSummary({ status: 'waiting', waitReason: 'retry', error: failure })).toMatch(/it will be tried again$/);
    expect(
      errorSummary({ status: 'waiting', waitReason: 'rate_limit', error: { ...failure, code: 'rate-limited' } }),
    ).toBe('The service asked to slow down · it runs again when the limit lifts');
    expect(errorSummary({ status: 'paused', error: failure })).toMatch(/it runs again when resumed$/);
    expect(errorSummary({ status: 'cancelled', error: failure })).toMatch(/the job was cancelled$/);
    expect(errorSummary({ status: 'running', error: failure })).toMatch(/it is being tried again$/);
  });

  it('says of a job failed for its dependency that a retry runs once that job completes', () => {
    expect(
      errorSummary({ status: 'failed', error: { code: 'dependency-failed', name: 'Error', retryable: false } }),
    ).toBe('A job it depends on did not complete · retry it once that job completes');
  });

  it('names a failing AI service rather than the task', () => {
    expect(errorSummary({ status: 'failed', error: { ...failure, name: 'AiProviderError' } })).toMatch(
      /^The AI service failed or could not be reached · /,
    );
  });

  it("writes a history entry's why with a separator between its parts", () => {
    expect(historyNote({ waitReason: 'rate_limit', code: 'rate-limited' })).toBe(
      'for a rate limit · the service asked to slow down',
    );
    expect(historyNote({ code: 'interrupted' })).toBe('after the tab running it crashed or was stopped');
    expect(historyNote({ code: 'page-exit' })).toBe('after the tab running it closed or reloaded');
    expect(historyNote({ waitReason: 'retry' })).toBe('to retry');
  });
});

describe('problemText', () => {
  it('says what an error code means in words, and leaves a code no one named as it is', () => {
    expect(problemText('timeout')).toBe('took too long');
    expect(problemText('handler-error')).toBe('the task ran into an error');
    expect(problemText('interrupted')).toBe('the tab running it crashed or was stopped');
    expect(problemText('my-app-code')).toBe('my-app-code');
  });
});

describe('waitReasonText', () => {
  const now = AFTERNOON;
  type Waiting = Pick<JobRecord, 'status' | 'waitReason' | 'runAt'>;
  const waiting = (waitReason: JobRecord['waitReason'], runAt: number): Waiting =>
    waitReason === undefined ? { status: 'waiting', runAt } : { status: 'waiting', waitReason, runAt };

  it('names paused and queued jobs, and says nothing for other statuses', () => {
    expect(waitReasonText({ status: 'paused', runAt: now }, now)).toBe('Paused');
    expect(waitReasonText({ status: 'queued', runAt: now }, now)).toBe('Queued');
    expect(waitReasonText({ status: 'running', runAt: now }, now)).toBe('');
    expect(waitReasonText({ status: 'completed', runAt: now }, now)).toBe('');
  });

  it.each([
    ['retry', now + 12 * SECOND, 'Retrying in 12 s'],
    ['retry', now, 'Retrying now'],
    ['rate_limit', now - SECOND, 'Rate limit lifting'],
    ['offline', now + MINUTE, 'Offline'],
    ['dependencies', now, 'Waiting for other jobs'],
    ['scheduled', now, 'Starting'],
    ['scheduled', now + 30 * MINUTE, 'Starts in 30:00'],
    [undefined, now + MINUTE, 'Waiting'],
  ] as const)('waiting for %s reads as %s', (reason, runAt, text) => {
    expect(waitReasonText(waiting(reason, runAt), now)).toBe(text);
  });

  it('gives the time a rate limit lifts, with seconds when it is under two minutes away', () => {
    const soon = now + 30 * SECOND;
    const later = now + 5 * MINUTE;
    expect(waitReasonText(waiting('rate_limit', soon), now)).toBe(`Rate limited until ${formatClock(soon, true)}`);
    expect(waitReasonText(waiting('rate_limit', later), now)).toBe(`Rate limited until ${formatClock(later)}`);
  });

  it('gives the time of day for a job scheduled an hour or more ahead', () => {
    const at = now + 2 * HOUR;
    expect(waitReasonText(waiting('scheduled', at), now)).toBe(`Scheduled for ${formatClock(at)}`);
  });

  it('names the day of a job scheduled for another day: tomorrow, a later day, or another year', () => {
    const tomorrow = new Date(2026, 10, 24, 7, 39).getTime();
    const laterThisYear = new Date(2026, 11, 9, 7, 39).getTime();
    const nextYear = new Date(2027, 0, 2, 7, 39).getTime();
    const dayAndTime = (options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(undefined, { ...options, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    expect(waitReasonText(waiting('scheduled', tomorrow), now)).toBe(`Scheduled for tomorrow ${formatClock(tomorrow)}`);
    expect(waitReasonText(waiting('scheduled', laterThisYear), now)).toBe(
      `Scheduled for ${dayAndTime({ month: 'short', day: 'numeric' }).format(laterThisYear)}`,
    );
    expect(waitReasonText(waiting('scheduled', nextYear), now)).toBe(
      `Scheduled for ${dayAndTime({ year: 'numeric', month: 'short', day: 'numeric' }).format(nextYear)}`,
    );
    // Just after midnight is tomorrow although it is under a day away.
    const afterMidnight = new Date(2026, 10, 24, 0, 30).getTime();
    expect(waitReasonText(waiting('scheduled', afterMidnight), now)).toBe(
      `Scheduled for tomorrow ${formatClock(afterMidnight)}`,
    );
  });

  it('names the day a rate limit lifts when it is not today', () => {
    const tomorrow = new Date(2026, 10, 24, 9, 15).getTime();
    expect(waitReasonText(waiting('rate_limit', tomorrow), now)).toBe(
      `Rate limited until tomorrow ${formatClock(tomorrow)}`,
    );
  });

  describe('in its short form, for a narrow pill', () => {
    const short = (reason: JobRecord['waitReason'], runAt: number) =>
      waitReasonText(waiting(reason, runAt), now, 'short');
    const day = (at: number, options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(undefined, options).format(at);
    const monthDay = (at: number) => day(at, { month: 'short', day: 'numeric' });
    const tomorrow = new Date(2026, 10, 24, 7, 39).getTime();
    const laterThisYear = new Date(2026, 11, 9, 7, 39).getTime();
    const earlyNextYear = new Date(2027, 0, 2, 7, 39).getTime();
    const aYearAhead = new Date(2027, 10, 23, 7, 39).getTime();

    it('words paused and queued jobs as in full, and says nothing for other statuses', () => {
      expect(waitReasonText({ status: 'paused', runAt: now }, now, 'short')).toBe('Paused');
      expect(waitReasonText({ status: 'queued', runAt: now }, now, 'short')).toBe('Queued');
      expect(waitReasonText({ status: 'running', runAt: now }, now, 'short')).toBe('');
      expect(waitReasonText({ status: 'completed', runAt: now }, now, 'short')).toBe('');
    });

    it.each([
      ['retry', now + 12 * SECOND, 'Retry in 12 s'],
      ['retry', now + 59 * MINUTE, 'Retry in 59:00'],
      ['retry', now, 'Retrying now'],
      ['rate_limit', now - SECOND, 'Limit lifting'],
      ['offline', now + MINUTE, 'Offline'],
      ['dependencies', now, 'Waits for jobs'],
      ['scheduled', now, 'Starting'],
      ['scheduled', now + 30 * MINUTE, 'Starts in 30:00'],
      [undefined, now + MINUTE, 'Waiting'],
    ] as const)('waiting for %s reads as %s', (reason, runAt, text) => {
      expect(short(reason, runAt)).toBe(text);
    });

    it('gives the time of day when it is today, without seconds however near', () => {
      const soon = now + 30 * SECOND;
      const later = now + 2 * HOUR;
      expect(short('rate_limit', soon)).toBe(`Limit · ${formatClock(soon)}`);
      expect(short('rate_limit', later)).toBe(`Limit · ${formatClock(later)}`);
      expect(short('retry', later)).toBe(`Retry ${formatClock(later)}`);
      expect(short('scheduled', later)).toBe(`Starts ${formatClock(later)}`);
    });

    it('gives the day alone when it is another day, with its year only a year or more ahead', () => {
      for (const at of [tomorrow, laterThisYear, earlyNextYear]) {
        expect(short('rate_limit', at)).toBe(`Limit · ${monthDay(at)}`);
        expect(short('retry', at)).toBe(`Retry ${monthDay(at)}`);
        expect(short('scheduled', at)).toBe(`Starts ${monthDay(at)}`);
      }
      expect(short('scheduled', aYearAhead)).toBe(`Starts ${day(aYearAhead, { dateStyle: 'medium' })}`);
    });

    it('is never longer than the full text', () => {
      const reasons = [undefined, 'retry', 'rate_limit', 'offline', 'dependencies', 'scheduled'] as const;
      const times = [-SECOND, 0, 12 * SECOND, 30 * SECOND, 59 * MINUTE, 2 * HOUR, 26 * HOUR, 400 * DAY];
      for (const reason of reasons) {
        for (const after of [...times, tomorrow - now, earlyNextYear - now]) {
          const job = waiting(reason, now + after);
          expect(waitReasonText(job, now, 'short').length).toBeLessThanOrEqual(waitReasonText(job, now).length);
        }
      }
    });
  });
});

describe('runningTimeMs', () => {
  it('sums the running spells of the history, the last one up to now', () => {
    const history: HistoryEntry[] = [
      { status: 'queued', at: 0 },
      { status: 'running', at: 1_000 },
      { status: 'paused', at: 4_000 },
      { status: 'queued', at: 9_000 },
      { status: 'running', at: 10_000 },
    ];
    expect(runningTimeMs(history, 12_000)).toBe(5_000);
  });

  it('ends a run cut short when it was last heard from, not when a runner took over', () => {
    const history: HistoryEntry[] = [
      { status: 'queued', at: 0 },
      { status: 'running', at: 1_000 },
      // The app was closed at 5 s and opened again an hour later.
      { status: 'queued', at: 3_600_000, code: 'interrupted', ranUntil: 5_000 },
      { status: 'running', at: 3_600_100 },
    ];
    expect(runningTimeMs(history, 3_602_100)).toBe(6_000);
  });

  it('is 0 for a job that never ran, and never negative when clocks disagree', () => {
    expect(runningTimeMs([], 5_000)).toBe(0);
    expect(runningTimeMs([{ status: 'queued', at: 0 }], 5_000)).toBe(0);
    expect(
      runningTimeMs(
        [
          { status: 'running', at: 5_000 },
          { status: 'completed', at: 4_000 },
        ],
        6_000,
      ),
    ).toBe(0);
  });
});

describe('estimateRemainingMs', () => {
  const started: HistoryEntry[] = [{ status: 'running', at: 0 }];
  const job = (progress: number, updatedAt: number, history = started) => ({ progress, updatedAt, history });

  it('extrapolates the rate of progress at the last report', () => {
    expect(estimateRemainingMs(job(0.5, 10_000), 10_000)).toBe(10_000);
  });

  it('counts down between progress reports instead of growing', () => {
    expect(estimateRemainingMs(job(0.5, 10_000), 12_000)).toBe(8_000);
    expect(estimateRemainingMs(job(0.5, 10_000), 25_000)).toBe(0);
  });

  it('has no estimate with too little progress or time, or when the job is done', () => {
    expect(estimateRemainingMs(job(0.01, 10_000), 10_000)).toBeUndefined();
    expect(estimateRemainingMs(job(0.5, 400), 400)).toBeUndefined();
    expect(estimateRemainingMs(job(1, 10_000), 10_000)).toBeUndefined();
    expect(estimateRemainingMs(job(Number.NaN, 10_000), 10_000)).toBeUndefined();
  });
});

describe('retryCause', () => {
  const error = {
    name: 'AiProviderError',
    code: 'handler-error',
    message: 'The AI provider failed (HTTP 500)',
    retryable: true,
  };

  it("gives the last attempt's error of a job waiting to be tried again, and nothing otherwise", () => {
    expect(retryCause({ status: 'waiting', waitReason: 'retry', error })).toBe(
      'The last try failed: The AI provider failed (HTTP 500)',
    );
    expect(retryCause({ status: 'waiting', waitReason: 'rate_limit', error })).toBe('');
    expect(retryCause({ status: 'waiting', waitReason: 'retry' })).toBe('');
    expect(retryCause({ status: 'failed', error })).toBe('');
  });
});
