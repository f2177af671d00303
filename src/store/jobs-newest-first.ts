/**
 * The index ranges that serve a job list, each read newest first, and the order that merges the
 * keys of several of them.
 */
import type { JobStatus } from '../shared';
import type { ErrandDb } from './db';
import { statusesOf, type JobListQuery } from './job-list-query';

/** Jobs of one status, one type, both or neither, newest first, through the index that holds them. */
export function jobsNewestFirst(
  jobs: ErrandDb['jobs'],
  query: { readonly status?: JobStatus | undefined; readonly type?: string | undefined },
) {
  if (query.status !== undefined && query.type !== undefined) {
    return jobs
      .where('[type+status+createdAt]')
      .between([query.type, query.status, -Infinity], [query.type, query.status, Infinity])
      .reverse();
  }
  if (query.status !== undefined) {
    return jobs.where('[status+createdAt]').between([query.status, -Infinity], [query.status, Infinity]).reverse();
  }
  if (query.type !== undefined) {
    return jobs.where('[type+createdAt]').between([query.type, -Infinity], [query.type, Infinity]).reverse();
  }
  return jobs.orderBy('createdAt').reverse();
}

/**
 * The jobs of a query with `dependsOn` or `parentId`, newest first by id, through that index,
 * with its status and type filters applied as they are read; undefined for a query without
 * either. Throws `invalid-input` for a query not of the documented form.
 */
export function relatedJobsNewestFirst(jobs: ErrandDb['jobs'], query: Omit<JobListQuery, 'offset' | 'limit'>) {
  const statuses = statusesOf(query) ?? (query.status !== undefined ? [query.status] : undefined);
  const [index, id] =
    query.dependsOn !== undefined
      ? (['dependsOn', query.dependsOn] as const)
      : query.parentId !== undefined
        ? (['parentId', query.parentId] as const)
        : [];
  if (index === undefined) return undefined;
  const related = jobs.where(index).equals(id).reverse();
  const { type } = query;
  if (statuses === undefined && type === undefined) return related;
  return related.filter(
    (job) => (!statuses || statuses.includes(job.status)) && (type === undefined || job.type === type),
  );
}

/** The order of one status's index read backwards: newest first, ties by id, descending. */
export function newestFirst(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
