import {
  backoffDelay,
  NetworkUnavailableError,
  PermanentJobError,
  RateLimitError,
  RetryLaterError,
  toJobError,
  type BackoffOptions,
  type JobAction,
} from '../shared';

export interface FailureContext {
  /** Attempts made so far, this one included. */
  readonly attempts: number;
  readonly backoff: BackoffOptions | undefined;
  readonly now: number;
  /** The job needs the network and the network is gone: wait for it, do not burn an attempt. */
  readonly offline: boolean;
  /** Whether the device has a network connection now (`navigator.onLine`). */
  readonly online: boolean;
  readonly random: () => number;
}

/**
 * Turns a handler's failure into the job's next step: wait for the rate limit to lift, wait
 * for the network, retry after a backoff, or fail for good. The reducer decides whether an
 * attempt is left.
 */
export function failureAction(error: unknown, context: FailureContext): JobAction {
  const data = toJobError(error);
  if (error instanceof RateLimitError) {
    return { type: 'rate-limit', until: context.now + Math.max(0, error.retryAfterMs), error: data };
  }
  // A handler that says the network is unavailable while the device is online met a service out
  // of reach (a server down, a captive portal): no \`online\` event would ever end that wait, so
  // it is a retryable failure like any other.
  if (context.offline || (error instanceof NetworkUnavailableError && !context.online)) {
    return { type: 'wait', reason: 'offline' };
  }
  if (error instanceof PermanentJobError || !data.retryable) return { type: 'fail', error: data };
  if (error instanceof RetryLaterError) {
    return { type: 'fail', error: data, retryAt: context.now + Math.max(0, error.delayMs) };
  }
  return {
    type: 'fail',
    error: data,
    retryAt: context.now + backoffDelay(context.attempts, context.backoff, context.random),
  };
}
