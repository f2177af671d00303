import Papa from 'papaparse';
import {
  addTallies,
  EMPTY_TALLY,
  MAX_LISTED_UNREADABLE,
  type CategoryTotal,
  type Tally,
  type UnreadableLine,
} from './category-totals';
import { spreadsheetSafe } from './csv-cell';
import type { StatementRecord } from './parse-statement';
import { categorize, type CompiledRule } from './rules';

/** What one batch produces: its rows of the output CSV and its counts. Plain data, so it can be journaled. */
export interface BatchOutput extends Tally {
  /** The batch's categorized rows as CSV lines (no header), each ending with CRLF. */
  readonly csv: string;
}

/**
 * Categorizes a slice of records. Pure: the same records and rules give the same output, so a
 * batch that is run again after a crash writes the same rows. The rows are written with the
 * statement's own `delimiter`, so the output opens as the statement did.
 */
export function categorizeBatch(
  records: readonly StatementRecord[],
  rules: readonly CompiledRule[],
  fallback: string,
  delimiter = ',',
): BatchOutput {
  const rows: string[][] = [];
  const totals = new Map<string, CategoryTotal>();
  const unreadable: UnreadableLine[] = [];
  let unreadableCount = 0;
  for (const record of records) {
    if (!record.ok) {
      unreadableCount += 1;
      if (unreadable.length < MAX_LISTED_UNREADABLE) unreadable.push({ line: record.line, reason: record.reason });
      continue;
    }
    const category = categorize(record.cells, rules, fallback);
    rows.push([...record.cells, category].map(spreadsheetSafe));
    const key = `${category}\u0000${record.currency}`;
    const known = totals.get(key) ?? { category, currency: record.currency, count: 0, totalCents: 0 };
    totals.set(key, { ...known, count: known.count + 1, totalCents: known.totalCents + record.amountCents });
  }
  const tally = addTallies(EMPTY_TALLY, { categories: [...totals.values()], unreadableCount, unreadable });
  return { ...tally, csv: rows.length === 0 ? '' : csvLines(rows, delimiter) };
}

/** The header line of the output CSV: the statement's columns and `Category`. */
export function outputHeader(header: readonly string[], delimiter = ','): string {
  return csvLines([[...header, 'Category'].map(spreadsheetSafe)], delimiter);
}

function csvLines(rows: readonly (readonly string[])[], delimiter: string): string {
  return `${Papa.unparse(rows as string[][], { header: false, newline: '\r\n', delimiter })}\r\n`;
}
