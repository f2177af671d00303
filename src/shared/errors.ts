import type { JobError, JobErrorDetails } from './job';

/**
 * Every error Errand raises. `name` is a literal (minifiers rename classes, so never
 * `constructor.name`) and `code` is the stable, documented identifier callers match on.
 */
export const ERROR_CODES = [
  'invalid-transition',
  'unknown-job-type',
  'invalid-payload',
  'invalid-input',
  'data-clone',
  'quota-exceeded',
  'version',
  'storage',
  'not-found',
  'stale-runner',
  'permanent',
  'retry-later',
  'rate-limited',
  'timeout',
  'aborted',
  'offline',
  'handler-error',
  'closed',
  'worker',
  'unsupported',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base class: a message, a stable `code` and whether trying again may help. */
export class ErrandError extends Error {
  override readonly name: string = 'ErrandError';
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options?.retryable ?? false;
  }
}

/** A reducer action that does not apply to the job's status. */
export class InvalidTransitionError extends ErrandError {
  override readonly name = 'InvalidTransitionError';
  constructor(
    readonly from: string,
    readonly action: string,
  ) {
    super('invalid-transition', `Cannot ${action} a job that is ${from}`);
  }
}

export class UnknownJobTypeError extends ErrandError {
  override readonly name = 'UnknownJobTypeError';
  constructor(readonly type: string) {
    super('unknown-job-type', `No job type named "${type}" is registered`);
  }
}

/** The payload failed the job type's validation. */
export class InvalidPayloadError extends ErrandError {
  override readonly name = 'InvalidPayloadError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid-payload', message, options);
  }
}

/** An argument that is not of the documented form (bad id, bad option). */
export class InvalidInputError extends ErrandError {
  override readonly name = 'InvalidInputError';
  constructor(message: string) {
    super('invalid-input', message);
  }
}

/** The value cannot be stored: it is not structured-cloneable (functions, DOM nodes, class instances with private state). */
export class DataCloneError extends ErrandError {
  override readonly name = 'DataCloneError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('data-clone', message, options);
  }
}

/** The origin's storage quota is used up. */
export class QuotaExceededError extends ErrandError {
  override readonly name = 'QuotaExceededError';
  constructor(options?: { cause?: unknown }) {
    super('quota-exceeded', 'Storage is full: free some space or remove finished jobs', {
      ...options,
      retryable: true,
    });
  }
}

/**
 * Why a page's connection to the store ended while in use:
 * - `upgraded`: a newer version of the app opened the database at a higher version;
 * - `deleted`: another context deleted the database (`indexedDB.deleteDatabase`, `Dexie.delete`);
 * - `closed`: the browser closed the connection itself: the site's data was cleared, or the
 *   storage failed.
 */
export type StoreLoss = 'upgraded' | 'deleted' | 'closed';

/** What a `version` error says for each way the store was lost. */
export const STORE_LOSS_MESSAGES: Readonly<Record<StoreLoss, string>> = {
  upgraded: 'A newer version of the app took over the database: reload',
  deleted: 'The job store was deleted by another tab or app: reload to start with an empty one',
  closed: "The browser closed the job store (the site's data was cleared, or storage failed): reload",
};

/**
 * This page's connection to the store is gone: the database was upgraded by another version of
 * the app, deleted, or closed by the browser. Reload to continue.
 */
export class VersionError extends ErrandError {
  override readonly name = 'VersionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('version', message, options);
  }
}

/** Any other storage failure. */
export class StorageError extends ErrandError {
  override readonly name = 'StorageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('storage', message, { ...options, retryable: true });
  }
}

export class JobNotFoundError extends ErrandError {
  override readonly name = 'JobNotFoundError';
  constructor(readonly jobId: string) {
    super('not-found', `No job with id ${jobId}`);
  }
}

export class ScheduleNotFoundError extends ErrandError {
  override readonly name = 'ScheduleNotFoundError';
  constructor(readonly scheduleId: string) {
    super('not-found', `No schedule with id ${scheduleId}`);
  }
}

/** A write from a runner that no longer owns the job (fencing). */
export class StaleRunnerError extends ErrandError {
  override readonly name = 'StaleRunnerError';
  constructor(readonly jobId: string) {
    super('stale-runner', `This runner no longer owns job ${jobId}`);
  }
}

/** Thrown by a handler: fail the job now, without retrying. */
export class PermanentJobError extends ErrandError {
  override readonly name = 'PermanentJobError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('permanent', message, options);
  }
}

/** Thrown by a handler: try again after `delayMs` (consumes an attempt). */
export class RetryLaterError extends ErrandError {
  override readonly name = 'RetryLaterError';
  constructor(
    readonly delayMs: number,
    message = `Retry in ${delayMs} ms`,
  ) {
    super('retry-later', message, { retryable: true });
  }
}

/** Thrown by a handler: the service is rate limiting; wait `retryAfterMs` without consuming an attempt. */
export class RateLimitError extends ErrandError {
  override readonly name = 'RateLimitError';
  constructor(
    readonly retryAfterMs: number,
    message = `Rate limited for ${retryAfterMs} ms`,
  ) {
    super('rate-limited', message, { retryable: true });
  }
}

export class JobTimeoutError extends ErrandError {
  override readonly name = 'JobTimeoutError';
  constructor(readonly timeoutMs: number) {
    super('timeout', `The job did not finish within ${timeoutMs} ms`, { retryable: true });
  }
}

/** The job's run was stopped by pause or cancel. */
export class JobAbortedError extends ErrandError {
  override readonly name = 'JobAbortedError';
  constructor(readonly reason: 'paused' | 'cancelled' | 'shutdown') {
    super('aborted', `The job was ${reason === 'shutdown' ? 'stopped' : reason}`);
  }
}

