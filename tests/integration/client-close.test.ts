import { afterEach, describe, expect, it } from 'vitest';
import { connectErrand, type ErrandClient } from '../../src/client';
import { ClosedError, type ErrandError } from '../../src/shared';
import { createFixtures, Probe } from '../fixtures/job-types';
import { clientOverChannel, createHarness, type ChannelClient, type Harness } from '../helpers/harness';

let harness: Harness | undefined;
let channel: ChannelClient | undefined;
let reader: ErrandClient | undefined;
afterEach(async () => {
  channel?.close();
  channel = undefined;
  reader?.close();
  reader = undefined;
  await harness?.close();
  harness = undefined;
});

const closedError = { name: 'ClosedError', code: 'closed', message: 'The runtime or client was closed.' };

/** The two ways a page reaches the runtime: posting to its worker, or calling it in process. */
const clientKinds: readonly [string, (h: Harness) => ErrandClient][] = [
  [
    'a worker-backed client',
    (h) => {
      channel = clientOverChannel(h);
      return channel.client;
    },
  ],
  ['an in-process client', (h) => h.client],
];

/** A fresh runtime, a client of the kind asked, and a second client to look at the store with. */
function setUp(connect: (h: Harness) => ErrandClient, probe = new Probe()) {
  harness = createHarness({ types: createFixtures(probe).types });
  const client = connect(harness);
  reader = connectErrand({ worker: harness.runtime.api, dbName: harness.dbName, markerStorage: null, locks: null });
  return { client, reader, probe };
}

/** Every call of the client, with arguments that would do something on an open client. */
function everyCall(client: ErrandClient): readonly [string, () => Promise<unknown>][] {
  const schedule = { type: 'sleep', payload: {}, cron: '0 * * * *' };
  return [
    ['enqueue', () => client.enqueue('sleep', { value: 1 })],
    ['enqueueMany', () => client.enqueueMany([{ type: 'sleep', payload: { value: 2 } }])],
    ['get', () => client.get('some-id')],
    ['list', () => client.list()],
    ['count', () => client.count()],
    ['getMany', () => client.getMany(['some-id'])],
    ['listKeys', () => client.listKeys({}, 10)],
    ['completionsPerMinute', () => client.completionsPerMinute()],
    ['steps', () => client.steps('some-id')],
    ['stepRange', () => client.stepRange('some-id', 0, 10)],
    ['stepCounts', () => client.stepCounts('some-id')],
    ['logs', () => client.logs('some-id')],
    ['response', () => client.response({ fingerprint: 'some-print' })],
    ['files', () => client.files('some-id')],
    ['waitFor', () => client.waitFor('some-id')],
    ['pause', () => client.pause('some-id')],
    ['resume', () => client.resume('some-id')],
    ['cancel', () => client.cancel('some-id')],
    ['retry', () => client.retry('some-id')],
    ['remove', () => client.remove('some-id')],
    ['pauseMany', () => client.pauseMany(['some-id'])],
    ['resumeMany', () => client.resumeMany(['some-id'])],
    ['cancelMany', () => client.cancelMany(['some-id'])],
    ['retryMany', () => client.retryMany(['some-id'])],
    ['removeMany', () => client.removeMany(['some-id'])],
    ['reprioritize', () => client.reprioritize('some-id', { priority: 'high' })],
    ['saveSchedule', () => client.saveSchedule(schedule)],
    ['setScheduleEnabled', () => client.setScheduleEnabled('some-id', false)],
    ['removeSchedule', () => client.removeSchedule('some-id')],
    ['runScheduleNow', () => client.runScheduleNow('some-id')],
    ['previewSchedule', () => client.previewSchedule('0 * * * *')],
    ['schedules', () => client.schedules()],
    ['jobTypes', () => client.jobTypes()],
    ['getSetting', () => client.getSetting('limits')],
    ['putSetting', () => client.putSetting('limits', { concurrency: 2 })],
    ['testAiConnection', () => client.testAiConnection()],
    ['status', () => client.status()],
    ['onIdle', () => client.onIdle()],
    ['acknowledgeStoreReset', () => client.acknowledgeStoreReset()],
  ];
}

