import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { Gate } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import type { JobRecord } from '../../src/shared';
import type { AnyJobType, JobContext } from '../../src/worker';
import {
  csvCategorization,
  type CsvCategorizationResult,
  type CsvCategorizationState,
} from '../../src/worker/handlers/csv-categorization';

const rules = [
  { category: 'Income', match: 'regex', pattern: '^SALARY' },
  { category: 'Groceries', match: 'regex', pattern: 'TESCO|LIDL' },
  { category: 'Transport', match: 'substring', pattern: 'uber' },
] as const;
const merchants = ['TESCO STORES', 'LIDL GB', 'UBER *TRIP', 'SALARY ACME', 'CORNER SHOP'];
const expectedCategory = ['Groceries', 'Groceries', 'Transport', 'Income', 'Other'];

/** A statement of `rows` data rows; every 997th row has an amount that is not a number. */
function statement(rows: number): string {
  const lines = ['Date,Description,Amount,Currency'];
  for (let i = 0; i < rows; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const amount = i % 997 === 500 ? 'n/a' : (i % 5 === 3 ? 2500 : -((i % 50) + 1) / 4).toFixed(2);
    lines.push(`2025-03-${day},${merchants[i % 5]} ${i},${amount},GBP`);
  }
  return lines.join('\n');
}

/** Counts step-body executions per batch and can hold the handler at one place, once. */
class BatchProbe {
  readonly executions = new Map<string, number>();
  readonly gate = new Gate();
  handlerStarts = 0;
  private held = false;

  constructor(
    private readonly hold?: { readonly where: 'before-checkpoint' | 'after-checkpoint'; readonly batch: number },
  ) {}

  /** The real job type, with its context observed. */
  type(): AnyJobType {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapped handler reports into this probe
    const probe = this;
    return {
      ...csvCategorization,
      run(payload, ctx) {
        probe.handlerStarts += 1;
        const context = ctx as JobContext<CsvCategorizationState>;
        const observed: JobContext<CsvCategorizationState> = {
          ...context,
          step: (name, fn) =>
            context.step(name, () => {
              probe.executions.set(name, (probe.executions.get(name) ?? 0) + 1);
              return fn();
            }),
          checkpoint: async (state) => {
            if (probe.shouldHold('before-checkpoint', state)) await probe.gate.wait('hold', context.signal);
            await context.checkpoint(state);
            if (probe.shouldHold('after-checkpoint', state)) await probe.gate.wait('hold', context.signal);
          },
        };
        return csvCategorization.run(payload as Parameters<typeof csvCategorization.run>[0], observed);
      },
    };
  }

  private shouldHold(where: string, state: CsvCategorizationState): boolean {
    if (this.held || !this.hold || this.hold.where !== where || state.nextBatch !== this.hold.batch) return false;
    this.held = true;
    return true;
  }
}

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

function start(types: AnyJobType[], from?: Harness): Harness {
  const harness = createHarness(from ? { types, dbName: from.dbName, lock: from.lock } : { types });
  harnesses.push(harness);
  return harness;
}

async function categorizedRows(harness: Harness, job: JobRecord): Promise<string[][]> {
  const files = await harness.client.files(job.id);
  expect(files.map((f) => [f.name, f.mimeType])).toEqual([['categorized.csv', 'text/csv']]);
  const text = await (files[0] as { blob: Blob }).blob.text();
  return Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' }).data;
}

function expectCorrect(rows: string[][], count: number): void {
  const [header, ...data] = rows;
  expect(header).toEqual(['Date', 'Description', 'Amount', 'Currency', 'Category']);
  const readable = Array.from({ length: count }, (_, i) => i).filter((i) => i % 997 !== 500);
  expect(data).toHaveLength(readable.length);
  data.forEach((row, index) => {
    const i = readable[index] as number;
    expect(row[1]).toBe(`${merchants[i % 5]} ${i}`);
    expect(row[4]).toBe(expectedCategory[i % 5]);
  });
}

const payloadOf = (csv: string | Blob) => ({ fileName: 'march.csv', csv, rules, defaultCategory: 'Other' });

