/**
 * The queries `JobQueries` takes for a list or a page of jobs, and the checks that refuse a query
 * not of the documented form.
 */
import { assertId, InvalidInputError, JOB_STATUSES, type JobRecord, type JobStatus } from '../shared';

/** A page of the job list, newest first. */
export interface JobListQuery {
  readonly status?: JobStatus;
  /**
   * Jobs of any of these statuses, newest first across them (instead of `status`): the
   * job center's `active` view lists running, waiting and paused jobs this way, a page at a time.
   */
  readonly statuses?: readonly JobStatus[];
  readonly type?: string;
  /**
   * Only the jobs that depend on this job (whose `dependsOn` holds its id), newest first by id
   * (ids are time-ordered). Not with `parentId`.
   */
  readonly dependsOn?: string;
  /** Only the jobs this job enqueued (whose `parentId` is its id), newest first by id. Not with `dependsOn`. */
  readonly parentId?: string;
  readonly offset?: number;
  /** @default 100 */
  readonly limit?: number;
}

/** A page of the job history, oldest first, after a `[createdAt, id]` cursor. */
export interface JobPageQuery {
  readonly status?: JobStatus;
  readonly type?: string;
  readonly after?: { readonly createdAt: number; readonly id: string };
  readonly limit: number;
}

export interface JobPage {
  readonly jobs: readonly JobRecord[];
  /** Jobs matching the filter in all; given on the first page only (no `after`). */
  readonly total?: number;
}

/**
 * The statuses of a query that asks for several; undefined when it asks for one or for all.
 * Throws `invalid-input` for both `status` and `statuses`, or for a status that does not exist.
 */
export function statusesOf(query: JobListQuery): readonly JobStatus[] | undefined {
  checkQuery(query);
  const given: unknown = query.statuses;
  if (given === undefined) return undefined;
  if (query.status !== undefined) throw new InvalidInputError('A job query takes status or statuses, not both');
  if (!Array.isArray(given)) throw new InvalidInputError('statuses must be a list of job statuses');
  const statuses = new Set<JobStatus>();
  for (const item of given as readonly unknown[]) {
    const status = JOB_STATUSES.find((known) => known === item);
    if (status === undefined) throw new InvalidInputError(`Unknown job status "${String(item)}"`);
    statuses.add(status);
  }
  return [...statuses];
}

/** Refuses an offset or limit that is not a whole number of at least 0. */
export function checkWhole(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidInputError(`${name} must be a whole number of at least 0`);
  }
}

/** Refuses a list query that is not of the documented form, which would otherwise match nothing. */
export function checkQuery(query: unknown): void {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw new InvalidInputError('A job query must be an object');
  }
  const { status, type, offset, limit, dependsOn, parentId } = query as Record<string, unknown>;
  if (status !== undefined && !JOB_STATUSES.some((known) => known === status)) {
    throw new InvalidInputError(`Unknown job status "${typeof status === 'string' ? status : typeof status}"`);
  }
  if (type !== undefined && (typeof type !== 'string' || type === '')) {
    throw new InvalidInputError('type must be a job type name');
  }
  if (dependsOn !== undefined && parentId !== undefined) {
    throw new InvalidInputError('A job query takes dependsOn or parentId, not both');
  }
  if (dependsOn !== undefined) assertId(dependsOn, 'dependsOn');
  if (parentId !== undefined) assertId(parentId, 'parentId');
  for (const [name, value] of [
    ['offset', offset],
    ['limit', limit],
  ] as const) {
    if (value !== undefined) checkWhole(value, name);
  }
}
