import { afterEach, describe, expect, it } from 'vitest';
import { defineJobType, type AnyJobType } from '../../src/worker';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const MINUTE = 60_000;
const NOON = Date.UTC(2026, 0, 1, 12, 0);

const cached = defineJobType<{ text: string }, string>({
  type: 'cached',
  label: 'Cached',
  cache: {},
  async run(payload) {
    return payload.text.toUpperCase();
  },
}) as AnyJobType;

describe('completions per minute', () => {
  it('counts every completion in the minute it happened: a burst in full, failures and cancels not at all', async () => {
    const clock = new ManualClock(NOON + 30_000);
    const { types, probe } = createFixtures();
    harness = createHarness({ types: [...types, cached], clock, concurrency: 50 });
    const { client } = harness;
    expect(await client.completionsPerMinute()).toEqual([]);

    // More than a page of recent jobs would show: 300 at once.
    const burst = await client.enqueueMany(Array.from({ length: 300 }, () => ({ type: 'sleep', payload: {} })));
    const failing = await client.enqueue('fail-n-times', { failures: 5, kind: 'permanent' });
    const held = await client.enqueue('sleep', { key: 'held' });
    for (const job of burst) await client.waitFor(job.id);
    expect(await client.waitFor(failing.id)).toMatchObject({ status: 'failed' });
    await client.cancel(held.id);
    expect(await client.completionsPerMinute()).toEqual([{ minute: NOON, count: 300 }]);

    // Enqueued in one minute, completed three minutes later: it counts where it completed.
    await probe.gate.whenReached('sleep:held');
    const late = await client.enqueue('sleep', { key: 'late' });
    await probe.gate.whenReached('sleep:late');
    clock.advance(3 * MINUTE);
    probe.gate.open('sleep:late');
    await client.waitFor(late.id);
    // A job completed from the cache at enqueue counts too.
    await client.waitFor((await client.enqueue('cached', { text: 'soup' })).id);
    expect(await client.enqueue('cached', { text: 'soup' })).toMatchObject({ cacheHit: true });
    expect(await client.completionsPerMinute()).toEqual([
      { minute: NOON, count: 300 },
      { minute: NOON + 3 * MINUTE, count: 3 },
    ]);

    // An hour after the first, the tally keeps the last 60 minutes: the first is dropped.
    clock.advance(59 * MINUTE);
    await client.waitFor((await client.enqueue('sleep', {})).id);
    expect(await client.completionsPerMinute()).toEqual([
      { minute: NOON + 3 * MINUTE, count: 3 },
      { minute: NOON + 62 * MINUTE, count: 1 },
    ]);
  });
});
