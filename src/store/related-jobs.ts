import type { JobRecord } from '../shared';

/** A job named on another's page: enough to show and link it. */
export type JobRef = Pick<JobRecord, 'id' | 'label' | 'type' | 'status'>;

/** What a job waits on and what waits on it, for its page. */
export interface RelatedJobs {
  /** The jobs it depends on, in the order given; `job` is absent for one removed since. */
  readonly dependencies: readonly { readonly id: string; readonly job?: JobRef }[];
  /** The job that enqueued it, if any; `job` is absent once that one is removed. */
  readonly parent?: { readonly id: string; readonly job?: JobRef };
  /** The first jobs (oldest first) whose `dependsOn` names it. */
  readonly dependents: readonly JobRef[];
  /** How many jobs depend on it in all. */
  readonly dependentsTotal: number;
  /** The first jobs (oldest first) it enqueued. */
  readonly children: readonly JobRef[];
  /** How many jobs it enqueued that are still stored. */
  readonly childrenTotal: number;
}

/** The fields of a job another's page shows. */
export function jobRef(job: JobRecord): JobRef {
  return { id: job.id, label: job.label, type: job.type, status: job.status };
}
