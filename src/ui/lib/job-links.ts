import { jobHref, jobsHref } from './routes';

/**
 * Where the kit's components link to: a job's page, the list of active jobs (the pill bar's
 * "+N more") and the queue (its "N queued"). An app with its own routes passes its own.
 */
export interface JobLinks {
  job(id: string): string;
  readonly active: string;
  readonly queued: string;
}

/** The Job Console's pages, in its hash routes. */
export const consoleLinks: JobLinks = {
  job: jobHref,
  active: jobsHref({ status: 'active' }),
  queued: jobsHref({ status: 'queued' }),
};
