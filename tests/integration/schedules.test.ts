import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, freshDbName, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { MemoryLock } from '../helpers/memory-lock';
import type { JobRecord } from '../../src/shared';

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The manual clock starts at 2026-01-01 00:00 UTC. */
const START = Date.UTC(2026, 0, 1);

function start(options: { dbName?: string; lock?: MemoryLock; clock?: ManualClock; strict?: boolean } = {}) {
  const { types } = createFixtures(
    undefined,
    options.strict
      ? {
          sleep: {
            parse: () => {
              throw new Error('this payload is no longer accepted');
            },
          },
        }
      : {},
  );
  const harness = createHarness({
    types,
    ...(options.dbName ? { dbName: options.dbName } : {}),
    ...(options.lock ? { lock: options.lock } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  open.push(harness);
  return harness;
}

async function jobsOf(harness: Harness): Promise<JobRecord[]> {
  return (await harness.client.list({ limit: 1000 })).sort((a, b) => a.createdAt - b.createdAt);
}

describe('schedules', () => {
  it('enqueue their job at each run of the pattern, once, and say when they run next', async () => {
    const harness = start();
    const clock = harness.clock as ManualClock;
    await harness.runtime.becameRunner;
    const schedule = await harness.client.saveSchedule({
      type: 'sleep',
      cron: '0 * * * *',
      timezone: 'UTC',
      payload: { value: 'synced' },
      label: 'Hourly sync',
    });
    expect(schedule).toMatchObject({
      type: 'sleep',
      cron: '0 * * * *',
      timezone: 'UTC',
      label: 'Hourly sync',
      enabled: true,
      nextRunAt: START + HOUR,
      runs: 0,
    });
    expect(await harness.client.schedules()).toEqual([schedule]);

    clock.advance(HOUR - 1);
    await harness.client.onIdle();
    expect(await jobsOf(harness)).toEqual([]);

    clock.advance(1);
    await vi.waitFor(async () => expect(await jobsOf(harness)).toHaveLength(1));
    const [job] = await jobsOf(harness);
    expect(job).toMatchObject({ type: 'sleep', label: 'Hourly sync', payload: { value: 'synced' } });
    expect(await harness.client.waitFor(job?.id as string)).toMatchObject({ status: 'completed', result: 'synced' });
    await vi.waitFor(async () =>
      expect((await harness.client.schedules())[0]).toMatchObject({
        runs: 1,
        lastRunAt: START + HOUR,
        lastJobId: job?.id,
        nextRunAt: START + 2 * HOUR,
      }),
    );

    clock.advance(HOUR);
    await vi.waitFor(async () => expect(await jobsOf(harness)).toHaveLength(2));
    await harness.client.onIdle();
    expect((await harness.client.schedules())[0]).toMatchObject({ runs: 2, nextRunAt: START + 3 * HOUR });
  });

  it('refuses a pattern, time zone, job type or payload that cannot be used, with its code, and stores nothing', async () => {
    const harness = start();
    const base = { type: 'sleep', cron: '0 9 * * *', payload: {} };
    const refusals: [unknown, string, RegExp][] = [
      [{ ...base, cron: '' }, 'invalid-input', /needs a cron pattern/],
      [{ ...base, cron: '61 * * * *' }, 'invalid-input', /is not a cron pattern: Invalid value for minute: 61/],
      [{ ...base, cron: 'every day' }, 'invalid-input', /is not a cron pattern/],
      [
        { ...base, cron: ' bad ' },
        'invalid-input',
        /^"bad" is not a cron pattern: write five fields separated by spaces \(minute, hour, day of month, month, day of week\), such as "0 9 \* \* \*"; a sixth in front gives seconds, a seventh at the end years$/,
      ],
      [{ ...base, cron: '* * * * * *' }, 'invalid-input', /runs 1 s apart; a schedule may run at most once every 10 s/],
      [{ ...base, cron: '0 0 0 1 1 * 2020' }, 'invalid-input', /never runs after now/],
      [
        { ...base, timezone: 'Mars/Olympus' },
        'invalid-input',
        /^"Mars\/Olympus" is not a time zone; use a name such as Europe\/Paris or UTC$/,
      ],
      [{ ...base, type: 'no-such-type' }, 'unknown-job-type', /no-such-type/],
      [{ ...base, payload: { run: () => 1 } }, 'data-clone', /payload/],
      [{ ...base, maxAttempts: 0 }, 'invalid-input', /maxAttempts/],
      [{ ...base, enabled: 'yes' }, 'invalid-input', /enabled must be true or false/],
      [{ ...base, id: 42 }, 'invalid-input', /schedule id/],
    ];
    for (const [request, code, message] of refusals) {
      const error = await harness.client.saveSchedule(request as never).then(
        () => undefined,
        (refusal: unknown) => refusal as { code: string; message: string },
      );
      expect(error, JSON.stringify(request)).toMatchObject({ code });
      expect(error?.message).toMatch(message);
    }
    expect(await harness.client.schedules()).toEqual([]);
    await expect(harness.client.setScheduleEnabled('nope', false)).rejects.toMatchObject({ code: 'not-found' });
    await expect(harness.client.removeSchedule('nope')).rejects.toMatchObject({ code: 'not-found' });
    await expect(harness.client.runScheduleNow('nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('previews the next runs of a pattern in its time zone, or says why it cannot be used', async () => {
    const harness = start();
    expect(await harness.client.previewSchedule('0 9 * * 1', 'Europe/Paris')).toEqual([
      Date.UTC(2026, 0, 5, 8),
      Date.UTC(2026, 0, 12, 8),
      Date.UTC(2026, 0, 19, 8),
    ]);
    expect(await harness.client.previewSchedule('*/30 * * * *', 'UTC', 2)).toEqual([START + 30 * MINUTE, START + HOUR]);
    await expect(harness.client.previewSchedule('*/5 * * * * *', 'UTC')).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/runs 5 s apart/),
    });
    await expect(harness.client.previewSchedule('0 9 * * *', 'UTC', 11)).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it('a schedule due several times while no tab was open runs once when the app opens again', async () => {
    const dbName = freshDbName();
    const clock = new ManualClock();
    const first = start({ dbName, clock });
    await first.runtime.becameRunner;
    await first.client.saveSchedule({ type: 'sleep', cron: '*/15 * * * *', timezone: 'UTC', payload: {} });
    await first.close();
    open.splice(open.indexOf(first), 1);

    clock.advance(2 * HOUR + 5 * MINUTE);
    const second = start({ dbName, clock });
    await second.runtime.becameRunner;
    await vi.waitFor(async () => expect(await jobsOf(second)).toHaveLength(1));
    await second.client.onIdle();
    expect(await jobsOf(second)).toHaveLength(1);
    expect((await second.client.schedules())[0]).toMatchObject({
      runs: 1,
      lastRunAt: START + 2 * HOUR + 5 * MINUTE,
      nextRunAt: START + 2 * HOUR + 15 * MINUTE,
    });
  });

  it('a catch-up run is followed by the next run no sooner than the least gap, and a zone is stored as the browser spells it', async () => {
    const dbName = freshDbName();
    const clock = new ManualClock();
    const first = start({ dbName, clock });
    await first.runtime.becameRunner;
    const saved = await first.client.saveSchedule({
      type: 'sleep',
      cron: '*/10 * * * * *',
      timezone: 'europe/paris',
      payload: {},
    });
    expect(saved.timezone).toBe('Europe/Paris');
    await first.close();
    open.splice(open.indexOf(first), 1);

    // Reopened 2 s before a ten-second mark, long after the last run.
    clock.advance(HOUR + 8_000);
    const second = start({ dbName, clock });
    await second.runtime.becameRunner;
    await vi.waitFor(async () => expect((await second.client.schedules())[0]?.runs).toBe(1));
    expect((await second.client.schedules())[0]?.nextRunAt).toBe(START + HOUR + 20_000);
    clock.advance(2_000);
    await second.client.onIdle();
    expect(await jobsOf(second)).toHaveLength(1);
    clock.advance(10_000);
    await vi.waitFor(async () => expect(await jobsOf(second)).toHaveLength(2));
  });

  it('two runtimes, one of them a runner that lost its lock and still runs, enqueue each run once', async () => {
    const dbName = freshDbName();
    const clock = new ManualClock();
    const lock = new MemoryLock();
    const first = start({ dbName, clock, lock });
    await first.runtime.becameRunner;
    await first.client.saveSchedule({ id: 'sync', type: 'sleep', cron: '*/10 * * * *', timezone: 'UTC', payload: {} });
    // The first tab's lock is freed as if it died, but its code goes on: both schedulers are active.
    first.crash();
    const second = start({ dbName, clock, lock });
    await second.runtime.becameRunner;

    for (let run = 1; run <= 5; run++) {
      clock.advance(10 * MINUTE);
      await vi.waitFor(async () => expect((await second.client.schedules())[0]?.runs).toBe(run));
    }
    await second.client.onIdle();
    const jobs = await jobsOf(second);
    expect(jobs).toHaveLength(5);
    expect(new Set(jobs.map((job) => job.createdAt)).size).toBe(5);
  });

  it('off, it enqueues nothing; on again, it runs from its next time; removed, its jobs stay', async () => {
    const harness = start();
    const clock = harness.clock as ManualClock;
    await harness.runtime.becameRunner;
    const { id } = await harness.client.saveSchedule({
      type: 'sleep',
      cron: '0 * * * *',
      timezone: 'UTC',
      payload: {},
    });

    const off = await harness.client.setScheduleEnabled(id, false);
    expect(off.enabled).toBe(false);
    expect(off.nextRunAt).toBeUndefined();
    clock.advance(3 * HOUR + 30 * MINUTE);
    await harness.client.onIdle();
    expect(await jobsOf(harness)).toEqual([]);

    const on = await harness.client.setScheduleEnabled(id, true);
    expect(on).toMatchObject({ enabled: true, nextRunAt: START + 4 * HOUR });
    const now = await harness.client.runScheduleNow(id);
    expect(now.status).not.toBe('failed');
    // Counted as one of its runs; its next run stays as it was.
    expect((await harness.client.schedules())[0]).toMatchObject({
      nextRunAt: START + 4 * HOUR,
      runs: 1,
      lastJobId: now.id,
      lastRunAt: START + 3 * HOUR + 30 * MINUTE,
    });
    clock.advance(30 * MINUTE);
    await vi.waitFor(async () => expect(await jobsOf(harness)).toHaveLength(2));

    await harness.client.removeSchedule(id);
    expect(await harness.client.schedules()).toEqual([]);
    clock.advance(HOUR);
    await harness.client.onIdle();
    expect(await jobsOf(harness)).toHaveLength(2);
  });

  it('saving under the id of a stored schedule changes it and keeps its count', async () => {
    const harness = start();
    const clock = harness.clock as ManualClock;
    await harness.runtime.becameRunner;
    await harness.client.saveSchedule({
      id: 'nightly',
      type: 'sleep',
      cron: '0 * * * *',
      timezone: 'UTC',
      payload: {},
    });
    clock.advance(HOUR);
    await vi.waitFor(async () => expect((await harness.client.schedules())[0]?.runs).toBe(1));
    const changed = await harness.client.saveSchedule({
      id: 'nightly',
      type: 'sleep',
      cron: '30 2 * * *',
      timezone: 'Europe/Paris',
      payload: { value: 2 },
    });
    // 02:30 in Paris is 01:30 UTC in winter.
    expect(changed).toMatchObject({ id: 'nightly', runs: 1, createdAt: START, nextRunAt: START + HOUR + 30 * MINUTE });
    expect(await harness.client.schedules()).toHaveLength(1);
  });

  it('a run whose payload the job type no longer accepts enqueues nothing and says why, and the schedule goes on', async () => {
    const dbName = freshDbName();
    const clock = new ManualClock();
    const lock = new MemoryLock();
    const first = start({ dbName, clock, lock });
    await first.runtime.becameRunner;
    await first.client.saveSchedule({ type: 'sleep', cron: '0 * * * *', timezone: 'UTC', payload: { value: 1 } });
    await first.close();
    open.splice(open.indexOf(first), 1);

    const stricter = start({ dbName, clock, lock, strict: true });
    await stricter.runtime.becameRunner;
    clock.advance(HOUR);
    await vi.waitFor(async () =>
      expect((await stricter.client.schedules())[0]).toMatchObject({
        runs: 0,
        lastRunAt: START + HOUR,
        nextRunAt: START + 2 * HOUR,
        lastError: { code: 'invalid-payload', message: expect.stringMatching(/no longer accepted/) },
      }),
    );
    expect(await jobsOf(stricter)).toEqual([]);
  });

  it('across daylight-saving changes, a daily run comes once a day and an hourly one once each real hour', async () => {
    // Berlin: on 29 March 2026 clocks go from 02:00 to 03:00; on 25 October from 03:00 back to 02:00.
    const clock = new ManualClock(Date.UTC(2026, 2, 28, 12));
    const harness = start({ clock });
    await harness.runtime.becameRunner;
    const runsOf = async (label: string) =>
      (await jobsOf(harness)).filter((job) => job.label === label).map((job) => job.createdAt);
    /** Moves the clock to each due run in turn, until `until`, letting each one enqueue. */
    const runUntil = async (until: number) => {
      for (;;) {
        const next = Math.min(...(await harness.client.schedules()).map((s) => s.nextRunAt ?? Infinity));
        if (next > until) break;
        clock.advance(next - clock.now());
        await vi.waitFor(async () =>
          expect(Math.min(...(await harness.client.schedules()).map((s) => s.nextRunAt ?? Infinity))).toBeGreaterThan(
            next,
          ),
        );
      }
      clock.advance(until - clock.now());
    };
    for (const [label, cron] of [
      ['daily', '30 2 * * *'],
      ['hourly', '0 * * * *'],
    ] as const) {
      await harness.client.saveSchedule({
        type: 'sleep',
        cron,
        timezone: 'Europe/Berlin',
        payload: { value: 1 },
        label,
      });
    }

    await runUntil(Date.UTC(2026, 2, 30, 12));
    // 02:30 does not exist on the 29th: that day's run is at 03:00 local (01:00 UTC), and only then.
    expect(await runsOf('daily')).toEqual([Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 2, 30, 0, 30)]);
    const springHours = await runsOf('hourly');
    expect(springHours).toHaveLength(48);
    expect(new Set(springHours).size).toBe(48);
    expect(springHours.every((at, i) => i === 0 || at - (springHours[i - 1] as number) === HOUR)).toBe(true);

    const hourly = (await harness.client.schedules()).find((schedule) => schedule.label === 'hourly');
    await harness.client.setScheduleEnabled(hourly?.id as string, false);
    clock.advance(Date.UTC(2026, 9, 24, 12) - clock.now());
    // Months without a tab open: one catch-up run, then the schedule goes on from here.
    await vi.waitFor(async () =>
      expect((await harness.client.schedules()).find((schedule) => schedule.label === 'daily')?.nextRunAt).toBe(
        Date.UTC(2026, 9, 25, 0, 30),
      ),
    );
    const before = (await runsOf('daily')).length;
    await runUntil(Date.UTC(2026, 9, 26, 12));
    // 02:30 comes twice on the 25th; the daily run comes at the first of them only.
    expect((await runsOf('daily')).slice(before)).toEqual([Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 9, 26, 1, 30)]);
  });
});
