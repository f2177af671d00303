import Papa from 'papaparse';
import { isStatementDate, parseAmountCents } from './cell-values';
import { findColumns, type StatementColumns } from './statement-columns';

/** A data row that was read: its cells and amount. */
export interface StatementRow {
  readonly ok: true;
  /** 1-based line of the file where the row starts. */
  readonly line: number;
  readonly cells: readonly string[];
  readonly amountCents: number;
  readonly currency: string;
}

/** A data row that could not be read, and why. */
export interface UnreadableRow {
  readonly ok: false;
  readonly line: number;
  readonly reason: string;
}

export type StatementRecord = StatementRow | UnreadableRow;

/** A statement split into its header and one record per data row, in file order. */
export interface ParsedStatement {
  readonly header: readonly string[];
  readonly columns: StatementColumns;
  readonly records: readonly StatementRecord[];
}

/**
 * Parses a bank-statement CSV. Throws an `Error` when the file as a whole is unusable (empty,
 * not CSV, required columns missing, no data rows); a bad row only becomes an
 * `UnreadableRow` with its line number. Deterministic, so a resumed job sees the same rows.
 */
export function parseStatement(text: string): ParsedStatement {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (source.trim() === '') throw new Error('the file is empty');
  if (source.includes('\u0000')) throw new Error('the file is not a text CSV');

  let header: string[] | undefined;
  let columns: StatementColumns | undefined;
  const records: StatementRecord[] = [];
  let cursor = 0;
  let line = 1;

  Papa.parse<string[]>(source, {
    skipEmptyLines: 'greedy',
    step(result) {
      // The row starts after any blank lines the parser skipped since the previous row.
      while (cursor < source.length && (source[cursor] === '\n' || source[cursor] === '\r')) {
        if (source[cursor] === '\n') line += 1;
        cursor += 1;
      }
      const rowLine = line;
      const end = Math.min(result.meta.cursor, source.length);
      for (let i = cursor; i < end; i++) if (source[i] === '\n') line += 1;
      cursor = end;

      const cells = result.data;
      if (!header) {
        header = cells.map((cell) => cell.trim());
        columns = findColumns(header);
        return;
      }
      records.push(readRow(cells, rowLine, header.length, columns as StatementColumns, result.errors));
    },
  });

  if (!header || !columns) throw new Error('the file is empty');
  if (records.length === 0) throw new Error('the CSV has a header but no rows');
  return { header, columns, records };
}

function readRow(
  cells: readonly string[],
  line: number,
  width: number,
  columns: StatementColumns,
  errors: readonly Papa.ParseError[],
): StatementRecord {
  const parseError = errors[0];
  if (parseError) return { ok: false, line, reason: parseError.message };
  if (cells.length !== width) return { ok: false, line, reason: `expected ${width} fields, found ${cells.length}` };
  const date = cells[columns.date] ?? '';
  if (!isStatementDate(date)) return { ok: false, line, reason: `"${date.slice(0, 40)}" is not a date` };
  const amount = cells[columns.amount] ?? '';
  const amountCents = parseAmountCents(amount);
  if (amountCents === undefined) return { ok: false, line, reason: `"${amount.slice(0, 40)}" is not an amount` };
  const currency = columns.currency === undefined ? '' : (cells[columns.currency] ?? '').trim().toUpperCase();
  return { ok: true, line, cells, amountCents, currency };
}

/**
 * Reads only the header of a CSV's first bytes, to refuse a wrong file before any job is
 * stored. `complete` says whether `head` is the whole file (then a header alone is refused).
 */
export function inspectStatementHead(head: string, complete: boolean): readonly string[] {
  const source = head.startsWith('\uFEFF') ? head.slice(1) : head;
  if (source.trim() === '') throw new Error('the file is empty');
  if (source.includes('\u0000')) throw new Error('the file is not a text CSV');
  const preview = Papa.parse<string[]>(source, { preview: 2, skipEmptyLines: 'greedy' });
  const header = (preview.data[0] ?? []).map((cell) => cell.trim());
  findColumns(header);
  if (complete && preview.data.length < 2) throw new Error('the CSV has a header but no rows');
  return header;
}
