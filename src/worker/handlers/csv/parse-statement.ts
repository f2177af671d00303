import Papa from 'papaparse';
import {
  dateOrderOf,
  decimalMarkOf,
  isStatementDate,
  parseAmountCents,
  type DateOrder,
  type DecimalMark,
} from './cell-values';
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
  /** The character between the file's fields (`,`, `;`, a tab…), found from the file. */
  readonly delimiter: string;
  /** How the file writes its amounts' decimals: `-1,234.56` or `-1.234,56`. */
  readonly decimalMark: DecimalMark;
  /** How the file writes dates that end with the year: `31/12/2025` or `12/31/2025`. */
  readonly dateOrder: DateOrder;
}

/**
 * A NUL character within this many characters of the start means the file is not text at all
 * (the same part is checked when the job is enqueued: for a file, the characters of its first
 * 64 KB, which the caller passes as `binaryProbeLength`); one further on only makes its row
 * unreadable.
 */
export const BINARY_PROBE_LENGTH = 64 * 1024;

/** A row as the CSV parser gave it, before its cells are read. */
interface RawRow {
  readonly line: number;
  readonly cells: readonly string[];
  readonly errors: readonly Papa.ParseError[];
  /** Where the row's text starts and ends in the file. */
  readonly start: number;
  readonly end: number;
  /** Set when only the row's first line was dropped, because a quote on it never closed there. */
  readonly strayQuote?: true;
}

/**
 * Parses a bank-statement CSV. Throws an `Error` when the file as a whole is unusable (empty,
 * not CSV, required columns missing, no data rows); a bad row only becomes an
 * `UnreadableRow` with its line number. The delimiter is found from the file, and the decimal
 * mark from its amounts (a file delimited by `;` is taken to write `1.234,56` unless its
 * amounts tell otherwise). Deterministic, so a resumed job sees the same rows.
 *
 * A quote opened on a line and not closed on it makes the parser read the lines after it as
 * part of one cell, to the next quote or the end of the file. Where that cell swallowed what
 * reads as rows of the statement, only the line with the stray quote is unreadable, and the
 * lines after it are read as rows: no row disappears without a word.
 */
export function parseStatement(text: string, binaryProbeLength = BINARY_PROBE_LENGTH): ParsedStatement {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (source.trim() === '') throw new Error('the file is empty');
  if (source.slice(0, binaryProbeLength).includes('\u0000')) throw new Error('the file is not a text CSV');

  const parsed = parseRows(source, 0, source.length, 1);
  const [headerRow, ...firstRows] = parsed.rows;
  if (!headerRow) throw new Error('the file is empty');
  const header = headerRow.cells.map((cell) => cell.trim());
  const columns = findColumns(header);
  const { delimiter } = parsed;
  const width = header.length;
  const rows = firstRows.flatMap((row) => withStrayQuotesSplit(source, row, width, columns.date, delimiter));

  if (rows.length === 0) throw new Error('the CSV has a header but no rows');
  const { amount, date } = columns;
  const amountColumns = columns.split ? [columns.split.debit, columns.split.credit] : [amount];
  const readable = rows.filter((row) => row.strayQuote === undefined);
  const decimalMark = decimalMarkOf(
    readable.flatMap((row) => amountColumns.map((column) => row.cells[column] ?? '')),
    delimiter === ';' ? ',' : '.',
  );
  const dateOrder = dateOrderOf(readable.map((row) => row.cells[date] ?? ''));
  const conventions = { decimalMark, dateOrder };
  const records = rows.map((row) => readRow(row, width, columns, conventions));
  return { header, columns, records, delimiter, decimalMark, dateOrder };
}

/**
 * The rows of `source` from `from` to `to`, where `from` starts line `firstLine`, with where
 * each starts and ends. Blank lines are skipped but counted.
 */
function parseRows(
  source: string,
  from: number,
  to: number,
  firstLine: number,
  delimiter?: string,
): { rows: RawRow[]; delimiter: string } {
  const text = source.slice(from, to);
  const rows: RawRow[] = [];
  let found = delimiter ?? ',';
  let cursor = 0;
  let line = firstLine;
  Papa.parse<string[]>(text, {
    skipEmptyLines: 'greedy',
    ...(delimiter !== undefined ? { delimiter } : {}),
    step(result) {
      // The row starts after any blank lines the parser skipped since the previous row.
      while (cursor < text.length && (text[cursor] === '\n' || text[cursor] === '\r')) {
        if (text[cursor] === '\n') line += 1;
        cursor += 1;
      }
      const start = cursor;
      const rowLine = line;
      const end = Math.min(result.meta.cursor, text.length);
      for (let i = cursor; i < end; i++) if (text[i] === '\n') line += 1;
      cursor = end;
      if (rows.length === 0) found = result.meta.delimiter;
      rows.push({ line: rowLine, cells: result.data, errors: result.errors, start: from + start, end: from + end });
    },
  });
  return { rows, delimiter: found };
}

/**
 * `row`, or, when it spans lines because a quote on its first line was not closed there and
 * the lines it swallowed hold rows of the statement (or it cannot be read at all), its first
 * line as unreadable followed by the rows of the lines after it, split the same way.
 */
