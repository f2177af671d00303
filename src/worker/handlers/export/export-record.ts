import type { JobRecord } from '../../../shared';
import { toExportValue } from './export-value';

/** Longest payload string kept in an export; statements and other big inputs are cut. */
const MAX_PAYLOAD_STRING = 10_000;

/** A job as it appears in an export: plain JSON, times as ISO strings, secrets removed. */
export interface ExportedJob {
  readonly id: string;
  readonly type: string;
  readonly label: string;
  readonly status: string;
  readonly priority: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly progress: number;
  readonly step: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly updatedAt: string;
  readonly parentId: string | null;
  /** The ids of the jobs it waits for, or waited for, in order; empty for none. */
  readonly dependsOn: readonly string[];
  readonly result: unknown;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly payload?: unknown;
}

/** Columns of the CSV export, in order. */
export const EXPORT_COLUMNS = [
  'id',
  'type',
  'label',
  'status',
  'priority',
  'attempts',
  'maxAttempts',
  'progress',
  'step',
  'createdAt',
  'startedAt',
  'completedAt',
  'updatedAt',
  'parentId',
  'dependsOn',
  'errorCode',
  'errorMessage',
  'result',
] as const;

const iso = (time: number | undefined): string | null => (time === undefined ? null : new Date(time).toISOString());

/**
 * The exported form of a job. Fields are picked one by one, so runtime bookkeeping (lease,
 * checkpoint, index keys) never leaks; payloads only on request, since they may be large.
 */
export function toExportedJob(job: JobRecord, includePayload: boolean): ExportedJob {
  return {
    id: job.id,
    type: job.type,
    label: job.label,
    status: job.status,
    priority: job.priority,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    progress: job.progress,
    step: job.step ?? null,
    createdAt: iso(job.createdAt) as string,
    startedAt: iso(job.startedAt),
    completedAt: iso(job.completedAt),
    updatedAt: iso(job.updatedAt) as string,
    parentId: job.parentId ?? null,
    dependsOn: [...(job.dependsOn ?? [])],
    result: toExportValue(job.result) ?? null,
    error: job.error ? { code: job.error.code, message: job.error.message } : null,
    ...(includePayload ? { payload: toExportValue(job.payload, { maxStringLength: MAX_PAYLOAD_STRING }) ?? null } : {}),
  };
}
