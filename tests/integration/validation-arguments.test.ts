import { afterEach, describe, expect, it } from 'vitest';
import type { JobRecord, WorkerApi } from '../../src/shared';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, createIdleHarness, type Harness } from '../helpers/harness';

/**
 * Every command of the worker API refuses an argument not of its documented form with
 * `invalid-input` (not retryable), in a message naming the argument, and changes nothing. The
 * commands are reached through Comlink, where their types promise nothing, so each is called here
 * with arguments of the wrong type and shape.
 */

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});

/** A runtime that is not the runner: nothing changes but by command. */
async function idleHarness(): Promise<Harness> {
  const harness = await createIdleHarness({ types: createFixtures().types });
  open.push(harness);
  return harness;
}

/** A runtime that runs jobs. */
function runningHarness(): Harness {
  const harness = createHarness({ types: createFixtures().types });
  open.push(harness);
  return harness;
}

/** Everything the database holds, table by table. */
async function contents(harness: Harness): Promise<Record<string, unknown[]>> {
  const db = harness.runtime.store.db;
  const out: Record<string, unknown[]> = {};
  for (const table of db.tables) out[table.name] = await table.toArray();
  return out;
}

type Call = (api: WorkerApi) => Promise<unknown>;
/** A call with wrong arguments, and what its refusal must name. */
type Case = readonly [label: string, call: Call, names: RegExp];