/**
 * Thrown by a handler: the service is out of reach because the device is offline; the job waits
 * for the network (no attempt consumed). Thrown while the browser reports itself online, it is a
 * retryable failure (an attempt, then the backoff): the device is connected, the service is not.
 */
export class NetworkUnavailableError extends ErrandError {
  override readonly name = 'NetworkUnavailableError';
  constructor(message = 'The device is offline') {
    super('offline', message, { retryable: true });
  }
}

/** The runtime or client was closed. */
export class ClosedError extends ErrandError {
  override readonly name = 'ClosedError';
  constructor() {
    super('closed', 'The runtime or client was closed.');
  }
}

/**
 * This page's worker could not start (its script failed to load or threw as it started), or it
 * stopped after it had started (it was closed or terminated), so no command can reach it. The
 * page can still read the store; a reload starts a new worker.
 */
export class WorkerUnavailableError extends ErrandError {
  override readonly name = 'WorkerUnavailableError';
  /** The browser's reason, as its `error` event gave it (`its script did not load` without one). */
  readonly reason: string;
  /** Whether the worker never started, or stopped after it had answered. */
  readonly phase: 'start' | 'stopped';
  constructor(reason: string, phase: 'start' | 'stopped' = 'start') {
    super(
      'worker',
      phase === 'start'
        ? `The job worker could not start (${reason}); reload the page to try again`
        : `The job worker stopped (${reason}); reload the page to start it again`,
    );
    this.reason = reason;
    this.phase = phase;
  }
}

/**
 * Jobs cannot run in this browser context at all: it has no Web Locks (a page served over http
 * from another address than localhost has none), so a job enqueued here would wait for ever and
 * the enqueue is refused, nothing stored (stored jobs can still be read and changed); or the
 * browser lets this site store nothing (cookies and site data blocked), so no command works.
 */
export class UnsupportedContextError extends ErrandError {
  override readonly name = 'UnsupportedContextError';
  /** Why, in words for the user. */
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super('unsupported', `Jobs cannot run in this browser context: ${reason}`, options);
    this.reason = reason;
  }
}

/** Plain-data form of any error, safe to store and to post across the worker boundary. */
export function toJobError(error: unknown): JobError {
  if (error instanceof ErrandError) {
    const details = detailsOf(error);
    return {
      name: error.name,
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(details ? { details } : {}),
    };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      code: typeof code === 'string' && code.length > 0 ? code : 'handler-error',
      message: error.message,
      retryable: true,
    };
  }
  return { name: 'Error', code: 'handler-error', message: String(error), retryable: true };
}

/** The fields beyond the message of the classes `fromJobError` rebuilds. */
function detailsOf(error: ErrandError): JobErrorDetails | undefined {
  if (error instanceof InvalidTransitionError) return { from: error.from, action: error.action };
  if (error instanceof UnknownJobTypeError) return { type: error.type };
  if (error instanceof JobNotFoundError || error instanceof StaleRunnerError) return { jobId: error.jobId };
  if (error instanceof ScheduleNotFoundError) return { scheduleId: error.scheduleId };
  if (error instanceof UnsupportedContextError) return { reason: error.reason };
  if (error instanceof WorkerUnavailableError) return { reason: error.reason, phase: error.phase };
  return undefined;
}

/** A string field of `details`; '' where it is missing (data stored before it carried details). */
function field(data: JobError, key: string): string {
  const value = data.details?.[key];
  return typeof value === 'string' ? value : '';
}

/** The rebuilt error, with the message it was sent with. */
function withMessage<E extends ErrandError>(error: E, data: JobError): E {
  return Object.assign(error, { message: data.message });
}

const byName: Record<string, (data: JobError) => ErrandError> = {
  InvalidTransitionError: (d) => withMessage(new InvalidTransitionError(field(d, 'from'), field(d, 'action')), d),
  UnknownJobTypeError: (d) => withMessage(new UnknownJobTypeError(field(d, 'type')), d),
  InvalidPayloadError: (d) => new InvalidPayloadError(d.message),
  InvalidInputError: (d) => new InvalidInputError(d.message),
  DataCloneError: (d) => new DataCloneError(d.message),
  QuotaExceededError: () => new QuotaExceededError(),
  VersionError: (d) => new VersionError(d.message),
  StorageError: (d) => new StorageError(d.message),
  JobNotFoundError: (d) => withMessage(new JobNotFoundError(field(d, 'jobId')), d),
  ScheduleNotFoundError: (d) => withMessage(new ScheduleNotFoundError(field(d, 'scheduleId')), d),
  StaleRunnerError: (d) => withMessage(new StaleRunnerError(field(d, 'jobId')), d),
  PermanentJobError: (d) => new PermanentJobError(d.message),
  ClosedError: () => new ClosedError(),
  UnsupportedContextError: (d) => withMessage(new UnsupportedContextError(field(d, 'reason')), d),
  WorkerUnavailableError: (d) =>
    withMessage(
      new WorkerUnavailableError(field(d, 'reason'), field(d, 'phase') === 'stopped' ? 'stopped' : 'start'),
      d,
    ),
};

/**
 * Rebuilds a thrown error from its data form, keeping its class where it is one of ours, with
 * the fields its `details` carry.
 */
export function fromJobError(data: JobError): ErrandError {
  const build = byName[data.name];
  if (build) return build(data);
  const isKnownCode = (ERROR_CODES as readonly string[]).includes(data.code);
  const error = new ErrandError(isKnownCode ? (data.code as ErrorCode) : 'handler-error', data.message, {
    retryable: data.retryable,
  });
  Object.defineProperty(error, 'name', { value: data.name });
  return error;
}
