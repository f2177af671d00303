import { afterEach, describe, expect, it } from 'vitest';
import type { ErrandError } from '../../src/shared';
import { defineJobType, type AnyJobType } from '../../src/worker';
import { createHarness, type Harness } from '../helpers/harness';
import { untilJob } from '../helpers/wait';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A promise and the function that settles it. */
function opening(): { readonly opened: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * A job that starts a step, then writes a log line, then attaches a file, each only once the
 * test lets it go on: none of those writes changes the job's record.
 */
function journalWriter() {
  const gates = { step: opening(), log: opening(), file: opening(), end: opening() };
  const type = defineJobType<{ readonly n: number }, string>({
    type: 'journal-writer',
    label: 'Journal writer',
    async run(_payload, ctx) {
      await gates.step.opened;
      await ctx.step('long step', async () => {
        await gates.log.opened;
        await ctx.log('halfway');
        await gates.file.opened;
        await ctx.files.put('notes.txt', 'notes');
        await gates.end.opened;
      });
      return 'done';
    },
  });
  return { type: type as AnyJobType, gates };
}

/** Resolves once `count` changes have been told. */
function heard(told: { count: number }, count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (told.count >= count ? resolve() : setTimeout(check, 1));
    check();
  });
}

describe('watchJournal', () => {
  it("tells of a job's step starting, a log line and a file, which leave its record as it was, and of no other job's", async () => {
    const { type, gates } = journalWriter();
    harness = createHarness({ types: [type] });
    const { client } = harness;
    const job = await client.enqueue('journal-writer', { n: 1 });
    const other = await client.enqueue('journal-writer', { n: 2 });

    const mine = { count: 0 };
    const theirs = { count: 0 };
    const stopMine = client.watchJournal(job.id).subscribe(() => (mine.count += 1));
    const stopTheirs = client.watchJournal('no-such-job').subscribe(() => (theirs.count += 1));
    await untilJob(client, job.id, (record) => record.status === 'running');
    await untilJob(client, other.id, (record) => record.status === 'running');
    const record = await client.get(job.id);

    const seen = async (gate: { open(): void }, check: () => Promise<boolean>) => {
      const before = mine.count;
      gate.open();
      await heard(mine, before + 1);
      expect(await check()).toBe(true);
    };
    await seen(gates.step, async () => (await client.stepCounts(job.id)).running === 1);
    await seen(gates.log, async () => (await client.logs(job.id)).some((line) => line.message === 'halfway'));
    await seen(gates.file, async () => (await client.files(job.id)).length === 1);
    expect(theirs.count).toBe(0);
    // None of those writes changed the job's record, which is all that watchJob follows.
    expect(await client.get(job.id)).toEqual(record);

    stopMine();
    stopTheirs();
    const after = mine.count;
    gates.end.open();
    await client.waitFor(job.id);
    expect(mine.count).toBe(after);
  });

  it('tells a bad id to the error callback as invalid-input, and nothing else', async () => {
    harness = createHarness({ types: [journalWriter().type] });
    const told: unknown[] = [];
    const error = await new Promise<ErrandError>((resolve) => {
      harness?.client.watchJournal({} as unknown as string).subscribe(
        () => told.push('change'),
        (e) => resolve(e),
      );
    });
    expect(error).toMatchObject({ code: 'invalid-input' });
    expect(told).toEqual([]);
  });
});
