import { afterEach, describe, expect, it } from 'vitest';
import type { ErrandClient } from '../../src/client';
import {
  InvalidTransitionError,
  JobNotFoundError,
  ScheduleNotFoundError,
  UnknownJobTypeError,
  type JobRecord,
} from '../../src/shared';
import { createFixtures } from '../fixtures/job-types';
import { clientOverChannel, createHarness, type ChannelClient, type Harness } from '../helpers/harness';

let harness: Harness | undefined;
let channel: ChannelClient | undefined;
afterEach(async () => {
  channel?.close();
  channel = undefined;
  await harness?.close();
  harness = undefined;
});

/** A client that posts to its runtime, as a page posts to its worker, and a job it completed. */
async function clientWithCompletedJob(): Promise<{ client: ErrandClient; job: JobRecord }> {
  harness = createHarness({ types: createFixtures().types });
  channel = clientOverChannel(harness);
  const { client } = channel;
  const job = await client.waitFor((await client.enqueue('sleep', { value: 1 })).id);
  expect(job.status).toBe('completed');
  return { client, job };
}

/** What `promise` rejected with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('it resolved'),
    (error: unknown) => error,
  );
}

describe('a typed error from the worker', () => {
  it('keeps the job type it did not know', async () => {
    const { client } = await clientWithCompletedJob();
    const error = await rejection(client.enqueue('no_such_type', {}));
    expect(error).toBeInstanceOf(UnknownJobTypeError);
    expect(error).toMatchObject({ code: 'unknown-job-type', type: 'no_such_type' });
  });

  it('keeps the id of the job it did not find', async () => {
    const { client, job } = await clientWithCompletedJob();
    const missing = job.id.replace(/.$/, (last) => (last === '0' ? '1' : '0'));
    const error = await rejection(client.reprioritize(missing, { priority: 'high' }));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect(error).toMatchObject({ code: 'not-found', jobId: missing, message: `No job with id ${missing}` });
  });

  it('keeps the id of the schedule it did not find', async () => {
    const { client } = await clientWithCompletedJob();
    const error = await rejection(client.setScheduleEnabled('nightly-report', false));
    expect(error).toBeInstanceOf(ScheduleNotFoundError);
    expect(error).toMatchObject({ code: 'not-found', scheduleId: 'nightly-report' });
  });

  it('keeps the status and the action of a refused change', async () => {
    const { client, job } = await clientWithCompletedJob();
    const error = await rejection(client.reprioritize(job.id, { priority: 'high' }));
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({
      code: 'invalid-transition',
      from: 'completed',
      action: 'reprioritize',
      message: 'Cannot reprioritize a job that is completed',
    });
  });
});

describe('a command on one job that skipped it', () => {
  it.each(['pause', 'resume', 'cancel'] as const)('names %s as the action it refused', async (action) => {
    const { client, job } = await clientWithCompletedJob();
    const error = await rejection(client[action](job.id));
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error).toMatchObject({
      code: 'invalid-transition',
      from: 'completed',
      action,
      message: `Cannot ${action} a job that is completed`,
    });
  });
});
