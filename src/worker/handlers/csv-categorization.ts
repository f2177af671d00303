import { PermanentJobError } from '../../shared';
import { defineJobType, type JobContext } from '../define-job-type';
import { abortableSleep } from './abortable-sleep';
import { categorizeBatch, outputHeader, type BatchOutput } from './csv/categorize-batch';
import { addTallies, EMPTY_TALLY, type Tally, type UnreadableLine } from './csv/category-totals';
import { centsToAmount } from './csv/cell-values';
import { CSV_HEAD_BYTES, parseCsvCategorizationPayload, type CsvCategorizationPayload } from './csv/payload';
import { decodeStatementBytes } from './csv/decode-text';
import { parseStatement, type ParsedStatement } from './csv/parse-statement';
import { formatRowRange } from './csv/row-range';
import { compileRules } from './csv/rules';

export type { CsvCategorizationPayload } from './csv/payload';
export type { CategoryRule } from './csv/rules';

/** Rows categorized per batch: one journaled step and one checkpoint each. */
export const CSV_BATCH_SIZE = 100;
/** Name of the attached result. */
export const CATEGORIZED_FILE_NAME = 'categorized.csv';

/** Where a categorization stands: the next batch to run and the counts of the batches before it. */
export interface CsvCategorizationState extends Tally {
  readonly nextBatch: number;
}

/** Totals of one category (in one currency) in the result. */
export interface CategorySummary {
  readonly category: string;
  readonly currency?: string;
  readonly count: number;
  /** Sum of the amounts, in currency units (exact to the cent). */
  readonly total: number;
}

/** `job.result` of a completed categorization. */
export interface CsvCategorizationResult {
  readonly fileName: string;
  /** Data rows in the file, readable or not. */
  readonly rows: number;
  readonly categorized: number;
  readonly categories: readonly CategorySummary[];
  readonly unreadableCount: number;
  /** The first unreadable rows with their line numbers; `unreadableCount` counts them all. */
  readonly unreadable: readonly UnreadableLine[];
  /** Id of the attached `categorized.csv`. */
  readonly fileId: string;
}

type Context = JobContext<CsvCategorizationState>;

/**
 * Categorizes the rows of a bank statement by the payload's rules, in batches of
 * `CSV_BATCH_SIZE`. Each batch is a journaled step followed by a checkpoint, so a pause, a
 * retry or a crash resumes after the last finished batch: a batch whose step finished is
 * never run again, even when the crash came before its checkpoint. The categorized CSV is put
 * together from the journaled batches at the end and attached as `categorized.csv`.
 */
export const csvCategorization = defineJobType<
  CsvCategorizationPayload,
  CsvCategorizationResult,
  CsvCategorizationState
>({
  type: 'csv_categorization',
  label: 'Categorize CSV',
  priority: 'normal',
  retry: { maxAttempts: 3 },
  concurrency: 1,
  expectedMs: 15_000,
  parse: parseCsvCategorizationPayload,
  labelFor: (payload) => `Categorize ${payload.fileName}`,
  async run(payload, ctx) {
    const { statement, bom } = await readStatement(payload);
    const rules = compileOrRefuse(payload, statement);
    const total = statement.records.length;
    const batches = Math.ceil(total / CSV_BATCH_SIZE);

    const lastRow = (index: number) => Math.min(total, (index + 1) * CSV_BATCH_SIZE);
    const runBatch = (index: number): Promise<BatchOutput> =>
      ctx.step(formatRowRange(index * CSV_BATCH_SIZE + 1, lastRow(index), total), () => {
        const records = statement.records.slice(index * CSV_BATCH_SIZE, (index + 1) * CSV_BATCH_SIZE);
        return categorizeBatch(records, rules, payload.defaultCategory, statement.delimiter);
      });

    let state: CsvCategorizationState = ctx.state ?? { ...EMPTY_TALLY, nextBatch: 0 };
    if (state.nextBatch > 0) {
      await ctx.log(
        `Resuming at ${formatRowRange(state.nextBatch * CSV_BATCH_SIZE + 1, lastRow(state.nextBatch), total)}`,
      );
    }
    for (let index = state.nextBatch; index < batches; index++) {
      throwIfAborted(ctx);
      const output = await runBatch(index);
      state = { ...addTallies(state, output), nextBatch: index + 1 };
      await ctx.checkpoint(state);
      ctx.progress((0.98 * lastRow(index)) / total, formatRowRange(index * CSV_BATCH_SIZE + 1, lastRow(index), total));
      if (payload.batchDelayMs && index + 1 < batches) await abortableSleep(payload.batchDelayMs, ctx.signal);
    }

    throwIfAborted(ctx);
    ctx.progress(0.99, `Writing ${CATEGORIZED_FILE_NAME}`);
    const fileId = await ctx.files.put(
      CATEGORIZED_FILE_NAME,
      await assemble(statement, bom, batches, runBatch),
      'text/csv',
    );
    return summarize(payload, statement, state, fileId);
  },
});