describe('csv_categorization', () => {
  it('categorizes a few thousand rows in batches of 100 and attaches the CSV', async () => {
    const probe = new BatchProbe();
    const harness = start([probe.type()]);
    const job = await harness.client.enqueue('csv_categorization', payloadOf(statement(2345)));
    expect(job.label).toBe('Categorize march.csv');

    const done = await harness.client.waitFor(job.id);
    expect(done.status).toBe('completed');
    const result = done.result as CsvCategorizationResult;
    expect(result).toMatchObject({ fileName: 'march.csv', rows: 2345, categorized: 2343, unreadableCount: 2 });
    expect(result.unreadable).toEqual([
      { line: 502, reason: '"n/a" is not an amount' },
      { line: 1499, reason: '"n/a" is not an amount' },
    ]);
    expect(result.categories.map((c) => [c.category, c.currency, c.count])).toEqual([
      ['Income', 'GBP', 469],
      ['Groceries', 'GBP', 937],
      ['Transport', 'GBP', 468],
      ['Other', 'GBP', 469],
    ]);
    expect(result.categories[0]?.total).toBe(469 * 2500);
    expectCorrect(await categorizedRows(harness, done), 2345);

    const steps = await harness.client.steps(job.id);
    expect(steps).toHaveLength(24);
    expect(steps.every((s) => s.status === 'completed' && s.runs === 1)).toBe(true);
    expect([...probe.executions.values()].every((n) => n === 1)).toBe(true);
  });

  it('accepts the statement as a Blob', async () => {
    const harness = start([csvCategorization]);
    const job = await harness.client.enqueue(
      'csv_categorization',
      payloadOf(new Blob([statement(250)], { type: 'text/csv' })),
    );
    const done = await harness.client.waitFor(job.id);
    expect(done).toMatchObject({ status: 'completed', result: { rows: 250, unreadableCount: 0 } });
    expectCorrect(await categorizedRows(harness, done), 250);
  });

  it('pauses mid-file and resumes from the last finished batch', async () => {
    const probe = new BatchProbe({ where: 'after-checkpoint', batch: 12 });
    const harness = start([probe.type()]);
    const job = await harness.client.enqueue('csv_categorization', payloadOf(statement(3000)));
    await probe.gate.whenReached('hold');

    const paused = await harness.client.pause(job.id);
    expect(paused.status).toBe('paused');
    await harness.client.onIdle();
    expect((await harness.client.get(job.id))?.checkpoint).toMatchObject({ nextBatch: 12 });
    expect(probe.executions.size).toBe(12);

    await harness.client.resume(job.id);
    const done = await harness.client.waitFor(job.id);
    expect(done.status).toBe('completed');
    expect(probe.handlerStarts).toBe(2);
    expect(probe.executions.size).toBe(30);
    expect([...probe.executions.values()].every((n) => n === 1)).toBe(true);
    expect(done.result).toMatchObject({ rows: 3000, categorized: 2997 });
    expectCorrect(await categorizedRows(harness, done), 3000);
  });

  it('after a crash between a batch and its checkpoint, resumes without running that batch again', async () => {
    const probe = new BatchProbe({ where: 'before-checkpoint', batch: 17 });
    const types = [probe.type()];
    const first = start(types);
    const job = await first.client.enqueue('csv_categorization', payloadOf(statement(2500)));
    await probe.gate.whenReached('hold');
    expect((await first.client.get(job.id))?.checkpoint).toMatchObject({ nextBatch: 16 });

    first.crash();
    const second = start(types, first);
    const done = await second.client.waitFor(job.id);
    probe.gate.open('hold');

    // The crashed attempt had finished batches, so it was given back.
    expect(done).toMatchObject({ status: 'completed', attempts: 1, interruptions: 1 });
    expect(probe.handlerStarts).toBe(2);
    expect(probe.executions.size).toBe(25);
    expect([...probe.executions.values()].every((n) => n === 1)).toBe(true);
    expect(done.result).toMatchObject({ rows: 2500, categorized: 2497, unreadableCount: 3 });
    expectCorrect(await categorizedRows(second, done), 2500);
  });

  it('reads a Windows-1252 file as such and writes it back as UTF-8 with a byte order mark', async () => {
    const harness = start([csvCategorization]);
    const latin = (text: string) => Uint8Array.from(text, (char) => (char === 'É' ? 0xc9 : char.charCodeAt(0)));
    const file = new Blob([
      latin('Date,Description,Amount,Currency\n2025-03-01,CAFÉ TESCO,-4.20,GBP\n2025-03-02,CRÉPERIE,-6.00,GBP\n'),
    ]);
    const job = await harness.client.enqueue('csv_categorization', payloadOf(file));
    const done = await harness.client.waitFor(job.id);
    expect(done.result).toMatchObject({ rows: 2, categorized: 2, unreadableCount: 0 });
    const [attached] = await harness.client.files(job.id);
    const bytes = new Uint8Array(await (attached as { blob: Blob }).blob.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    expect(text.split('\r\n').slice(1, 3)).toEqual([
      '2025-03-01,CAFÉ TESCO,-4.20,GBP,Groceries',
      '2025-03-02,CRÉPERIE,-6.00,GBP,Other',
    ]);
  });

  it('a NUL past the first 64 KB of a UTF-8 file with accents makes only its row unreadable', async () => {
    const harness = start([csvCategorization]);
    const lines = ['Date,Description,Amount,Currency'];
    // Two-byte characters: 64 KB of bytes hold far fewer than 64 K characters.
    for (let i = 0; i < 1200; i++)
      lines.push(`2025-03-01,CAFÉ ÉTÉ ÉCOLE ${String(i).padStart(4, '0')} ÉÉÉÉÉÉÉÉÉÉ,-1.00,GBP`);
    lines.push('2025-03-02,BROKEN\u0000ROW,-2.00,GBP', '2025-03-03,TESCO LAST,-3.00,GBP');
    const bytes = new TextEncoder().encode(lines.join('\n'));
    const nulAt = bytes.indexOf(0);
    expect(nulAt).toBeGreaterThan(64 * 1024);
    expect(new TextDecoder().decode(bytes.subarray(0, nulAt)).length).toBeLessThan(64 * 1024);
    const job = await harness.client.enqueue('csv_categorization', payloadOf(new Blob([bytes])));
    const done = await harness.client.waitFor(job.id);
    expect(done).toMatchObject({ status: 'completed', result: { rows: 1202, categorized: 1201, unreadableCount: 1 } });
    expect((done.result as CsvCategorizationResult).unreadable).toEqual([
      { line: 1202, reason: 'the line holds a NUL character, which text does not' },
    ]);
  });

  it('refuses a malformed file or rule at enqueue and stores nothing', async () => {
    const harness = start([csvCategorization]);
    const refusals = [
      payloadOf(''),
      payloadOf('Date,Description,Amount\n'),
      payloadOf('{"not": "a statement"}'),
      payloadOf('Date,Memo\n2025-01-01,x'),
      { ...payloadOf(statement(10)), rules: [{ category: 'Slow', match: 'regex', pattern: '(a+)+$' }] },
      { ...payloadOf(statement(10)), rules: [{ category: 'X', match: 'substring', pattern: 'x', field: 'Merchant' }] },
      { ...payloadOf(statement(10)), defaultCategory: '' },
      { ...payloadOf(new Blob([])) },
    ];
    for (const payload of refusals) {
      await expect(harness.client.enqueue('csv_categorization', payload)).rejects.toMatchObject({
        code: 'invalid-payload',
      });
    }
    expect(await harness.client.count()).toBe(0);
  });

  it('fails a Blob that turns out not to be a statement with a permanent error, without retrying', async () => {
    const harness = start([csvCategorization]);
    const job = await harness.client.enqueue(
      'csv_categorization',
      payloadOf(new Blob(['just some notes\nnothing else'])),
    );
    const done = await harness.client.waitFor(job.id);
    expect(done).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'permanent', retryable: false } });
    expect(done.error?.message).toMatch(/Date, Description, Amount/);
  });
});
