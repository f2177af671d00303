import { afterEach, describe, expect, it } from 'vitest';
import { LOG_READ_LIMIT } from '../../src/client';
import { defineJobType } from '../../src/worker';
import { createHarness, type Harness } from '../helpers/harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('job logs', () => {
  it('a long log reads as its newest lines, oldest first: the ones that tell how the job ended', async () => {
    const chatty = defineJobType<{ lines: number }, null>({
      type: 'chatty',
      label: 'Chatty',
      async run(payload, ctx) {
        for (let i = 0; i < payload.lines; i++) await ctx.log(`line ${i}`);
        return null;
      },
    });
    harness = createHarness({ types: [chatty] });
    const long = await harness.client.enqueue('chatty', { lines: LOG_READ_LIMIT + 100 });
    const short = await harness.client.enqueue('chatty', { lines: 3 });
    await harness.client.waitFor(long.id);
    await harness.client.waitFor(short.id);

    const logs = await harness.client.logs(long.id);
    expect(logs).toHaveLength(LOG_READ_LIMIT);
    expect(logs[0]?.message).toBe('line 100');
    expect(logs.at(-1)?.message).toBe(`line ${LOG_READ_LIMIT + 99}`);
    expect((await harness.client.logs(short.id)).map((entry) => entry.message)).toEqual(['line 0', 'line 1', 'line 2']);
  });
});
