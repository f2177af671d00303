const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_FIRST_DATE = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/;
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

/**
 * True for a real calendar date written `YYYY-MM-DD` or day first (`DD/MM/YYYY`,
 * `DD.MM.YYYY`), the forms bank exports use.
 */
export function isStatementDate(text: string): boolean {
  const value = text.trim();
  const iso = ISO_DATE.exec(value);
  if (iso) return isCalendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dayFirst = DAY_FIRST_DATE.exec(value);
  if (dayFirst) return isCalendarDate(Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1]));
  return false;
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
