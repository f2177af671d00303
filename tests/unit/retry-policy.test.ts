import { describe, expect, it } from 'vitest';
import { NetworkUnavailableError, PermanentJobError } from '../../src/shared';
import { failureAction, type FailureContext } from '../../src/worker/retry-policy';

const base: FailureContext = {
  attempts: 1,
  backoff: { baseMs: 1000, maxMs: 60_000, jitter: false },
  now: 10_000,
  offline: false,
  online: true,
  random: () => 0.5,
};

describe('failureAction', () => {
  it('waits for the network, with no attempt spent, when the handler says it is unavailable and the device is offline', () => {
    expect(failureAction(new NetworkUnavailableError(), { ...base, online: false })).toEqual({
      type: 'wait',
      reason: 'offline',
    });
  });

  it('retries after the backoff when the handler says the network is unavailable but the device is online', () => {
    const action = failureAction(new NetworkUnavailableError('server unreachable'), base);
    expect(action).toMatchObject({ type: 'fail', error: { code: 'offline', message: 'server unreachable' } });
    expect(action.type === 'fail' && action.retryAt).toBeGreaterThan(base.now);
  });

  it('waits for the network whatever the error when the job needs it and the device is offline', () => {
    expect(failureAction(new Error('fetch failed'), { ...base, offline: true, online: false })).toEqual({
      type: 'wait',
      reason: 'offline',
    });
    expect(failureAction(new PermanentJobError('bad input'), base)).toMatchObject({ type: 'fail' });
  });
});
