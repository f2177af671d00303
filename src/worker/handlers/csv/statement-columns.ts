/** Columns a bank statement must have, matched case-insensitively after trimming. */
export const REQUIRED_COLUMNS = ['Date', 'Description', 'Amount'] as const;

/** Where the columns the categorizer reads are, by index into each row. */
export interface StatementColumns {
  readonly date: number;
  readonly description: number;
  /** The signed amount; -1 when the statement splits it into `debit` and `credit` columns. */
  readonly amount: number;
  /** Money out and money in, when the statement has those instead of one signed amount. */
  readonly split?: { readonly debit: number; readonly credit: number };
  /** Absent when the statement has no `Currency` column. */
  readonly currency?: number;
}

/**
 * Other names banks give the columns a statement is read by, in the order they are tried when
 * the column itself is absent (a Chase export has "Transaction Date" and "Post Date", no "Date").
 */
const OTHER_NAMES: Readonly<Record<string, readonly string[]>> = {
  date: ['Transaction Date', 'Posting Date', 'Post Date', 'Posted Date', 'Booking Date', 'Value Date'],
  description: ['Transaction Description', 'Details', 'Narrative', 'Payee', 'Memo', 'Name'],
  amount: ['Transaction Amount', 'Value'],
  currency: ['Currency Code', 'CCY'],
};

/**
 * The index of `name` in `header`, ignoring case and surrounding spaces; for Date,
 * Description, Amount and Currency, else of the first of their other names present; -1 when
 * absent.
 */
export function columnIndex(header: readonly string[], name: string): number {
  const cells = header.map((cell) => cell.trim().toLowerCase());
  const wanted = name.trim().toLowerCase();
  for (const candidate of [wanted, ...(OTHER_NAMES[wanted] ?? []).map((other) => other.toLowerCase())]) {
    const index = cells.indexOf(candidate);
    if (index >= 0) return index;
  }
  return -1;
}

/** Pairs of columns (money out, money in) banks write instead of one signed amount. */
const SPLIT_AMOUNTS: readonly (readonly [string, string])[] = [
  ['Debit', 'Credit'],
  ['Debit Amount', 'Credit Amount'],
  ['Paid out', 'Paid in'],
  ['Money out', 'Money in'],
  ['Withdrawals', 'Deposits'],
  ['Withdrawal', 'Deposit'],
];

/** The first pair of money-out and money-in columns `header` has, when it has no amount column. */
function splitAmount(header: readonly string[]): StatementColumns['split'] {
  if (columnIndex(header, 'Amount') >= 0) return undefined;
  for (const [out, into] of SPLIT_AMOUNTS) {
    const debit = columnIndex(header, out);
    const credit = columnIndex(header, into);
    if (debit >= 0 && credit >= 0) return { debit, credit };
  }
  return undefined;
}

/**
 * Locates the statement's columns. Throws an `Error` naming every missing required column,
 * so a wrong file is described in one message. Money out and money in columns (Debit and
 * Credit, Paid out and Paid in…) stand for a missing Amount.
 */
export function findColumns(header: readonly string[]): StatementColumns {
  const split = splitAmount(header);
  const missing = REQUIRED_COLUMNS.filter((name) => columnIndex(header, name) < 0 && !(name === 'Amount' && split));
  if (missing.length > 0) {
    const found =
      header.length > 0 && header.some((cell) => cell.trim() !== '')
        ? header.map((cell) => cell.trim()).join(', ')
        : 'nothing';
    throw new Error(
      `the CSV needs the columns ${REQUIRED_COLUMNS.join(', ')}; missing ${missing.join(', ')} (header has ${found.slice(0, 200)})`,
    );
  }
  const currency = columnIndex(header, 'Currency');
  return {
    date: columnIndex(header, 'Date'),
    description: columnIndex(header, 'Description'),
    amount: columnIndex(header, 'Amount'),
    ...(split ? { split } : {}),
    ...(currency >= 0 ? { currency } : {}),
  };
}
