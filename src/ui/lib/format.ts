import type { JobRecord } from '../../client';

/** Durations in milliseconds. */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration for people: `850 ms`, `12 s`, `3 min 5 s`, `2 h 10 min`. */
export function formatDuration(ms: number): string {
  const value = Math.max(0, ms);
  if (value < SECOND) return `${Math.round(value)} ms`;
  if (value < MINUTE) return `${Math.round(value / SECOND)} s`;
  if (value < HOUR) {
    const minutes = Math.floor(value / MINUTE);
    const seconds = Math.round((value % MINUTE) / SECOND);
    return seconds === 0 || seconds === 60
      ? `${minutes + (seconds === 60 ? 1 : 0)} min`
      : `${minutes} min ${seconds} s`;
  }
  const hours = Math.floor(value / HOUR);
  const minutes = Math.round((value % HOUR) / MINUTE);
  return minutes === 0 || minutes === 60 ? `${hours + (minutes === 60 ? 1 : 0)} h` : `${hours} h ${minutes} min`;
}

/** A countdown that ticks each second: `12 s`, `4:05`, `1:02:09`. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / SECOND));
  if (total < 60) return `${total} s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * Time left, rounded so that it does not jitter but still moves: `about 7 s left` (to the
 * second under 20 s), `about 35 s left` (to 5 s under a minute), `about 4 min left`. The short
 * form, for a narrow pill, says the same in about half the letters: `~7 s left`, `~4 min left`,
 * `<5 s left`.
 */
export function formatRemaining(ms: number, form: 'long' | 'short' = 'long'): string {
  const about = form === 'short' ? '~' : 'about ';
  if (ms < 5 * SECOND) return form === 'short' ? '<5 s left' : 'a few seconds left';
  if (ms < 20 * SECOND) return `${about}${Math.ceil(ms / SECOND)} s left`;
  if (ms < MINUTE) return `${about}${Math.ceil(ms / (5 * SECOND)) * 5} s left`;
  if (ms < HOUR) return `${about}${Math.ceil(ms / MINUTE)} min left`;
  return `${about}${formatDuration(ms)} left`;
}

/**
 * Builds a value on first use and keeps it. Intl formats are built so: the first one of a kind
 * loads the browser's locale data, which took 10–15 ms on a slow device, and built while the
 * app's modules were evaluated that made the page's first task a long one.
 */
export function lazily<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const clockFormat = lazily(
  () => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
);
const clockSecondsFormat = lazily(
  () =>
    new Intl.DateTimeFormat(undefined, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }),
);
const dateTimeFormat = lazily(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }));
/** A day to the minute on the 24-hour clock (as `formatClock`), short enough for a list's column. */
const DAY_TIME = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
/** A day of this year: `Dec 3, 07:51`. */
const dayTimeFormat = lazily(() => new Intl.DateTimeFormat(undefined, DAY_TIME));
/** As `dayTimeFormat`, with the year: `Jan 2, 2027, 07:39`. */
const yearDayTimeFormat = lazily(() => new Intl.DateTimeFormat(undefined, { year: 'numeric', ...DAY_TIME }));
const dateFormat = lazily(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }));
/** A day of the coming year, without the time: `Dec 9`. */
const monthDayFormat = lazily(() => new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }));
const countFormat = lazily(() => new Intl.NumberFormat());
const moneyFormat = lazily(
  () => new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
);
const decimalFormats = new Map<number, Intl.NumberFormat>();

/**
 * Loads the locale's data of dates and numbers ahead of the first page that shows them, in four
 * tasks of their own: call once the first screen is drawn. The page's first date format loads
 * that data (20–30 ms measured in Chromium on a fresh page, 55–69 ms while 1,000 jobs ran beside
 * it), and otherwise did so inside the task that first drew a date: a job page's first draw. Built
 * in one task, that was itself a task over 50 ms under load. Parts of the same data load with a
 * locale's likely subtags (`maximize`, 9–16 ms on a fresh page) and with a collator (9–16 ms);
 * after those, the date format took 4–13 ms and the number format 1–3 ms. Returns the function
 * that stops what is not built yet.
 */
