const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_FIRST_DATE = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/;
const AMOUNT = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

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
 * minus or accounting parentheses, thousands commas, a currency symbol and up to two decimals.
 * Cents keep totals exact where summing floats would drift.
 */
export function parseAmountCents(text: string): number | undefined {
  let value = text
    .trim()
    .replace(/^[£$€]/, '')
    .replace(/^(-)\s*[£$€]/, '$1')
    .trim();
  let negative = false;
  const accounting = /^\((.*)\)$/.exec(value);
  if (accounting?.[1] !== undefined) {
    negative = true;
    value = accounting[1].trim();
  }
  if (value.startsWith('+')) value = value.slice(1);
  const match = AMOUNT.exec(value);
  if (!match?.[2]) return undefined;
  const whole = Number(match[2].replaceAll(',', ''));
  const fraction = Number((match[3] ?? '').padEnd(2, '0'));
  const cents = whole * 100 + fraction;
  if (!Number.isSafeInteger(cents)) return undefined;
  return (negative || match[1] === '-') && cents !== 0 ? -cents : cents;
}

/** Cents as a number of currency units, e.g. `-1234` → `-12.34`. */
export function centsToAmount(cents: number): number {
  return cents / 100;
}
