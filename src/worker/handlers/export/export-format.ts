import Papa from 'papaparse';
import { spreadsheetSafe } from '../csv/csv-cell';
import { EXPORT_COLUMNS, type ExportedJob } from './export-record';

/** Formats an export can be written in. */
export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How to write an export a chunk at a time: `start`, then `chunk` per page, then `end`. */
export interface ExportWriter {
  readonly mimeType: string;
  readonly extension: string;
  start(filter: Readonly<Record<string, unknown>>): string;
  /** `first` is true for the first page that has jobs. */
  chunk(jobs: readonly ExportedJob[], first: boolean): string;
  end(count: number): string;
}

const json: ExportWriter = {
  mimeType: 'application/json',
  extension: 'json',
  start: (filter) => `{"format":"errand-job-history","version":1,"filter":${JSON.stringify(filter)},"jobs":[`,
  chunk: (jobs, first) => (first ? '\n' : ',\n') + jobs.map((job) => JSON.stringify(job)).join(',\n'),
  end: (count) => `\n],"count":${count}}\n`,
};

const csv = (includePayloads: boolean): ExportWriter => ({
  mimeType: 'text/csv',
  extension: 'csv',
  // A byte order mark first, so that spreadsheet programs read the file as UTF-8.
  start: () => `\uFEFF${csvLines([[...EXPORT_COLUMNS, ...(includePayloads ? ['payload'] : [])]])}`,
  chunk: (jobs) => csvLines(jobs.map(csvRow)),
  end: () => '',
});

/** The writer of a format; the CSV has a `payload` column when payloads are included. */
export function exportWriter(format: ExportFormat, includePayloads: boolean): ExportWriter {
  return format === 'json' ? json : csv(includePayloads);
}

function csvRow(job: ExportedJob): string[] {
  const cells: (string | number | null)[] = [
    job.id,
    job.type,
    job.label,
    job.status,
    job.priority,
    job.attempts,
    job.maxAttempts,
    job.progress,
    job.step,
    job.createdAt,
    job.startedAt,
    job.completedAt,
    job.updatedAt,
    job.parentId,
    // Ids hold no space: one cell lists them all, space-separated.
    job.dependsOn.join(' '),
    job.error?.code ?? null,
    job.error?.message ?? null,
    job.result === null ? null : JSON.stringify(job.result),
    ...('payload' in job ? [JSON.stringify(job.payload)] : []),
  ];
  return cells.map((cell) => spreadsheetSafe(cell === null ? '' : String(cell)));
}

function csvLines(rows: readonly (readonly string[])[]): string {
  return rows.length === 0 ? '' : `${Papa.unparse(rows as string[][], { header: false, newline: '\r\n' })}\r\n`;
}