function cases(jobId: string, scheduleId: string): Record<string, readonly Case[]> {
  const api = (f: (api: Record<string, (...args: unknown[]) => Promise<unknown>>) => Promise<unknown>): Call => {
    return (worker) => f(worker as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>);
  };
  const ids = (command: string): readonly Case[] => [
    ['a number', api((w) => w[command]!(5)), /^ids must be a list of job ids/],
    ['nothing', api((w) => w[command]!()), /^ids must be a list of job ids/],
    ['one id, not in a list', api((w) => w[command]!(jobId)), /^ids must be a list of job ids/],
    ['an object', api((w) => w[command]!({})), /^ids must be a list of job ids/],
    ['a list with a number', api((w) => w[command]!([jobId, 7])), /^ids\[1\] must be a job id, not number 7/],
    ['a list with an empty id', api((w) => w[command]!([''])), /^ids\[0\] must be a job id, not an empty text/],
    ['a list with null', api((w) => w[command]!([null, jobId])), /^ids\[0\] must be a job id, not null/],
  ];
  const schedule = { type: 'sleep', cron: '0 9 * * *', payload: {} };
  return {
    enqueue: [
      ['nothing', api((w) => w['enqueue']!()), /^request must be an object/],
      ['a text', api((w) => w['enqueue']!('sleep')), /^request must be an object/],
      ['a list', api((w) => w['enqueue']!([{ type: 'sleep', payload: {} }])), /^request must be an object/],
      ['options a text', (w) => w.enqueue({ type: 'sleep', payload: {}, options: 'x' as never }), /^options must/],
      ['options a list', (w) => w.enqueue({ type: 'sleep', payload: {}, options: [] as never }), /^options must/],
      [
        'parentId a number',
        (w) => w.enqueue({ type: 'sleep', payload: {}, options: { parentId: 42 as never } }),
        /^parentId/,
      ],
      ['parentId empty', (w) => w.enqueue({ type: 'sleep', payload: {}, options: { parentId: '' } }), /^parentId/],
      [
        'dependsOn a text',
        (w) => w.enqueue({ type: 'sleep', payload: {}, options: { dependsOn: jobId as never } }),
        /^dependsOn/,
      ],
      [
        'dependsOn with an empty id',
        (w) => w.enqueue({ type: 'sleep', payload: {}, options: { dependsOn: [''] } }),
        /^dependsOn\[0\]/,
      ],
      ['rank a text', (w) => w.enqueue({ type: 'sleep', payload: {}, options: { rank: '1' as never } }), /^rank/],
    ],
    enqueueMany: [
      ['an object', api((w) => w['enqueueMany']!({})), /^requests must be a list/],
      ['a number', api((w) => w['enqueueMany']!(5)), /^requests must be a list/],
      ['nothing', api((w) => w['enqueueMany']!()), /^requests must be a list/],
      ['a list with a number', api((w) => w['enqueueMany']!([5])), /^requests\[0\] must be an object/],
      [
        'a list with null after a good request',
        api((w) => w['enqueueMany']!([{ type: 'sleep', payload: {} }, null])),
        /^requests\[1\] must be an object/,
      ],
      [
        'a good request and one with options a text',
        (w) =>
          w.enqueueMany([
            { type: 'sleep', payload: {} },
            { type: 'sleep', payload: {}, options: 'x' as never },
          ]),
        /^options must/,
      ],
    ],
    pause: ids('pause'),
    resume: ids('resume'),
    cancel: ids('cancel'),
    retry: ids('retry'),
    remove: ids('remove'),
    reprioritize: [
      ['id a number', api((w) => w['reprioritize']!(5, { priority: 'high' })), /^id must be a job id/],
      ['id empty', (w) => w.reprioritize('', { priority: 'high' }), /^id must be a job id/],
      ['no change', api((w) => w['reprioritize']!(jobId)), /^change must be an object/],
      ['change a text', api((w) => w['reprioritize']!(jobId, 'high')), /^change must be an object/],
      ['change a list', api((w) => w['reprioritize']!(jobId, [])), /^change must be an object/],
      ['change empty', (w) => w.reprioritize(jobId, {}), /^change must set priority, rank or both/],
      [
        'change of another kind',
        (w) => w.reprioritize(jobId, { type: 'cancel' } as never),
        /^change must set priority, rank or both/,
      ],
      ['unknown priority', (w) => w.reprioritize(jobId, { priority: 'urgent' as never }), /^Unknown priority "urgent"/],
      ['priority a number', (w) => w.reprioritize(jobId, { priority: 1 as never }), /^priority must be one of/],
      ['rank NaN', (w) => w.reprioritize(jobId, { rank: Number.NaN }), /^rank must be a finite number/],
      ['rank Infinity', (w) => w.reprioritize(jobId, { rank: Infinity }), /^rank must be a finite number/],
      ['rank a text', (w) => w.reprioritize(jobId, { rank: 'x' as never }), /^rank must be a finite number/],
      [
        'a good priority with a bad rank',
        (w) => w.reprioritize(jobId, { priority: 'high', rank: Number.NaN }),
        /^rank must be a finite number/,
      ],
    ],
    saveSchedule: [
      ['nothing', api((w) => w['saveSchedule']!()), /^request must be an object/],
      ['a text', api((w) => w['saveSchedule']!('0 9 * * *')), /^request must be an object/],
      ['timezone a number', (w) => w.saveSchedule({ ...schedule, timezone: 5 as never }), /^timezone/],
      ['type a number', (w) => w.saveSchedule({ ...schedule, type: 5 as never }), /^type must be a non-empty text/],
      ['type missing', api((w) => w['saveSchedule']!({ cron: '0 9 * * *', payload: {} })), /^type must be/],
      ['cron a number', (w) => w.saveSchedule({ ...schedule, cron: 5 as never }), /^cron must be a cron pattern/],
      ['cron missing', api((w) => w['saveSchedule']!({ type: 'sleep', payload: {} })), /^cron must be/],
      ['label a number', (w) => w.saveSchedule({ ...schedule, label: 5 as never }), /^label/],
      ['enabled a text', (w) => w.saveSchedule({ ...schedule, enabled: 'yes' as never }), /^enabled/],
      ['unknown priority', (w) => w.saveSchedule({ ...schedule, priority: 'urgent' as never }), /priority "urgent"/],
      ['maxAttempts a text', (w) => w.saveSchedule({ ...schedule, maxAttempts: '3' as never }), /^maxAttempts/],
      ['id a number', (w) => w.saveSchedule({ ...schedule, id: 5 as never }), /schedule id/],
    ],
    setScheduleEnabled: [
      ['id a number', api((w) => w['setScheduleEnabled']!(5, true)), /schedule id/],
      ['enabled a text', api((w) => w['setScheduleEnabled']!(scheduleId, 'no')), /^enabled/],
      ['enabled missing', api((w) => w['setScheduleEnabled']!(scheduleId)), /^enabled/],
    ],
    removeSchedule: [
      ['id a number', api((w) => w['removeSchedule']!(5)), /schedule id/],
      ['id empty', (w) => w.removeSchedule(''), /schedule id/],
      ['a list', api((w) => w['removeSchedule']!([scheduleId])), /schedule id/],
    ],
    runScheduleNow: [
      ['id a number', api((w) => w['runScheduleNow']!(5)), /schedule id/],
      ['id an object', api((w) => w['runScheduleNow']!({ id: scheduleId })), /schedule id/],
    ],
    previewSchedule: [
      ['cron a number', api((w) => w['previewSchedule']!(5)), /^cron must be a cron pattern/],
      ['cron missing', api((w) => w['previewSchedule']!()), /^cron must be a cron pattern/],
      ['timezone a number', api((w) => w['previewSchedule']!('0 9 * * *', 5)), /^timezone/],
      ['count a text', api((w) => w['previewSchedule']!('0 9 * * *', undefined, '3')), /^count/],
    ],
    getSetting: [
      ['key an object', api((w) => w['getSetting']!({})), /^key must be a non-empty text/],
      ['key a number', api((w) => w['getSetting']!(5)), /^key must be a non-empty text/],
      ['key empty', (w) => w.getSetting(''), /^key must be a non-empty text/],
    ],
    putSetting: [
      ['key an object', api((w) => w['putSetting']!({}, 1)), /^key must be a non-empty text/],
      ['key missing', api((w) => w['putSetting']!()), /^key must be a non-empty text/],
    ],
    putSettings: [
      ['missing', api((w) => w['putSettings']!()), /^settings must be an object/],
      ['a list', api((w) => w['putSettings']!([['kept', 2]])), /^settings must be an object/],
      ['empty', (w) => w.putSettings({}), /^settings must hold at least one setting/],
      ['one key empty', (w) => w.putSettings({ kept: { n: 2 }, '': 1 }), /^key must be a non-empty text/],
      [
        'one value refused',
        (w) => w.putSettings({ kept: { n: 2 }, limits: { concurrency: -1 } }),
        /^limits\.concurrency /,
      ],
    ],
  };
}

