import { JOB_STATUSES, type JobListQuery, type JobStatus } from '../../client';

/** The list filters of a job center query: by status, type and relation to one job. */
export type ListFilter = Omit<JobListQuery, 'offset' | 'limit'>;

/** The relations to one job the list can be filtered by, as named in the address and the query. */
export const RELATIONS = ['dependsOn', 'parentId'] as const;
export interface Relation {
  readonly key: (typeof RELATIONS)[number];
  readonly id: string;
}

/** The job status an address's `status=` names, or undefined when it names none. */
export function asStatus(value: string | null): JobStatus | undefined {
  return JOB_STATUSES.find((status) => status === value);
}
