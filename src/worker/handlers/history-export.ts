import { JOB_STATUSES, type JobStatus } from '../../shared';
import { defineJobType, type JobContext } from '../define-job-type';
import { exportWriter, EXPORT_FORMATS, type ExportFormat } from './export/export-format';
import { toExportedJob } from './export/export-record';
import { readJobsFromContext, type JobCursor, type ReadJobsSource } from './export/read-jobs';

export type { JobCursor, ReadJobs, ReadJobsPage, ReadJobsQuery, ReadJobsSource } from './export/read-jobs';
export type { ExportFormat } from './export/export-format';

/** What a `history_export` job is given. */
export interface HistoryExportPayload {
  readonly format: ExportFormat;
  /** Only jobs in this status. */
  readonly status?: JobStatus;
  /** Only jobs of this type. */
  readonly type?: string;
  /** Also export each job's payload (long strings cut). @default false */
  readonly includePayloads?: boolean;
}

/** `job.result` of a completed export. */
export interface HistoryExportResult {
  readonly format: ExportFormat;
  readonly fileName: string;
  readonly fileId: string;
  readonly jobs: number;
  readonly bytes: number;
}

/** Jobs read and written per chunk. */
export const EXPORT_PAGE_SIZE = 500;

const numbers = new Intl.NumberFormat('en-US');

function parseHistoryExportPayload(value: unknown): HistoryExportPayload {
  if (typeof value !== 'object' || value === null) throw new Error('the payload must be an object');
  const { format, status, type, includePayloads } = value as Record<string, unknown>;
  if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new Error(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
  }
  if (status !== undefined && (typeof status !== 'string' || !(JOB_STATUSES as readonly string[]).includes(status))) {
    throw new Error(`status must be one of ${JOB_STATUSES.join(', ')}`);
  }
  if (type !== undefined && (typeof type !== 'string' || type.trim() === '' || type.length > 100))
    throw new Error('type must be a job type name');
  if (includePayloads !== undefined && typeof includePayloads !== 'boolean')
    throw new Error('includePayloads must be true or false');
  return {
    format: format as ExportFormat,
    ...(status !== undefined ? { status: status as JobStatus } : {}),
    ...(type !== undefined ? { type: type } : {}),
    ...(includePayloads !== undefined ? { includePayloads } : {}),
  };
}

/**
 * The `history_export` job type, reading the history through `source`. It reads and writes
 * `EXPORT_PAGE_SIZE` jobs at a time, each chunk becoming a Blob part, so a hundred thousand
 * jobs never sit in memory as one string; the file is attached as `job-history.<format>`.
 * The export job itself is left out. An interrupted export starts again from the first page:
 * it only reads, so running it again changes nothing.
 */
export function createHistoryExport(source: ReadJobsSource) {
  return defineJobType<HistoryExportPayload, HistoryExportResult>({
    type: 'history_export',
    label: 'Export job history',
    priority: 'low',
    retry: { maxAttempts: 3 },
    concurrency: 1,
    expectedMs: 5_000,
    parse: parseHistoryExportPayload,
    labelFor: (payload) =>
      `Export ${payload.status ? `${payload.status} ` : ''}${payload.type ? `${payload.type} ` : ''}jobs as ${payload.format.toUpperCase()}`,
    run: (payload, ctx) => runExport(payload, ctx, source),
  });
}

async function runExport(
  payload: HistoryExportPayload,
  ctx: JobContext,
  source: ReadJobsSource,
): Promise<HistoryExportResult> {
  const readJobs = source(ctx);
  const includePayloads = payload.includePayloads ?? false;
  const writer = exportWriter(payload.format, includePayloads);
  const filter = {
    ...(payload.status !== undefined ? { status: payload.status } : {}),
    ...(payload.type !== undefined ? { type: payload.type } : {}),
  };
  const parts: Blob[] = [new Blob([writer.start(filter)])];
  let after: JobCursor | undefined;
  let total: number | undefined;
  let count = 0;

  for (;;) {
    if (ctx.signal.aborted) throw ctx.signal.reason as Error;
    const page = await readJobs({ ...filter, limit: EXPORT_PAGE_SIZE, ...(after ? { after } : {}) });
    total ??= page.total;
    const last = page.jobs[page.jobs.length - 1];
    const jobs = page.jobs.filter((job) => job.id !== ctx.jobId).map((job) => toExportedJob(job, includePayloads));
    if (jobs.length > 0) parts.push(new Blob([writer.chunk(jobs, count === 0)]));
    count += jobs.length;
    if (total !== undefined && total > 0) {
      ctx.progress(Math.min(0.98, count / total), `Exported ${numbers.format(count)} of ${numbers.format(total)} jobs`);
    }
    if (!last || page.jobs.length < EXPORT_PAGE_SIZE) break;
    after = { createdAt: last.createdAt, id: last.id };
  }

  parts.push(new Blob([writer.end(count)]));
  const fileName = `job-history.${writer.extension}`;
  const file = new Blob(parts, { type: writer.mimeType });
  ctx.progress(0.99, `Writing ${fileName}`);
  const fileId = await ctx.files.put(fileName, file, writer.mimeType);
  return { format: payload.format, fileName, fileId, jobs: count, bytes: file.size };
}

/** The history export of the Console, reading the history through its handler context. */
export const historyExport = createHistoryExport(readJobsFromContext);
