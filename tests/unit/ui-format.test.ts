import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  formatBytes,
  formatClock,
  formatCount,
  formatCountdown,
  formatDateTime,
  formatDecimal,
  formatQuantity,
  unitLabel,
  formatPast,
  formatDuration,
  formatJson,
  formatMoney,
  formatRelative,
  formatRemaining,
  lazily,
  statusLabel,
  toPercent,
} from '../../src/ui/lib/format';
import { SECOND, MINUTE, HOUR, AFTERNOON } from '../helpers/times';

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

describe('formatPast', () => {
  it('reads a time the page clock has not reached yet as now', () => {
    expect(formatPast(10_000, 9_000)).toBe(formatPast(10_000, 10_000));
    expect(formatPast(10_000, 9_000)).not.toMatch(/^in /);
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