function withStrayQuotesSplit(
  source: string,
  row: RawRow,
  width: number,
  dateColumn: number,
  delimiter: string,
): RawRow[] {
  const firstLineEnd = source.indexOf('\n', row.start);
  const rest = firstLineEnd + 1;
  // A row that ends on its first line (its newline included) spans nothing.
  if (firstLineEnd === -1 || rest >= row.end || source.slice(rest, row.end).trim() === '') return [row];
  const inner = parseRows(source, rest, row.end, row.line + 1, delimiter).rows;
  const broken = row.errors.length > 0 || row.cells.length !== width;
  const swallowed = inner.some(
    (candidate) => candidate.cells.length === width && isAnyStatementDate(candidate.cells[dateColumn] ?? ''),
  );
  if (!broken && !swallowed) return [row];
  const dropped: RawRow = { ...row, cells: [], errors: [], end: rest, strayQuote: true };
  return [
    dropped,
    ...inner.flatMap((candidate) => withStrayQuotesSplit(source, candidate, width, dateColumn, delimiter)),
  ];
}

function isAnyStatementDate(text: string): boolean {
  return isStatementDate(text, 'day-first') || isStatementDate(text, 'month-first');
}

const STRAY_QUOTE = 'a quote (") opened on this line is not closed on it, so the line cannot be read';

/** A parser error in words a person who made the file can act on. */
function reasonOf(error: Papa.ParseError): string {
  if (error.code === 'MissingQuotes') return STRAY_QUOTE;
  if (error.code === 'InvalidQuotes') return 'a quoted field has text after its closing quote';
  return error.message;
}

/** An amount as each decimal mark writes it, and a date in each order, for messages. */
const AMOUNT_EXAMPLE: Record<DecimalMark, string> = { '.': '-1,234.56', ',': '-1.234,56' };
const DATE_EXAMPLE: Record<DateOrder, string> = { 'day-first': '31/12/2025', 'month-first': '12/31/2025' };

function readRow(
  { line, cells, errors, strayQuote }: RawRow,
  width: number,
  columns: StatementColumns,
  { decimalMark, dateOrder }: { readonly decimalMark: DecimalMark; readonly dateOrder: DateOrder },
): StatementRecord {
  if (strayQuote) return { ok: false, line, reason: STRAY_QUOTE };
  if (cells.some((cell) => cell.includes('\u0000')))
    return { ok: false, line, reason: 'the line holds a NUL character, which text does not' };
  const parseError = errors[0];
  if (parseError) return { ok: false, line, reason: reasonOf(parseError) };
  if (cells.length !== width) return { ok: false, line, reason: `expected ${width} fields, found ${cells.length}` };
  const date = cells[columns.date] ?? '';
  if (!isStatementDate(date, dateOrder)) {
    const shown = `"${date.slice(0, 40)}"`;
    const otherOrder = dateOrder === 'day-first' ? 'month-first' : 'day-first';
    const reason = isStatementDate(date, otherOrder)
      ? `${shown} is not a date in this file, which writes dates like ${DATE_EXAMPLE[dateOrder]}`
      : `${shown} is not a date`;
    return { ok: false, line, reason };
  }
  const amount = columns.split
    ? splitAmountCents(cells, columns.split, decimalMark)
    : signedAmountCents(cells[columns.amount] ?? '', decimalMark);
  if (!amount.ok) return { ok: false, line, reason: amount.reason };
  const amountCents = amount.cents;
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

type AmountReading = { readonly ok: true; readonly cents: number } | { readonly ok: false; readonly reason: string };

function signedAmountCents(text: string, decimalMark: DecimalMark): AmountReading {
  const cents = parseAmountCents(text, decimalMark);
  if (cents !== undefined) return { ok: true, cents };
  const shown = `"${text.slice(0, 40)}"`;
  // An amount of the other convention, amid amounts of this one: say which the file uses.
  const otherMark = decimalMark === '.' ? ',' : '.';
  const reason =
    parseAmountCents(text, otherMark) === undefined
      ? `${shown} is not an amount`
      : `${shown} is not an amount in this file, which writes amounts like ${AMOUNT_EXAMPLE[decimalMark]}`;
  return { ok: false, reason };
}

/**
 * The amount of a row that has money out and money in columns: in minus out, whichever sign
 * the bank wrote them with. An empty cell counts as nothing; both empty is no amount.
 */
function splitAmountCents(
  cells: readonly string[],
  { debit, credit }: { readonly debit: number; readonly credit: number },
  decimalMark: DecimalMark,
): AmountReading {
  const out = (cells[debit] ?? '').trim();
  const into = (cells[credit] ?? '').trim();
  if (out === '' && into === '') return { ok: false, reason: 'neither money out nor money in is given' };
  let cents = 0;
  for (const [text, sign] of [
    [out, -1],
    [into, 1],
  ] as const) {
    if (text === '') continue;
    const reading = signedAmountCents(text, decimalMark);
    if (!reading.ok) return reading;
    cents += sign * Math.abs(reading.cents);
  }
  return { ok: true, cents };
}
