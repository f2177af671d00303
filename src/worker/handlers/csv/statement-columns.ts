/** Columns a bank statement must have, matched case-insensitively after trimming. */
export const REQUIRED_COLUMNS = ['Date', 'Description', 'Amount'] as const;

/** Where the columns the categorizer reads are, by index into each row. */
export interface StatementColumns {
  readonly date: number;
  readonly description: number;
  readonly amount: number;
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

/**
 * Locates the statement's columns. Throws an `Error` naming every missing required column,
 * so a wrong file is described in one message.
 */
export function findColumns(header: readonly string[]): StatementColumns {
  const missing = REQUIRED_COLUMNS.filter((name) => columnIndex(header, name) < 0);
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
    ...(currency >= 0 ? { currency } : {}),
  };
}
