import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStubServer, type StubServer } from '../../scripts/ai-stub-server.mjs';
import { ErrandDb } from '../../src/store';
import { defineJobType, type AnyJobType } from '../../src/worker';
import { mealSuggestion, recipeParsing } from '../../src/worker/handlers';
import { PROMPT_VERSIONS } from '../../src/worker/ai';
import { Gate } from '../fixtures/job-types';
import { createHarness, freshDbName, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { MemoryLock } from '../helpers/memory-lock';
import { untilJob, untilJobs } from '../helpers/wait';

const API_KEY = 'sk-stub-SECRET-7c1f9e2ab44d';
const RECIPE = (n: number) =>
  `Pancakes ${n}\nServes 4\n\nIngredients\n- 1 1/2 cups flour\n- 2 eggs\n- 250 ml milk\n\nMethod\n1. Whisk.\n2. Fry.`;

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer({ apiKey: API_KEY });
});
afterAll(async () => {
  await stub.close();
});

const open: Harness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
  stub.control.reset();
});

async function setup(options: { types?: AnyJobType[]; dbName?: string; lock?: MemoryLock; clock?: ManualClock } = {}) {
  const clock = options.clock ?? new ManualClock();
  const harness = createHarness({
    types: options.types ?? [recipeParsing, mealSuggestion],
    clock,
    ai: true,
    ...(options.dbName ? { dbName: options.dbName } : {}),
    ...(options.lock ? { lock: options.lock } : {}),
  });
  open.push(harness);
  await harness.client.putSetting('ai', {
    provider: 'openai-compatible',
    baseUrl: stub.url,
    model: 'stub-model',
    apiKey: API_KEY,
  });
  return { harness, client: harness.client, clock };
}