/** What `call` settled as: its value, or the error it threw or rejected with, and how. */
async function outcome(call: () => Promise<unknown>): Promise<{ how: string; value: unknown }> {
  let pending: Promise<unknown>;
  try {
    pending = call();
  } catch (error) {
    return { how: 'threw', value: error };
  }
  try {
    return { how: 'resolved', value: await pending };
  } catch (error) {
    return { how: 'rejected', value: error };
  }
}

describe.each(clientKinds)('%s, closed', (_kind, connect) => {
  it('rejects every call with closed, as a promise, and stores nothing', async () => {
    const { client, reader } = setUp(connect);
    await client.status();
    client.close();
    for (const [name, call] of everyCall(client)) {
      const settled = await outcome(call);
      expect(settled.how, name).toBe('rejected');
      expect(settled.value, name).toBeInstanceOf(ClosedError);
      expect(settled.value, name).toMatchObject(closedError);
    }
    expect(await reader.count()).toBe(0);
    expect(await reader.schedules()).toEqual([]);
    expect(await reader.getSetting('limits')).toBeUndefined();
  });

  it('closes twice harmlessly', async () => {
    const { client } = setUp(connect);
    await client.status();
    client.close();
    expect(() => client.close()).not.toThrow();
    await expect(client.enqueue('sleep', {})).rejects.toMatchObject(closedError);
  });

  it('rejects calls not answered yet with closed instead of leaving them waiting', async () => {
    const { client, reader, probe } = setUp(connect);
    const job = await client.enqueue('sleep', { key: 'held' });
    await probe.gate.whenReached('sleep:held');
    const status = client.status();
    const idle = client.onIdle();
    const waited = client.waitFor(job.id);
    client.close();
    await expect(status).rejects.toMatchObject(closedError);
    await expect(idle).rejects.toMatchObject(closedError);
    await expect(waited).rejects.toMatchObject(closedError);
    // The runtime itself goes on: the job finishes once let go.
    probe.gate.open('sleep:held');
    expect((await reader.waitFor(job.id)).status).toBe('completed');
  });

  it('ends live subscriptions with one closed error; one made after gets that error and no value', async () => {
    const { client } = setUp(connect);
    await client.enqueue('sleep', { value: 1 });
    const values: unknown[] = [];
    const errors: ErrandError[] = [];
    await new Promise<void>((resolve) => {
      client.watch().subscribe(
        (jobs) => {
          values.push(jobs);
          resolve();
        },
        (error) => errors.push(error),
      );
    });
    const activeErrors: ErrandError[] = [];
    client.watchActiveJobs().subscribe(
      () => undefined,
      (error) => activeErrors.push(error),
    );
    client.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject(closedError);
    expect(activeErrors).toHaveLength(1);
    expect(activeErrors[0]).toBeInstanceOf(ClosedError);

    const watches = [
      client.watch(),
      client.watch({}, { minGapMs: 0, spacing: 0 }),
      client.watchJob('some-id'),
      client.watchJournal('some-id'),
      client.watchCount(),
      client.watchActive(),
      client.watchActiveJobs(),
      client.watchSchedules(),
      client.watchSetting('limits'),
      client.watchStoreReset(),
    ];
    for (const watchable of watches) {
      const later: unknown[] = [];
      await new Promise<void>((resolve) => {
        watchable.subscribe(
          (value) => later.push({ value }),
          (error) => {
            later.push(error);
            resolve();
          },
        );
      });
      expect(later).toHaveLength(1);
      expect(later[0]).toMatchObject(closedError);
    }
    // An unsubscribe before the error comes means no error.
    const quiet: unknown[] = [];
    client.watchCount().subscribe(
      (value) => quiet.push(value),
      (error) => quiet.push(error),
    )();
    await Promise.resolve();
    expect(quiet).toEqual([]);
  });

  it('adds no listener after close', async () => {
    const { client } = setUp(connect);
    await client.status();
    client.close();
    const heard: unknown[] = [];
    for (const unsubscribe of [
      client.onJobChanges((jobs) => heard.push(jobs)),
      client.onVersionChange((loss) => heard.push(loss)),
      client.onWorkerFailure((error) => heard.push(error)),
      client.onUnsupported((reason) => heard.push(reason)),
    ]) {
      expect(() => unsubscribe()).not.toThrow();
    }
    expect(heard).toEqual([]);
  });
});
