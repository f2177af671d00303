import { decodeStatementBytes } from './decode-text';
import { inspectStatementHead } from './parse-statement';
import { checkRules, MAX_CATEGORY_LENGTH, missingRuleFields, type CategoryRule } from './rules';

/** What a `csv_categorization` job is given. */
export interface CsvCategorizationPayload {
  /** Shown in the label and used to name the result. */
  readonly fileName: string;
  /** The statement: its text, or a Blob/File (stored by reference, not copied into the record). */
  readonly csv: string | Blob;
  readonly rules: readonly CategoryRule[];
  /** Category of rows no rule matches. */
  readonly defaultCategory: string;
  /** Pause after each batch, so a person can watch and pause a short file. @default 0 */
  readonly batchDelayMs?: number;
}

/** Largest statement accepted, in bytes. */
export const MAX_CSV_BYTES = 50 * 1024 * 1024;
/** Longest pacing pause between batches. */
export const MAX_BATCH_DELAY_MS = 10_000;
/** Bytes read at enqueue to check a Blob's header. */
export const CSV_HEAD_BYTES = 64 * 1024;

/** The synchronous Blob reader dedicated workers have; absent on the main thread and in Node. */
type SyncReader = new () => { readAsArrayBuffer(blob: Blob): ArrayBuffer };

/**
 * Validates a payload at enqueue, so a wrong file or rule is refused before anything is
 * stored. Text is checked down to its header; a Blob is checked the same way where it can be
 * read synchronously (in the worker), otherwise when the job runs.
 */
export function parseCsvCategorizationPayload(value: unknown): CsvCategorizationPayload {
  if (typeof value !== 'object' || value === null) throw new Error('the payload must be an object');
  const payload = value as Record<string, unknown>;
  const { csv, defaultCategory, batchDelayMs } = payload;
  const rules = checkRules(payload['rules']);

  if (typeof defaultCategory !== 'string' || defaultCategory.trim() === '')
    throw new Error('defaultCategory must be a category name');
  if (defaultCategory.trim().length > MAX_CATEGORY_LENGTH)
    throw new Error(`defaultCategory is longer than ${MAX_CATEGORY_LENGTH} characters`);
  if (
    batchDelayMs !== undefined &&
    (typeof batchDelayMs !== 'number' ||
      !Number.isFinite(batchDelayMs) ||
      batchDelayMs < 0 ||
      batchDelayMs > MAX_BATCH_DELAY_MS)
  ) {
    throw new Error(`batchDelayMs must be a number of milliseconds from 0 to ${MAX_BATCH_DELAY_MS}`);
  }

  let header: readonly string[] | undefined;
  if (typeof csv === 'string') {
    if (csv.length > MAX_CSV_BYTES) throw new Error('the CSV is larger than 50 MB');
    header = inspectStatementHead(csv.slice(0, CSV_HEAD_BYTES), csv.length <= CSV_HEAD_BYTES);
  } else if (csv instanceof Blob) {
    if (csv.size === 0) throw new Error('the file is empty');
    if (csv.size > MAX_CSV_BYTES) throw new Error('the CSV is larger than 50 MB');
    const Reader = (globalThis as { FileReaderSync?: SyncReader }).FileReaderSync;
    if (Reader) {
      const complete = csv.size <= CSV_HEAD_BYTES;
      const head = new Uint8Array(new Reader().readAsArrayBuffer(csv.slice(0, CSV_HEAD_BYTES)));
      header = inspectStatementHead(decodeStatementBytes(head, !complete).text, complete);
    }
  } else {
    throw new Error('csv must be the text of the file or a Blob');
  }
  if (header) {
    const missing = missingRuleFields(rules, header);
    if (missing.length > 0) throw new Error(`rules read columns the CSV does not have: ${missing.join(', ')}`);
  }

  return {
    fileName: fileNameOf(payload['fileName'], csv),
    csv,
    rules,
    defaultCategory: defaultCategory.trim(),
    ...(batchDelayMs !== undefined ? { batchDelayMs } : {}),
  };
}

function fileNameOf(given: unknown, csv: string | Blob): string {
  if (given !== undefined && typeof given !== 'string') throw new Error('fileName must be a string');
  const fromFile = typeof File === 'function' && csv instanceof File ? csv.name : undefined;
  const name = (given ?? fromFile ?? '').trim() || 'statement.csv';
  return name.length > 120 ? `${name.slice(0, 119)}…` : name;
}