/** Commands that take no arguments: nothing to refuse. */
const WITHOUT_ARGUMENTS = ['jobTypes', 'testAiConnection', 'status', 'onIdle'];

describe('every worker command refuses arguments of the wrong form', () => {
  it('with invalid-input naming the argument, not retryable, and nothing stored or changed', async () => {
    const harness = await idleHarness();
    const job = await harness.client.enqueue('sleep', { value: 1 }, { priority: 'normal', rank: 10 });
    const saved = await harness.client.saveSchedule({ type: 'sleep', cron: '0 9 * * *', payload: {} });
    await harness.client.putSetting('kept', { n: 1 });
    const table = cases(job.id, saved.id);
    // Every method of the API is covered, or takes no arguments.
    expect(Object.keys(harness.runtime.api).sort()).toEqual([...Object.keys(table), ...WITHOUT_ARGUMENTS].sort());

    const before = await contents(harness);
    for (const [method, rows] of Object.entries(table)) {
      for (const [label, call, names] of rows) {
        const result = (await call(harness.runtime.api)) as { ok: boolean; error?: Record<string, unknown> };
        const where = `${method}: ${label}`;
        expect(result.ok, where).toBe(false);
        expect(result.error, where).toMatchObject({
          name: 'InvalidInputError',
          code: 'invalid-input',
          retryable: false,
        });
        expect(result.error?.['message'], where).toMatch(names);
        expect(await contents(harness), where).toEqual(before);
      }
    }
  });

  it('through the client: the reported calls are refused as invalid-input', async () => {
    const harness = await idleHarness();
    const { client } = harness;
    const job = await client.enqueue('sleep', {});
    const before = await contents(harness);
    const refused = { name: 'InvalidInputError', code: 'invalid-input', retryable: false };
    await expect(
      client.saveSchedule({ type: 'sleep', cron: '0 9 * * *', timezone: 5 as never, payload: 1 }),
    ).rejects.toMatchObject({ ...refused, message: expect.stringMatching(/^timezone/) });
    for (const many of ['pauseMany', 'resumeMany', 'cancelMany', 'retryMany', 'removeMany'] as const) {
      await expect(client[many](5 as never), many).rejects.toMatchObject({
        ...refused,
        message: expect.stringMatching(/^ids/),
      });
    }
    await expect(client.enqueueMany({} as never)).rejects.toMatchObject({
      ...refused,
      message: expect.stringMatching(/^requests/),
    });
    await expect(client.pause(42 as never)).rejects.toMatchObject({ ...refused, message: /^ids\[0\]/ });
    await expect(client.reprioritize(job.id, { priority: 'urgent' as never })).rejects.toMatchObject({
      ...refused,
      message: 'Unknown priority "urgent"',
    });
    expect(await contents(harness)).toEqual(before);
  });
});