export function warmFormats(): () => void {
  const builds = [
    () => new Intl.Locale(globalThis.navigator?.language ?? 'en').maximize(),
    () => new Intl.Collator(),
    dateTimeFormat,
    countFormat,
  ];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const next = (): void => {
    builds.shift()?.();
    timer = builds.length > 0 ? setTimeout(next, 0) : undefined;
  };
  timer = setTimeout(next, 0);
  return () => clearTimeout(timer);
}

/** A time of day: `14:02`, or `14:02:09` with seconds. */
export function formatClock(at: number, withSeconds = false): string {
  return (withSeconds ? clockSecondsFormat : clockFormat)().format(at);
}

/**
 * A time still to come, with its day unless that is today: `07:39`, `tomorrow 07:39`,
 * `Dec 9, 07:39`, or with the year when it is in another (`Jan 2, 2027, 07:39`). Seconds
 * (`withSeconds`) are given for today only.
 */
export function formatComing(at: number, now: number, withSeconds = false): string {
  const day = new Date(at);
  const today = new Date(now);
  if (sameDay(day, today)) return formatClock(at, withSeconds);
  const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  if (sameDay(day, tomorrow)) return `tomorrow ${formatClock(at)}`;
  return (day.getFullYear() === today.getFullYear() ? dayTimeFormat : yearDayTimeFormat)().format(at);
}

/**
 * As `formatComing`, in fewer letters: the time of day today (`07:39`), else the day alone
 * (`Dec 9`), with its year only a year or more ahead (`Jan 2, 2028`): the day after New Year's
 * Eve is plainly the next year's.
 */
export function formatComingShort(at: number, now: number): string {
  const day = new Date(at);
  const today = new Date(now);
  if (sameDay(day, today)) return formatClock(at);
  const yearAhead = new Date(today.getFullYear() + 1, today.getMonth(), today.getDate());
  return (day < yearAhead ? monthDayFormat : dateFormat)().format(at);
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** A full date and time, for tooltips and detail pages. */
export function formatDateTime(at: number): string {
  return dateTimeFormat().format(at);
}

/**
 * When something that has happened happened: a time the page's clock has not reached yet (it
 * ticks every few seconds, and another tab may be ahead) reads as now, never "in 1 s".
 */
export function formatPast(at: number, now: number): string {
  return formatRelative(at, Math.max(at, now));
}

/**
 * How long ago: `just now`, `12 s ago`, `5 min ago`, `3 h ago`; a day or more ago, the day and
 * time (`Dec 3, 07:51`), or the date alone in another year (`Dec 3, 2025`). Where it is shown,
 * the full date and time (`formatDateTime`) is its title.
 */
export function formatRelative(at: number, now: number): string {
  const ago = now - at;
  if (ago < 0) {
    // Further ahead than a day, whole days read better than hundreds of hours.
    if (-ago >= DAY) {
      const days = Math.round(-ago / DAY);
      return `in ${days} ${days === 1 ? 'day' : 'days'}`;
    }
    return `in ${formatDuration(-ago)}`;
  }
  if (ago < 5 * SECOND) return 'just now';
  if (ago < MINUTE) return `${Math.round(ago / SECOND)} s ago`;
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  return new Date(at).getFullYear() === new Date(now).getFullYear()
    ? dayTimeFormat().format(at)
    : dateFormat().format(at);
}

/** A count with the locale's grouping: `12,480`. */
export function formatCount(value: number): string {
  return countFormat().format(value);
}

/** An amount of money with two decimals, without its currency: `1,234.50`. */
export function formatMoney(value: number): string {
  return moneyFormat().format(value);
}

/** A number with at most `digits` decimals: `2.5`, `0.33`. */
export function formatDecimal(value: number, digits: number): string {
  let format = decimalFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { maximumFractionDigits: digits });
    decimalFormats.set(digits, format);
  }
  return format.format(value);
}

