import { Dexie, type EntityTable, type DexieOptions } from 'dexie';
import type { JobRecord, LogRecord, Schedule, StepRecord } from '../shared';

/**
 * A job as stored: the record plus index keys that exist only while they mean something, so
 * each index holds just the rows the scheduler asks it for.
 */
export interface StoredJob extends JobRecord {
  /** Present only while queued: `[type, priorityOrder, rank, createdAt]`. */
  readonly queueKey?: readonly [string, number, number, number];
  /** Present only while waiting for a time: when to wake. */
  readonly wakeAt?: number;
}

/** A stored AI answer, keyed by the request's fingerprint. */
export interface ResponseRecord {
  readonly fingerprint: string;
  readonly type: string;
  readonly provider: string;
  readonly model: string;
  readonly request: unknown;
  /** The prompt text sent (empty for results that had none). */
  readonly prompt: string;
  /** The answer as used: what a job with this fingerprint completes with. */
  readonly response: unknown;
  /** The provider's raw text for this answer, as received. */
  readonly raw?: string;
  readonly createdAt: number;
}

export interface FileRecord {
  readonly id: string;
  readonly jobId: string;
  readonly name: string;
  readonly mimeType: string;
  readonly size: number;
  readonly blob: Blob;
  readonly createdAt: number;
}

/** A stored schedule (see `Schedule`); only enabled ones have `nextRunAt`, so only they are in its index. */
export type ScheduleRecord = Schedule;

export interface SettingRecord {
  readonly key: string;
  readonly value: unknown;
}

/** Runtime bookkeeping: the runner epoch, type-wide rate-limit holds. */
export interface MetaRecord {
  readonly key: string;
  readonly value: unknown;
}

/**
 * A page's note that it was unloaded (reloaded, closed or navigated away), written by the page
 * itself as it goes: a runner whose page left this way did not crash, so the attempts its end
 * cut short are given back (see `markPageExit`).
 */
export interface ExitRecord {
  /** The runtime the page hosted (`RuntimeStatus.instance`). */
  readonly instance: string;
  readonly at: number;
}

/**
 * The Errand database. Versions are append-only: a released version is never edited, a new
 * one is added with its upgrade.
 */
export class ErrandDb extends Dexie {
  jobs!: EntityTable<StoredJob, 'id'>;
  steps!: Dexie.Table<StepRecord, [string, string]>;
  responses!: EntityTable<ResponseRecord, 'fingerprint'>;
  logs!: EntityTable<LogRecord, 'id'>;
  files!: EntityTable<FileRecord, 'id'>;
  schedules!: EntityTable<ScheduleRecord, 'id'>;
  settings!: EntityTable<SettingRecord, 'key'>;
  meta!: EntityTable<MetaRecord, 'key'>;
  exits!: EntityTable<ExitRecord, 'instance'>;

  constructor(name: string, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({
      jobs: 'id, createdAt, [status+createdAt], [type+createdAt], [type+status+createdAt], queueKey, wakeAt, fingerprint, parentId, *dependsOn',
      steps: '[jobId+name], jobId',
      responses: 'fingerprint, createdAt',
      logs: '++id, jobId',
      files: 'id, jobId',
      schedules: 'id, nextRunAt',
      settings: 'key',
      meta: 'key',
    });
    // A store of its own, which no runner transaction holds, so that a page's exit note is not
    // queued behind the runner's writes while the page unloads (see `markPageExit`).
    this.version(2).stores({ exits: 'instance' });
    // A job's page shows a journal of thousands of steps a window at a time, in the order they
    // began, and counts it by status and reruns from index keys alone: reading every record
    // (each batch's output included) on every change kept the page's main thread busy.
    this.version(3).stores({ steps: '[jobId+name], jobId, [jobId+startedAt], [jobId+status+runs]' });
  }
}

/** The schema version this code writes. */
export const SCHEMA_VERSION = 3;