/** The statement parsed, and whether its output should begin with a byte order mark. */
interface ReadStatement {
  readonly statement: ParsedStatement;
  readonly bom: boolean;
}

async function readStatement(payload: CsvCategorizationPayload): Promise<ReadStatement> {
  // A file that came with a BOM, or in an encoding other than UTF-8, is written back as UTF-8
  // with a BOM, so that the spreadsheet programs that wrote it read it back as UTF-8.
  let decoded: { readonly text: string; readonly encoding: string; readonly bom: boolean };
  let probe: number | undefined;
  if (typeof payload.csv === 'string') {
    decoded = { text: payload.csv, encoding: 'utf-8', bom: false };
  } else {
    const bytes = new Uint8Array(await payload.csv.arrayBuffer());
    decoded = decodeStatementBytes(bytes);
    // The characters of the first 64 KB: the part the enqueue checked for binary content.
    if (bytes.length > CSV_HEAD_BYTES)
      probe = decodeStatementBytes(bytes.subarray(0, CSV_HEAD_BYTES), true).text.length;
  }
  try {
    return { statement: parseStatement(decoded.text, probe), bom: decoded.bom || decoded.encoding !== 'utf-8' };
  } catch (error) {
    throw new PermanentJobError(
      `${payload.fileName} cannot be categorized: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function compileOrRefuse(payload: CsvCategorizationPayload, statement: ParsedStatement) {
  try {
    return compileRules(payload.rules, statement.header);
  } catch (error) {
    throw new PermanentJobError(
      `${payload.fileName} cannot be categorized: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * The output CSV from the journaled batches, one Blob part per batch, so no single string
 * holds the whole file. The steps are finished, so this reads them and runs nothing again.
 */
async function assemble(
  statement: ParsedStatement,
  bom: boolean,
  batches: number,
  runBatch: (index: number) => Promise<BatchOutput>,
): Promise<Blob> {
  const header = outputHeader(statement.header, statement.delimiter);
  const parts: Blob[] = [new Blob([bom ? `\uFEFF${header}` : header])];
  for (let index = 0; index < batches; index++) {
    const { csv } = await runBatch(index);
    if (csv !== '') parts.push(new Blob([csv]));
  }
  return new Blob(parts, { type: 'text/csv' });
}

function summarize(
  payload: CsvCategorizationPayload,
  statement: ParsedStatement,
  tally: Tally,
  fileId: string,
): CsvCategorizationResult {
  const order = new Map<string, number>();
  for (const name of [...payload.rules.map((rule) => rule.category), payload.defaultCategory]) {
    if (!order.has(name)) order.set(name, order.size);
  }
  const categories = [...tally.categories]
    .sort((a, b) => (order.get(a.category) ?? 0) - (order.get(b.category) ?? 0) || a.currency.localeCompare(b.currency))
    .map(({ category, currency, count, totalCents }) => ({
      category,
      ...(currency !== '' ? { currency } : {}),
      count,
      total: centsToAmount(totalCents),
    }));
  return {
    fileName: payload.fileName,
    rows: statement.records.length,
    categorized: categories.reduce((sum, entry) => sum + entry.count, 0),
    categories,
    unreadableCount: tally.unreadableCount,
    unreadable: tally.unreadable,
    fileId,
  };
}

function throwIfAborted(ctx: Context): void {
  if (ctx.signal.aborted) throw ctx.signal.reason as Error;
}
