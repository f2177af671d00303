import { jobHref, jobsHref } from './routes';

/**
 * Where the kit's components link to: a job's page, the list of active jobs (the pill bar's
 * "+N more"), the queue (its "N queued") and, where the app has them, the lists of completed and
 * failed jobs (the toast that counts a burst of outcomes). An app with its own routes passes its own.
 */
export interface JobLinks {
  job(id: string): string;
  readonly active: string;
  readonly queued: string;
  readonly completed?: string;
  readonly failed?: string;
}

/** The Job Console's pages, in its hash routes. */
export const consoleLinks: JobLinks = {
  job: jobHref,
  active: jobsHref({ status: 'active' }),
  queued: jobsHref({ status: 'queued' }),
  completed: jobsHref({ status: 'completed' }),
  failed: jobsHref({ status: 'failed' }),
};
