import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HistoryEntry, JobRecord } from '../../src/client';
import {
  estimateRemainingMs,
  formatBytes,
  formatClock,
  formatCount,
  formatCountdown,
  formatDateTime,
  formatDecimal,
  formatQuantity,
  problemText,
  retryCause,
  unitLabel,
  errorSummary,
  historyNote,
  formatPast,
  formatDuration,
  formatJson,
  formatMoney,
  formatRelative,
  formatRemaining,
  lazily,
  runningTimeMs,
  statusLabel,
  toPercent,
  waitReasonText,
} from '../../src/ui/lib/format';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A fixed local time of day, 14:02:09, so clock formats do not depend on when the test runs. */
const AFTERNOON = new Date(2026, 10, 23, 14, 2, 9).getTime();

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [-250, '0 ms'],
    [850, '850 ms'],
    [12 * SECOND, '12 s'],
    [3 * MINUTE, '3 min'],
    [3 * MINUTE + 5 * SECOND, '3 min 5 s'],
    [3 * MINUTE + 59.7 * SECOND, '4 min'],
    [2 * HOUR, '2 h'],
    [2 * HOUR + 10 * MINUTE, '2 h 10 min'],
    [3 * HOUR + 59.75 * MINUTE, '4 h'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatCountdown', () => {
  it.each([
    [0, '0 s'],
    [-5 * SECOND, '0 s'],
    [11_001, '12 s'],
    [59 * SECOND, '59 s'],
    [MINUTE, '1:00'],
    [4 * MINUTE + 5 * SECOND, '4:05'],
    [HOUR + 2 * MINUTE + 9 * SECOND, '1:02:09'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});

describe('formatRemaining', () => {
  it.each([
    [4_999, 'a few seconds left'],
    [5 * SECOND, 'about 5 s left'],
    [8_200, 'about 9 s left'],
    [12 * SECOND, 'about 12 s left'],
    [31 * SECOND, 'about 35 s left'],
    [MINUTE, 'about 1 min left'],
    [MINUTE + SECOND, 'about 2 min left'],
    [HOUR, 'about 1 h left'],
    [HOUR + 30 * MINUTE, 'about 1 h 30 min left'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatRemaining(ms)).toBe(text);
  });

  it.each([
    [4_999, '<5 s left'],
    [8_200, '~9 s left'],
    [31 * SECOND, '~35 s left'],
    [11 * MINUTE + 40 * SECOND, '~12 min left'],
    [HOUR + 30 * MINUTE, '~1 h 30 min left'],
  ])('%d ms reads %s in the short form', (ms, text) => {
    expect(formatRemaining(ms, 'short')).toBe(text);
  });
});

describe('formatClock', () => {
  it('shows hours and minutes on a 24-hour clock, with seconds when asked', () => {
    expect(formatClock(AFTERNOON)).toMatch(/^14\D02$/);
    expect(formatClock(AFTERNOON, true)).toMatch(/^14\D02\D09$/);
  });
});

describe('formatRelative', () => {
  const now = AFTERNOON;
  it.each([
    [now, 'just now'],
    [now - 4 * SECOND, 'just now'],
    [now - 12 * SECOND, '12 s ago'],
    [now - 5 * MINUTE - 3 * SECOND, '5 min ago'],
    [now - 3 * HOUR, '3 h ago'],
    [now + 12 * SECOND, 'in 12 s'],
    [now + 23 * HOUR, 'in 23 h'],
    [now + 25 * HOUR, 'in 1 day'],
    [now + 123 * HOUR, 'in 5 days'],
  ])('%d reads %s', (at, text) => {
    expect(formatRelative(at, now)).toBe(text);
  });

  it('gives the day and time to the minute for anything a day old or more, short enough for a list', () => {
    const at = now - 2 * 24 * HOUR;
    const text = formatRelative(at, now);
    expect(text).toBe(
      new Intl.DateTimeFormat(undefined, {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(at),
    );
    expect(text.length).toBeLessThan(formatDateTime(at).length);
    expect(text).not.toContain('2026');
  });

  it('gives the date alone for another year', () => {
    const at = new Date(2025, 11, 30, 9, 0).getTime();
    expect(formatRelative(at, now)).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(at));
    expect(formatRelative(at, now)).toContain('2025');
  });
});

describe('formatQuantity', () => {
  it('writes the fractions a cook reads as fractions, beside the whole part', () => {
    expect(formatQuantity(1.5)).toBe('1½');
    expect(formatQuantity(0.25)).toBe('¼');
    expect(formatQuantity(1 / 3)).toBe('⅓');
    expect(formatQuantity(0.33)).toBe('⅓');
    expect(formatQuantity(0.667)).toBe('⅔');
    expect(formatQuantity(2.75)).toBe('2¾');
    expect(formatQuantity(0.125)).toBe('⅛');
    expect(formatQuantity(1 / 6)).toBe('⅙');
    expect(formatQuantity(0.17)).toBe('⅙');
  });

  it('keeps whole numbers whole and other values as decimals', () => {
    expect(formatQuantity(2)).toBe('2');
    expect(formatQuantity(2.999)).toBe('3');
    expect(formatQuantity(0.1)).toBe(formatDecimal(0.1, 2));
    expect(formatQuantity(1.2)).toBe(formatDecimal(1.2, 2));
    expect(formatQuantity(1500)).toBe(formatDecimal(1500, 0));
    expect(formatQuantity(-1.5)).toBe(formatDecimal(-1.5, 2));
  });
});

describe('unitLabel', () => {
  it('gives the plural of a word unit for more than one, from the larger end of a range', () => {
    expect(unitLabel('cup', 1.5)).toBe('cups');
    expect(unitLabel('cup', 1)).toBe('cup');
    expect(unitLabel('cup', 0.5)).toBe('cup');
    expect(unitLabel('cup', 1, 2)).toBe('cups');
    expect(unitLabel('tablespoon', 2)).toBe('tablespoons');
    expect(unitLabel('pinch', 2)).toBe('pinches');
    expect(unitLabel('loaf', 2)).toBe('loaves');
    expect(unitLabel('berry', 3)).toBe('berries');
    expect(unitLabel('cups', 2)).toBe('cups');
    expect(unitLabel('glass', 2)).toBe('glasses');
  });

  it('leaves short forms and unknown amounts as they are', () => {
    expect(unitLabel('g', 200)).toBe('g');
    expect(unitLabel('tbsp', 2)).toBe('tbsp');
    expect(unitLabel('ml', 250)).toBe('ml');
    expect(unitLabel('cup', null)).toBe('cup');
  });
});

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

describe('formatPast', () => {
  it('reads a time the page clock has not reached yet as now', () => {
    expect(formatPast(10_000, 9_000)).toBe(formatPast(10_000, 10_000));
    expect(formatPast(10_000, 9_000)).not.toMatch(/^in /);
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

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1_024, '1.0 KB'],
    [12.4 * 1_024, '12 KB'],
    [3.1 * 1_024 ** 2, '3.1 MB'],
    [2 * 1_024 ** 3, '2.0 GB'],
    [1_024 ** 5, '1024 TB'],
  ])('%d bytes read %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('toPercent', () => {
  it.each([
    [0, 0],
    [0.426, 43],
    [1, 100],
    [1.5, 100],
    [-0.2, 0],
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, 0],
  ])('%d is %d%%', (progress, percent) => {
    expect(toPercent(progress)).toBe(percent);
  });
});

describe('statusLabel', () => {
  it('capitalizes the status', () => {
    expect(statusLabel('running')).toBe('Running');
    expect(statusLabel('cancelled')).toBe('Cancelled');
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

describe('formatJson', () => {
  it('shows nothing for undefined and indented JSON for plain data', () => {
    expect(formatJson(undefined)).toBe('');
    expect(formatJson({ steps: 3, label: 'a' })).toBe('{\n  "steps": 3,\n  "label": "a"\n}');
  });

  it('describes values JSON cannot show', () => {
    expect(formatJson(10n)).toBe('"10"');
    expect(formatJson(new Map([['a', 1]]))).toBe('{\n  "a": 1\n}');
    expect(formatJson(new Set([1, 2]))).toBe('[\n  1,\n  2\n]');
    expect(formatJson(new ArrayBuffer(2_048))).toBe('"[binary, 2.0 KB]"');
    expect(formatJson(new Uint8Array(16))).toBe('"[binary, 16 B]"');
    expect(formatJson(new Blob(['abc'], { type: 'text/plain' }))).toBe('"[data, 3 B, text/plain]"');
    expect(formatJson(new File(['abcd'], 'a.csv', { type: 'text/csv' }))).toBe('"[file a.csv, 4 B, text/csv]"');
  });

  it('does not throw on a value that cannot be serialized', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(formatJson(cyclic)).toBe('[a value that cannot be shown as text]');
  });

  it('cuts long text at the limit and says how much is left', () => {
    expect(formatJson('x'.repeat(20), 5)).toBe('"xxxx\n… (17 more characters)');
  });
});

describe('Intl formats are built on first use', () => {
  afterEach(() => {
    vi.resetModules();
  });

  it('lazily builds its value once, when first asked', () => {
    let built = 0;
    const value = lazily(() => ({ n: ++built }));
    expect(built).toBe(0);
    expect(value()).toEqual({ n: 1 });
    expect(value()).toBe(value());
    expect(built).toBe(1);
  });

  it('loading the format module builds no Intl format; the first use of each builds it', async () => {
    const built = { dates: 0, numbers: 0 };
    const { DateTimeFormat, NumberFormat } = Intl;
    class CountedDateTimeFormat extends DateTimeFormat {
      constructor(...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
        super(...args);
        built.dates += 1;
      }
    }
    class CountedNumberFormat extends NumberFormat {
      constructor(...args: ConstructorParameters<typeof Intl.NumberFormat>) {
        super(...args);
        built.numbers += 1;
      }
    }
    Intl.DateTimeFormat = CountedDateTimeFormat as typeof Intl.DateTimeFormat;
    Intl.NumberFormat = CountedNumberFormat as typeof Intl.NumberFormat;
    try {
      vi.resetModules();
      const format = await import('../../src/ui/lib/format');
      expect(built).toEqual({ dates: 0, numbers: 0 });
      format.formatClock(AFTERNOON);
      format.formatClock(AFTERNOON + MINUTE);
      format.formatCount(1);
      format.formatCount(2);
      expect(built).toEqual({ dates: 1, numbers: 1 });
    } finally {
      Intl.DateTimeFormat = DateTimeFormat;
      Intl.NumberFormat = NumberFormat;
    }
  });

  it('counts, money and decimals read as the locale writes them', () => {
    expect(formatCount(12_480)).toBe(new Intl.NumberFormat().format(12_480));
    expect(formatMoney(1234.5)).toBe(
      new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(1234.5),
    );
    expect(formatDecimal(2.345, 2)).toBe(new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(2.345));
    expect(formatDecimal(2.345, 1)).toBe(new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(2.345));
  });
});

describe('warmFormats', () => {
  // Taken before any test spies on them.
  const { DateTimeFormat, NumberFormat, Collator } = Intl;
  const { maximize } = Intl.Locale.prototype;

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.resetModules();
  });

  /** A fresh copy of the module (its formats not built yet), counting the Intl formats built. */
  async function freshFormat() {
    vi.resetModules();
    const built: string[] = [];
    vi.spyOn(Intl.Locale.prototype, 'maximize').mockImplementation(function (this: Intl.Locale) {
      built.push('locale');
      return maximize.call(this);
    });
    vi.spyOn(Intl, 'Collator').mockImplementation(function (...args) {
      built.push('collator');
      return new Collator(...args);
    });
    vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(function (...args) {
      built.push('date');
      return new DateTimeFormat(...args);
    });
    vi.spyOn(Intl, 'NumberFormat').mockImplementation(function (...args) {
      built.push('number');
      return new NumberFormat(...args);
    });
    return { format: await import('../../src/ui/lib/format'), built };
  }

  it('loads the locale data in four tasks (likely subtags, a collator, a date format, a number format), and the pages then build no format', async () => {
    vi.useFakeTimers();
    const { format, built } = await freshFormat();
    format.warmFormats();
    expect(built).toEqual([]);
    const steps = ['locale', 'collator', 'date', 'number'];
    for (let task = 1; task <= steps.length; task += 1) {
      vi.advanceTimersToNextTimer();
      expect(built).toEqual(steps.slice(0, task));
    }
    expect(vi.getTimerCount()).toBe(0);
    format.formatDateTime(Date.UTC(2026, 11, 6, 12));
    format.formatCount(1_234);
    expect(built).toEqual(steps);
  });

  it('builds nothing more once stopped', async () => {
    vi.useFakeTimers();
    const { format, built } = await freshFormat();
    const stop = format.warmFormats();
    vi.advanceTimersToNextTimer();
    stop();
    vi.runAllTimers();
    expect(built).toEqual(['locale']);
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
