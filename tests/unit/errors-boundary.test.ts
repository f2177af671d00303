import { describe, expect, it } from 'vitest';
import {
  ClosedError,
  ErrandError,
  fromJobError,
  InvalidTransitionError,
  JobNotFoundError,
  PermanentJobError,
  ScheduleNotFoundError,
  StaleRunnerError,
  toJobError,
  UnknownJobTypeError,
  UnsupportedContextError,
  WorkerUnavailableError,
  type JobError,
} from '../../src/shared';

/** An error as the other side of the worker boundary gets it: as data, through structured clone. */
function acrossTheBoundary(error: unknown): ErrandError {
  return fromJobError(structuredClone(toJobError(error)));
}

describe('an error crossing the worker boundary', () => {
  it.each([
    [new InvalidTransitionError('completed', 'cancel'), { from: 'completed', action: 'cancel' }],
    [new UnknownJobTypeError('no_such_type'), { type: 'no_such_type' }],
    [new JobNotFoundError('job-1'), { jobId: 'job-1' }],
    [new StaleRunnerError('job-2'), { jobId: 'job-2' }],
    [new ScheduleNotFoundError('nightly'), { scheduleId: 'nightly' }],
    [
      new UnsupportedContextError('this browser lets the site store nothing'),
      { reason: 'this browser lets the site store nothing' },
    ],
    [new WorkerUnavailableError('its script did not load'), { reason: 'its script did not load', phase: 'start' }],
    [
      new WorkerUnavailableError('it was closed or terminated', 'stopped'),
      { reason: 'it was closed or terminated', phase: 'stopped' },
    ],
  ] as const)('keeps the class, message, code and fields of %s', (error, fields) => {
    const rebuilt = acrossTheBoundary(error);
    expect(rebuilt).toBeInstanceOf(error.constructor);
    expect(rebuilt).toMatchObject({ name: error.name, code: error.code, message: error.message, ...fields });
    expect(rebuilt.retryable).toBe(error.retryable);
  });

  it('names the action it refused in the message', () => {
    const rebuilt = acrossTheBoundary(new InvalidTransitionError('completed', 'cancel'));
    expect(rebuilt.message).toBe('Cannot cancel a job that is completed');
  });

  it('carries the fields as plain data, and none for classes without any', () => {
    expect(toJobError(new JobNotFoundError('job-1'))).toEqual({
      name: 'JobNotFoundError',
      code: 'not-found',
      message: 'No job with id job-1',
      retryable: false,
      details: { jobId: 'job-1' },
    });
    expect(toJobError(new PermanentJobError('broken'))).not.toHaveProperty('details');
    expect(toJobError(new Error('plain'))).not.toHaveProperty('details');
  });

  it('rebuilds data stored before it carried fields, and fields of the wrong kind, with empty fields', () => {
    const stored: JobError = {
      name: 'InvalidTransitionError',
      code: 'invalid-transition',
      message: 'Cannot pause a job that is failed',
      retryable: false,
    };
    expect(fromJobError(stored)).toMatchObject({ from: '', action: '', message: stored.message });
    const odd = { ...stored, details: { from: 7, action: { toString: 'x' } } } as unknown as JobError;
    expect(fromJobError(odd)).toMatchObject({ from: '', action: '', message: stored.message });
    const phase = {
      ...toJobError(new WorkerUnavailableError('gone', 'stopped')),
      details: { reason: 'gone', phase: 'later' },
    };
    expect(fromJobError(phase)).toMatchObject({ reason: 'gone', phase: 'start' });
  });

  it('rebuilds a closed error with its message', () => {
    const rebuilt = acrossTheBoundary(new ClosedError());
    expect(rebuilt).toBeInstanceOf(ClosedError);
    expect(rebuilt).toMatchObject({ code: 'closed', message: 'The runtime or client was closed.' });
  });
});