describe('reprioritize', () => {
  it('a refused change leaves the job as it was', async () => {
    const harness = await idleHarness();
    const { client } = harness;
    const job = await client.enqueue('sleep', { value: 'ran' }, { priority: 'low', rank: 3 });
    for (const change of [{ rank: Number.NaN }, { rank: Infinity }, { priority: 'urgent' }, { rank: 'x' }, {}]) {
      await expect(client.reprioritize(job.id, change as never), JSON.stringify(change)).rejects.toMatchObject({
        code: 'invalid-input',
      });
    }
    expect(await client.get(job.id)).toMatchObject({ priority: 'low', rank: 3, status: 'queued' });
  });

  it('a job whose change was refused is still claimed and completes', async () => {
    const harness = runningHarness();
    const { client } = harness;
    await harness.runtime.becameRunner;
    await expect(client.reprioritize('no-such-job', { rank: Number.NaN })).rejects.toMatchObject({
      code: 'invalid-input',
    });
    const job = await client.enqueue('sleep', { value: 'ran' });
    await expect(client.reprioritize(job.id, { rank: Number.NaN })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(await client.waitFor(job.id)).toMatchObject({ status: 'completed', result: 'ran' });
  });

  it('sets only priority and rank: the rest of the change object is not part of the command', async () => {
    const harness = await idleHarness();
    const { client } = harness;
    const job = await client.enqueue('sleep', {}, { priority: 'normal', rank: 10 });
    const changed = await client.reprioritize(job.id, {
      rank: 4,
      type: 'cancel',
      status: 'completed',
    } as never);
    expect(changed).toMatchObject({ status: 'queued', priority: 'normal', rank: 4 });
    expect(await client.get(job.id)).toMatchObject({ status: 'queued', priority: 'normal', rank: 4 });
    expect(await client.reprioritize(job.id, { priority: 'high' })).toMatchObject({ priority: 'high', rank: 4 });
  });
});

describe('enqueue options', () => {
  it('options must be an object and parentId a job id; nothing is stored', async () => {
    const harness = await idleHarness();
    const { client } = harness;
    for (const options of ['not options', [], 5, null]) {
      await expect(client.enqueue('sleep', {}, options as never), JSON.stringify(options)).rejects.toMatchObject({
        code: 'invalid-input',
        message: expect.stringMatching(/^options must be an object/),
      });
    }
    for (const parentId of [42, '', {}, null]) {
      await expect(client.enqueue('sleep', {}, { parentId } as never), JSON.stringify(parentId)).rejects.toMatchObject({
        code: 'invalid-input',
        message: expect.stringMatching(/^parentId must be a job id/),
      });
    }
    await expect(client.enqueue('sleep', {}, { dependsOn: [''] })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(await client.count()).toBe(0);
  });

  it('a parentId of the right form is stored as given, whether or not that job exists', async () => {
    const harness = await idleHarness();
    const { client } = harness;
    const parent = await client.enqueue('sleep', {});
    const child = await client.enqueue('sleep', {}, { parentId: parent.id });
    const orphan = await client.enqueue('sleep', {}, { parentId: 'no-such-parent' });
    expect(((await client.get(child.id)) as JobRecord).parentId).toBe(parent.id);
    expect(((await client.get(orphan.id)) as JobRecord).parentId).toBe('no-such-parent');
    expect(await client.enqueue('sleep', {}, undefined)).toMatchObject({ status: 'queued' });
  });
});

describe('the reads a page makes itself', () => {
  it('refuse a query or an id not of the documented form, instead of matching nothing or failing as storage', async () => {
    const { client } = runningHarness();
    await client.enqueue('sleep', {});
    const refused = async (read: () => Promise<unknown>, message: string) =>
      expect(read()).rejects.toMatchObject({ code: 'invalid-input', retryable: false, message });
    const bad = <T>(value: unknown) => value as T;
    await refused(() => client.list({ status: bad('bogus') }), 'Unknown job status "bogus"');
    await refused(() => client.count({ status: bad('bogus') }), 'Unknown job status "bogus"');
    await refused(() => client.list(bad('queued')), 'A job query must be an object');
    await refused(() => client.list({ limit: -1 }), 'limit must be a whole number of at least 0');
    await refused(() => client.list({ offset: 1.5 }), 'offset must be a whole number of at least 0');
    await refused(() => client.list({ type: bad(5) }), 'type must be a job type name');
    await refused(() => client.listKeys({ status: bad('bogus') }, 10), 'Unknown job status "bogus"');
    await refused(() => client.get(bad({})), 'id must be a job id, not an object');
    await refused(() => client.getMany(bad('x')), 'ids must be a list of job ids, not a text');
    await refused(() => client.getMany(['ok', bad(7)]), 'ids[1] must be a job id, not number 7');
    // The documented forms still read.
    expect(await client.list({ status: 'queued', limit: 0 })).toEqual([]);
    expect(await client.count()).toBe(1);
    expect(await client.get('no-such-job')).toBeUndefined();
  });
});

describe('the limits setting', () => {
  it('is refused unless each field is a whole number in its range, and nothing is stored', async () => {
    const { client } = runningHarness();
    for (const [limits, message] of [
      [{ concurrency: -5 }, 'limits.concurrency must be a whole number from 1 to 32, not number -5'],
      [{ concurrency: 33 }, 'limits.concurrency must be a whole number from 1 to 32, not number 33'],
      [{ concurrency: 2.5 }, 'limits.concurrency must be a whole number from 1 to 32, not number 2.5'],
      [{ aiRequestsPerMinute: 'lots' }, 'limits.aiRequestsPerMinute must be a whole number from 1 to 10,000'],
      [{ speed: 3 }, 'limits has no field "speed"'],
      ['fast', 'limits must be an object'],
    ] as const) {
      await expect(client.putSetting('limits', limits)).rejects.toMatchObject({
        code: 'invalid-input',
        message: expect.stringContaining(message) as unknown,
      });
    }
    expect(await client.getSetting('limits')).toBeUndefined();
    expect(await client.putSetting('limits', { concurrency: 32, aiRequestsPerMinute: 10_000 })).toEqual({
      concurrency: 32,
      aiRequestsPerMinute: 10_000,
    });
  });
});