describe('AI jobs against an OpenAI-compatible server', () => {
  it('100 similar recipes enqueued together make at most 10 provider calls', async () => {
    const { client, clock } = await setup();
    const jobs = await client.enqueueMany(
      Array.from({ length: 100 }, (_, i) => ({ type: 'recipe_parsing', payload: { text: RECIPE(i) } })),
    );
    clock.advance(250);
    for (const job of jobs) {
      const done = await client.waitFor(job.id);
      expect(done.status).toBe('completed');
      expect(done.result).toMatchObject({ title: expect.stringContaining('Pancakes') });
    }
    expect(stub.control.stats().chatRequests).toBeLessThanOrEqual(10);
    expect(stub.control.stats().itemsPerRequest.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('a repeated request is answered from the store at once, with no call', async () => {
    const { client, clock } = await setup();
    const first = await client.enqueue('recipe_parsing', { text: RECIPE(1) });
    clock.advance(250);
    const done = await client.waitFor(first.id);
    const calls = stub.control.stats().chatRequests;
    const again = await client.enqueue('recipe_parsing', { text: RECIPE(1) });
    expect(again).toMatchObject({ status: 'completed', cacheHit: true, result: done.result });
    expect(stub.control.stats().chatRequests).toBe(calls);
  });

  it('asked anew, the provider is called again and its answer, with its prompt, replaces the stored one', async () => {
    const { client, clock, harness } = await setup();
    const first = await client.enqueue('recipe_parsing', { text: RECIPE(4) });
    clock.advance(250);
    await client.waitFor(first.id);
    const calls = stub.control.stats().chatRequests;
    const db = new ErrandDb(harness.dbName);
    const [before] = await db.responses.toArray();

    clock.advance(60_000);
    const fresh = await client.enqueue('recipe_parsing', { text: RECIPE(4) }, { fresh: true });
    expect(fresh).toMatchObject({ status: 'queued', fresh: true });
    clock.advance(250);
    expect(await client.waitFor(fresh.id)).toMatchObject({ status: 'completed' });
    expect(stub.control.stats().chatRequests).toBe(calls + 1);
    const after = await db.responses.toArray();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ fingerprint: before?.fingerprint, provider: before?.provider });
    // The new answer's own prompt, which names the job that asked.
    expect(after[0]?.prompt).toContain(fresh.id);
    expect(after[0]?.createdAt).toBe((before?.createdAt ?? 0) + 60_250);
    db.close();
    expect(await client.enqueue('recipe_parsing', { text: RECIPE(4) })).toMatchObject({ cacheHit: true });
  });

  it('a 429 with Retry-After: 2 holds the jobs about that long, then they succeed without losing an attempt', async () => {
    const { client, clock } = await setup();
    stub.control.failNext(1, { status: 429, retryAfter: 2 });
    const start = clock.now();
    const jobs = await client.enqueueMany(
      [1, 2, 3].map((n) => ({ type: 'recipe_parsing', payload: { text: RECIPE(n) } })),
    );
    clock.advance(250);
    await untilJobs(client, (all) => all.every((job) => job.status === 'waiting' && job.waitReason === 'rate_limit'));
    for (const job of await client.list()) {
      expect(job.attempts).toBe(0);
      expect(job.runAt).toBeGreaterThanOrEqual(start + 250 + 2000);
      expect(job.runAt).toBeLessThanOrEqual(start + 250 + 2000 + 50);
    }
    const later = await client.enqueue('recipe_parsing', { text: RECIPE(9) });
    await client.onIdle();
    expect(stub.control.stats().chatRequests).toBe(1);
    clock.advance(2000);
    await client.onIdle();
    clock.advance(250);
    for (const job of [...jobs, later])
      expect(await client.waitFor(job.id)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('a malformed answer for one item fails only that item, which is retried alone', async () => {
    const { client, clock } = await setup();
    stub.control.malformNext(1, 'item', 1);
    const jobs = await client.enqueueMany(
      [1, 2, 3].map((n) => ({ type: 'recipe_parsing', payload: { text: RECIPE(n) } })),
    );
    clock.advance(250);
    const [a, b, c] = jobs;
    expect(await client.waitFor(a!.id)).toMatchObject({ status: 'completed' });
    expect(await client.waitFor(c!.id)).toMatchObject({ status: 'completed' });
    expect(await untilJob(client, b!.id, (job) => job.status === 'waiting')).toMatchObject({
      waitReason: 'retry',
      attempts: 1,
    });
    // What was asked and what came back are in the job's log, as the answer itself is not kept.
    const logs = await client.logs(b!.id);
    expect(logs.map((log) => log.level)).toEqual(['info', 'warn']);
    expect(logs[0]?.message).toMatch(/^Prompt sent for this item:\n/);
    expect(logs[0]?.message).toContain('Pancakes 2');
    expect(logs[1]?.message).toMatch(
      /^The provider's answer, not used \(The provider's answer for this item is malformed: /,
    );
    expect(logs.map((log) => log.message).join('\n')).not.toContain(API_KEY);
    for (const done of [a, c]) expect(await client.logs(done!.id)).toEqual([]);
    clock.advance(300_000);
    await client.onIdle();
    clock.advance(250);
    expect(await client.waitFor(b!.id)).toMatchObject({ status: 'completed', attempts: 2 });
    expect(stub.control.stats().itemsPerRequest).toEqual([3, 1]);
  });

  it('the API key appears nowhere but its settings record and the provider request', async () => {
    const { client, clock, harness } = await setup();
    stub.control.failNext(1, { status: 400, message: 'bad request', echoKey: true });
    const refused = await client.enqueue('recipe_parsing', { text: RECIPE(1) });
    const fine = await client.enqueue('recipe_parsing', { text: RECIPE(2) });
    clock.advance(250);
    const failed = await client.waitFor(refused.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'permanent' } });
    await client.retry(fine.id).catch(() => undefined);
    clock.advance(250);
    await client.onIdle();
    expect(stub.control.stats().lastAuthorization).toBe(`Bearer ${API_KEY}`);

    const db = new ErrandDb(harness.dbName);
    const tables = ['jobs', 'steps', 'responses', 'logs', 'files', 'schedules', 'meta'] as const;
    for (const table of tables) expect(JSON.stringify(await db.table(table).toArray())).not.toContain(API_KEY);
    expect(JSON.stringify(await client.getSetting('ai'))).not.toContain(API_KEY);
    expect(JSON.stringify(await db.settings.get('ai'))).toContain(API_KEY);
    db.close();
  });

  it('meal suggestions come from the stored recipes and the preferences', async () => {
    const { client, clock } = await setup();
    const job = await client.enqueue('meal_suggestion', {
      recipes: [
        { title: 'Pancakes', ingredients: ['flour', 'eggs', 'milk'] },
        { title: 'Peanut noodles', ingredients: ['noodles', 'peanut butter'] },
      ],
      preferences: { avoid: ['peanut'], prefer: ['eggs'] },
    });
    clock.advance(250);
    expect(await client.waitFor(job.id)).toMatchObject({
      status: 'completed',
      result: { suggestions: expect.any(Array) },
    });
  });

  it('the local provider needs no network', async () => {
    const { client, clock } = await setup();
    await client.putSetting('ai', { provider: 'local' });
    const job = await client.enqueue('recipe_parsing', { text: RECIPE(5) });
    clock.advance(250);
    const done = await client.waitFor(job.id);
    expect(done.status).toBe('completed');
    expect(done.result).toMatchObject({
      servings: 4,
      ingredients: expect.arrayContaining([expect.objectContaining({ quantity: 1.5, unit: 'cup' })]),
    });
    expect(stub.control.stats().chatRequests).toBe(0);
  });

  it('refuses a recipe payload that is not text, storing nothing', async () => {
    const { client } = await setup();
    await expect(client.enqueue('recipe_parsing', { text: 42 })).rejects.toMatchObject({ code: 'invalid-payload' });
    await expect(client.enqueue('meal_suggestion', { recipes: 'none' })).rejects.toMatchObject({
      code: 'invalid-payload',
    });
    expect(await client.count()).toBe(0);
  });
});

describe('a crash between the AI answer and the completion', () => {
  /** Calls the provider through ctx.ai, then holds until the gate opens, then completes. */
  function slowAiType(gate: Gate) {
    return defineJobType<{ text: string }, unknown>({
      type: 'slow_ai',
      label: 'Slow AI',
      cache: { key: (payload) => payload },
      async run(payload, ctx) {
        await gate.wait(`before:${ctx.attempt}`, ctx.signal);
        const [item] = await ctx.ai.complete(
          [
            {
              request: {
                id: ctx.jobId,
                task: 'recipe_parsing',
                input: payload,
                promptVersion: PROMPT_VERSIONS.recipe_parsing,
              },
              fingerprint: ctx.fingerprint ?? '',
            },
          ],
          ctx.signal,
        );
        await gate.wait(`after:${ctx.attempt}`, ctx.signal);
        if (!item?.ok) throw new Error('no answer');
        return item.output;
      },
    }) as AnyJobType;
  }

  it('costs no extra call once the answer is stored', async () => {
    const gate = new Gate();
    const dbName = freshDbName();
    const lock = new MemoryLock();
    const clock = new ManualClock();
    const first = await setup({ types: [slowAiType(gate)], dbName, lock, clock });
    gate.open('before:1');
    const job = await first.client.enqueue('slow_ai', { text: RECIPE(1) });
    await gate.whenReached('after:1');
    expect(stub.control.stats().chatRequests).toBe(1);

    first.harness.crash();
    const second = await setup({ types: [slowAiType(gate)], dbName, lock, clock });
    const done = await second.client.waitFor(job.id);
    expect(done).toMatchObject({
      status: 'completed',
      attempts: 2,
      result: { title: expect.stringContaining('Pancakes') },
    });
    expect(stub.control.stats().chatRequests).toBe(1);
    expect(gate.reached.has('before:2')).toBe(false);
  });

  it('asks again, once, when the crash came before the answer was stored', async () => {
    const gate = new Gate();
    const dbName = freshDbName();
    const lock = new MemoryLock();
    const clock = new ManualClock();
    const first = await setup({ types: [slowAiType(gate)], dbName, lock, clock });
    const job = await first.client.enqueue('slow_ai', { text: RECIPE(2) });
    await gate.whenReached('before:1');
    first.harness.crash();
    const second = await setup({ types: [slowAiType(gate)], dbName, lock, clock });
    gate.open('before:2');
    gate.open('after:2');
    expect(await second.client.waitFor(job.id)).toMatchObject({ status: 'completed', attempts: 2 });
    expect(stub.control.stats().chatRequests).toBe(1);
  });
});
