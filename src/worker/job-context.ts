import {
  assertCloneable,
  StaleRunnerError,
  toJobError,
  type Clock,
  type EnqueueOptions,
  type JobRecord,
  type Lease,
  type LogLevel,
} from '../shared';
import type { Journal, JobQueries, JobRepository } from '../store';
import { noAiClient, type AiClient } from './ai-client';
import type { JobContext } from './define-job-type';
import { ProgressReporter } from './progress-reporter';

/** What a context needs from the runtime for one attempt of one job. */
export interface JobContextDeps {
  readonly job: JobRecord;
  readonly lease: Lease;
  readonly controller: AbortController;
  readonly clock: Clock;
  readonly jobs: JobRepository;
  readonly journal: Journal;
  readonly queries: JobQueries;
  readonly progressIntervalMs: number;
  readonly enqueue: (type: string, payload: unknown, options: EnqueueOptions) => Promise<JobRecord>;
  readonly ai: AiClient | undefined;
}

/** A context and what the runner must do when the attempt ends. */
export interface AttemptContext {
  readonly context: JobContext;
  /** Stops progress writes; waits for one in flight. */
  settle(): Promise<void>;
}

/**
 * Builds the handler's context for one attempt. Every write is fenced by the attempt's
 * lease; once a write is refused the attempt is aborted, so the handler stops working for a
 * job it no longer owns.
 */
export function createJobContext(deps: JobContextDeps): AttemptContext {
  const { job, lease, controller, clock, jobs, journal } = deps;
  const signal = controller.signal;

  const fenced = async <T>(write: () => Promise<T>): Promise<T> => {
    if (signal.aborted) throw signal.reason;
    try {
      return await write();
    } catch (error) {
      if (error instanceof StaleRunnerError) controller.abort(error);
      throw error;
    }
  };

  const reporter = new ProgressReporter(clock, deps.progressIntervalMs, (update) =>
    fenced(async () => {
      await jobs.progress(job.id, lease, update, clock.now());
    }),
  );

  const context: JobContext = {
    jobId: job.id,
    fingerprint: job.fingerprint,
    fresh: job.fresh === true,
    attempt: job.attempts,
    signal,
    state: job.checkpoint,
    progress(fraction, step) {
      reporter.report(step === undefined ? { progress: fraction } : { progress: fraction, step });
    },
    async checkpoint(state) {
      assertCloneable(state, 'checkpoint');
      await fenced(() => jobs.checkpoint(job.id, lease, state, clock.now()));
    },
    async step<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
      // One grouped transaction reads the journal and records the start: a step finished
      // before a crash answers with its stored output.
      const begun = await fenced(() => journal.beginStep(job.id, lease, name, clock.now()));
      if (begun.status === 'completed') return begun.output as T;
      let output: T;
      try {
        output = await fn();
      } catch (error) {
        if (!signal.aborted) {
          await fenced(() => journal.failStep(job.id, lease, name, toJobError(error), clock.now())).catch(
            () => undefined,
          );
        }
        throw error;
      }
      assertCloneable(output, `output of step "${name}"`);
      await fenced(() => journal.finishStep(job.id, lease, name, output, clock.now()));
      return output;
    },
    log(message, level: LogLevel = 'info') {
      return fenced(() => journal.log(job.id, lease, level, message, clock.now()));
    },
    files: {
      async put(name, data, mimeType = 'application/octet-stream') {
        const blob = typeof data === 'string' ? new Blob([data], { type: mimeType }) : data;
        const id = `${job.id}/${name}`;
        await fenced(() =>
          journal.putFile(lease, {
            id,
            jobId: job.id,
            name,
            mimeType: blob.type || mimeType,
            size: blob.size,
            blob,
            createdAt: clock.now(),
          }),
        );
        return id;
      },
      async list() {
        const files = await journal.files(job.id);
        return files.map(({ id, name, mimeType, size, blob }) => ({ id, name, mimeType, size, blob }));
      },
    },
    readJobs: (query) => deps.queries.page(query),
    ai: deps.ai ?? noAiClient,
    enqueue(type, payload, options = {}) {
      return deps.enqueue(type, payload, { ...options, parentId: job.id });
    },
  };

  return { context, settle: () => reporter.stop() };
}
