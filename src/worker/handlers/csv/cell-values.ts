const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** `2025/01/31`, `2025.01.31`. */
const YEAR_FIRST_DATE = /^(\d{4})[./](\d{1,2})[./](\d{1,2})$/;
/** `31/01/2025`, `31.01.2025`, or month first, `01/31/2025`: which one, the file tells. */
const YEAR_LAST_DATE = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/;
/** Separators of thousands a statement may use beside the one its decimal mark rules out. */
const GROUPS = "' \u00a0\u202f";
/** An amount's digits when the decimal mark is a point (`1,234.56`) or a comma (`1.234,56`). */
const AMOUNT: Record<DecimalMark, RegExp> = {
  '.': new RegExp(`^(\\d{1,3}(?:([,${GROUPS}])\\d{3})(?:\\2\\d{3})*|\\d+)(?:\\.(\\d{1,2}))?$`),
  ',': new RegExp(`^(\\d{1,3}(?:([.${GROUPS}])\\d{3})(?:\\2\\d{3})*|\\d+)(?:,(\\d{1,2}))?$`),
};
/** Amounts only one decimal mark can have written: 1 or 2 digits after the mark. */
const ONLY_POINT = /\.\d{1,2}$/;
const ONLY_COMMA = /,\d{1,2}$/;

/** The character between an amount's units and its cents. */
export type DecimalMark = '.' | ',';

/** Whether a date that ends with its year puts the day first (`31/01/2025`) or the month (`01/31/2025`, as US banks do). */
export type DateOrder = 'day-first' | 'month-first';

/**
 * True for a real calendar date written `YYYY-MM-DD`, `YYYY/MM/DD`, or with the year last in
 * `order` (`DD/MM/YYYY`, `DD.MM.YYYY`; month first `MM/DD/YYYY`), the forms bank exports use.
 */
export function isStatementDate(text: string, order: DateOrder = 'day-first'): boolean {
  const value = text.trim();
  const yearFirst = ISO_DATE.exec(value) ?? YEAR_FIRST_DATE.exec(value);
  if (yearFirst) return isCalendarDate(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));
  const yearLast = YEAR_LAST_DATE.exec(value);
  if (!yearLast) return false;
  const [first, second, year] = [Number(yearLast[1]), Number(yearLast[2]), Number(yearLast[3])];
  return order === 'day-first' ? isCalendarDate(year, second, first) : isCalendarDate(year, first, second);
}

/**
 * The order a statement writes its year-last dates in: month first when more of them can only
 * be read that way (`12/31/2025`) than only day first (`31/12/2025`); otherwise day first.
 */
export function dateOrderOf(dates: Iterable<string>): DateOrder {
  let dayFirst = 0;
  let monthFirst = 0;
  for (const text of dates) {
    const yearLast = YEAR_LAST_DATE.exec(text.trim());
    if (!yearLast) continue;
    const [first, second] = [Number(yearLast[1]), Number(yearLast[2])];
    if (first > 12 && second <= 12) dayFirst += 1;
    else if (second > 12 && first <= 12) monthFirst += 1;
  }
  return monthFirst > dayFirst ? 'month-first' : 'day-first';
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * An amount in whole cents, or undefined when the text is not an amount. Accepts a leading
 * minus or accounting parentheses, a currency symbol before or after, up to two decimals after
 * `decimalMark`, and thousands grouped by the other mark, a space or an apostrophe
 * (`-1,234.56`; with a comma mark `-1.234,56` or `1 234,5 €`). Cents keep totals exact where
 * summing floats would drift.
 */
export function parseAmountCents(text: string, decimalMark: DecimalMark = '.'): number | undefined {
  let value = bareAmount(text);
  let negative = false;
  const accounting = /^\((.*)\)$/.exec(value);
  if (accounting?.[1] !== undefined) {
    negative = true;
    value = accounting[1].trim();
  }
  if (value.startsWith('+')) value = value.slice(1);
  else if (value.startsWith('-')) {
    negative = true;
    value = value.slice(1);
  }
  const match = AMOUNT[decimalMark].exec(value);
  if (!match?.[1]) return undefined;
  const whole = Number(match[1].replace(/\D/g, ''));
  const fraction = Number((match[3] ?? '').padEnd(2, '0'));
  const cents = whole * 100 + fraction;
  if (!Number.isSafeInteger(cents)) return undefined;
  return negative && cents !== 0 ? -cents : cents;
}

/**
 * The decimal mark a statement writes its amounts with: the one that more of its amounts can
 * only have been written with (`-3,50` only with a comma, `-3.50` only with a point). Amounts
 * either could mean (`12`, `1,234`) do not count; with no telling amount, `fallback`.
 */
export function decimalMarkOf(amounts: Iterable<string>, fallback: DecimalMark = '.'): DecimalMark {
  let points = 0;
  let commas = 0;
  for (const text of amounts) {
    const value = bareAmount(text).replace(/^\((.*)\)$/, '$1');
    if (ONLY_POINT.test(value)) points += 1;
    else if (ONLY_COMMA.test(value)) commas += 1;
  }
  if (points === commas) return fallback;
  return commas > points ? ',' : '.';
}

/** The amount without spaces around it or a currency symbol before or after its digits. */
function bareAmount(text: string): string {
  return text
    .trim()
    .replace(/^([-+]?)\s*[£$€]\s*/, '$1')
    .replace(/\s*[£$€]$/, '')
    .trim();
}

/** Cents as a number of currency units, e.g. `-1234` → `-12.34`. */
export function centsToAmount(cents: number): number {
  return cents / 100;
}