/** The fractions a cook reads, with the glyph each is written with. */
const KITCHEN_FRACTIONS: readonly (readonly [number, string])[] = [
  [1 / 8, '⅛'],
  [1 / 6, '⅙'],
  [1 / 4, '¼'],
  [1 / 3, '⅓'],
  [3 / 8, '⅜'],
  [1 / 2, '½'],
  [5 / 8, '⅝'],
  [2 / 3, '⅔'],
  [3 / 4, '¾'],
  [5 / 6, '⅚'],
  [7 / 8, '⅞'],
];

/**
 * A quantity in a recipe as a cook writes it: `1½`, `⅓`, `2¾`; a value no common fraction is
 * near (within 0.01) keeps up to two decimals, and a whole number stays whole.
 */
export function formatQuantity(value: number): string {
  if (!Number.isFinite(value) || value < 0) return formatDecimal(value, 2);
  const whole = Math.floor(value);
  const part = value - whole;
  if (part < 0.01) return formatDecimal(whole, 0);
  if (part > 0.99) return formatDecimal(whole + 1, 0);
  const fraction = KITCHEN_FRACTIONS.find(([amount]) => Math.abs(part - amount) < 0.01);
  if (!fraction) return formatDecimal(value, 2);
  return whole === 0 ? fraction[1] : `${formatDecimal(whole, 0)}${fraction[1]}`;
}

/** Units written short, which read the same for one or many. */
const SHORT_UNITS = new Set([
  'tsp',
  'tbsp',
  'oz',
  'lb',
  'lbs',
  'kg',
  'mg',
  'ml',
  'cl',
  'dl',
  'qt',
  'pt',
  'gal',
  'fl oz',
]);

/**
 * A recipe unit as read beside its quantity: `cup` for one or less, `cups` for more, from the
 * larger end of a range ("1–2 cups"); short forms (`g`, `tbsp`) and units already plural stay.
 */
export function unitLabel(unit: string, quantity: number | null, quantity2: number | null = null): string {
  const amount = Math.max(quantity ?? 0, quantity2 ?? 0);
  const word = unit.trim();
  if (amount <= 1 || !/^[a-z]{3,}$/i.test(word) || SHORT_UNITS.has(word.toLowerCase())) return unit;
  if (/[^s]s$/i.test(word)) return word;
  if (/(ss|sh|ch|x|z)$/i.test(word)) return `${word}es`;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(lea|loa|hal)f$/i.test(word)) return `${word.slice(0, -1)}ves`;
  return `${word}s`;
}

/** A byte count: `512 B`, `12.4 KB`, `3.1 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit] ?? 'TB'}`;
}

/** Progress 0..1 as a whole percent, 0–100. */
export function toPercent(progress: number): number {
  if (!Number.isFinite(progress)) return 0;
  return Math.min(100, Math.max(0, Math.round(progress * 100)));
}

/** Text with a capital first letter, to start a sentence or a label. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A status as a word with a capital: `Running`, `Cancelled`. */
export function statusLabel(status: JobRecord['status']): string {
  return capitalize(status);
}

/** Any stored value as readable JSON text (never HTML), cut at `limit` characters. */
export function formatJson(value: unknown, limit = 100_000): string {
  if (value === undefined) return '';
  let text: string;
  try {
    text = JSON.stringify(value, (_key, inner: unknown) => describeStored(inner), 2) ?? `[${typeof value}]`;
  } catch {
    text = '[a value that cannot be shown as text]';
  }
  return text.length > limit ? `${text.slice(0, limit)}\n… (${text.length - limit} more characters)` : text;
}

/** Stored values JSON cannot show (files, binary data, big integers) as short descriptions. */
function describeStored(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof File !== 'undefined' && value instanceof File) {
    return `[file ${value.name}, ${formatBytes(value.size)}${value.type ? `, ${value.type}` : ''}]`;
  }
  if (typeof Blob !== 'undefined' && value instanceof Blob) {
    return `[data, ${formatBytes(value.size)}${value.type ? `, ${value.type}` : ''}]`;
  }
  if (value instanceof ArrayBuffer) return `[binary, ${formatBytes(value.byteLength)}]`;
  if (ArrayBuffer.isView(value)) return `[binary, ${formatBytes(value.byteLength)}]`;
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}
