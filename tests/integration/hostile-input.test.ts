import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrandError } from '../../src/shared';
import { consoleJobTypes } from '../../src/worker/handlers';
import { clientOverChannel, createHarness, type Harness } from '../helpers/harness';
import { MemoryLock } from '../helpers/memory-lock';

/**
 * Hostile enqueue payloads for the job types that take user files and text: each is refused
 * with a typed error and stores nothing, or is stored as plain data; none pollutes a prototype.
 */
const CASES = Number(process.env['HOSTILE_CASES'] ?? 10_000);
/** Random unless `HOSTILE_SEED` replays a run; fast-check prints the seed of a failing one. */
const SEED = process.env['HOSTILE_SEED'] === undefined ? undefined : Number(process.env['HOSTILE_SEED']);
const REFUSAL_CODES = ['invalid-payload', 'invalid-input', 'data-clone'];
const POLLUTING_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'toString',
  'valueOf',
  'hasOwnProperty',
];

let harness: Harness;
beforeAll(async () => {
  // Another holder keeps the runner lock: only validation and storage are under test here.
  const lock = new MemoryLock();
  await lock.client().acquire('errand-runner', new AbortController().signal);
  harness = createHarness({ types: consoleJobTypes, lock, ai: true });
});
afterAll(async () => {
  await harness.close();
});

function nested(depth: number, wrap: 'array' | 'object'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = wrap === 'array' ? [value] : { a: value };
  // A failing case prints as its recipe: fast-check's own printer runs out of stack on it.
  // The symbol-keyed property is not copied by a structured clone or by JSON.
  Object.defineProperty(value, fc.toStringMethod, { value: () => `nested(${depth}, '${wrap}')` });
  return value;
}

/** Objects that carry prototype-pollution keys as own properties, as JSON.parse makes them. */
const pollutingObject = fc
  .tuple(
    fc.constantFrom(...POLLUTING_KEYS),
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('text', 'recipes', 'rules', 'csv', 'fileName', 'polluted'),
  )
  .map(
    ([key, value, other]) =>
      JSON.parse(
        `{"${key}": {"polluted": true, "${other}": ${JSON.stringify(value) ?? 'null'}}, "${other}": ${JSON.stringify(value) ?? 'null'}}`,
      ) as unknown,
  );

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.anything({
      maxDepth: 3,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withNullPrototype: true,
      withSparseArray: true,
    }),
  },
  { weight: 4, arbitrary: pollutingObject },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 100, max: 20_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'))
      .map(([depth, wrap]) => nested(depth, wrap)),
  },
  { weight: 1, arbitrary: fc.integer({ min: 50_001, max: 3_000_000 }).map((length) => 'x'.repeat(length)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      () => 1,
      Symbol('s'),
      new Error('e'),
      Object.create(null),
      Number.NaN,
      Infinity,
      -0,
      null,
      undefined,
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
);

/** A payload for one of the types: hostile values in every field, or as the whole payload. */
const hostileRequest = fc.oneof(
  fc.record({
    type: fc.constant('recipe_parsing'),
    payload: fc.oneof(hostileValue, fc.record({ text: hostileValue })),
  }),
  fc.record({
    type: fc.constant('meal_suggestion'),
    payload: fc.oneof(
      hostileValue,
      fc.record({
        recipes: fc.oneof(
          hostileValue,
          fc.array(fc.record({ title: hostileValue, ingredients: hostileValue }), { maxLength: 4 }),
        ),
        preferences: hostileValue,
      }),
    ),
  }),
  fc.record({
    type: fc.constant('csv_categorization'),
    payload: fc.oneof(
      hostileValue,
      fc.record({
        fileName: hostileValue,
        csv: fc.oneof(hostileValue, fc.constant('date,amount\n2024-01-01,1')),
        rules: hostileValue,
        defaultCategory: hostileValue,
        batchDelayMs: hostileValue,
      }),
    ),
  }),
);

function prototypeState(): string {
  return JSON.stringify([
    Object.getOwnPropertyNames(Object.prototype).sort(),
    Object.getOwnPropertyNames(Array.prototype).sort(),
    Object.getOwnPropertyNames(Function.prototype).sort(),
  ]);
}

describe('hostile enqueue payloads', () => {
  it(
    `${CASES} cases: refused with a typed code and nothing stored, or stored as data; no prototype polluted`,
    { timeout: 600_000 },
    async () => {
      const pristine = prototypeState();
      let stored = await harness.client.count();
      const outcomes = { refused: 0, accepted: 0 };
      await fc.assert(
        fc.asyncProperty(hostileRequest, async (request) => {
          const result = await harness.runtime.api.enqueue(request);
          expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
          expect(prototypeState()).toBe(pristine);
          const count = await harness.client.count();
          if (result.ok) {
            outcomes.accepted += 1;
            // An identical cached request is answered by the job already stored.
            expect([stored, stored + 1]).toContain(count);
            stored = count;
            const job = await harness.client.get(result.value.id);
            expect(job?.type).toBe(request.type);
            expect(Object.getPrototypeOf(job?.payload)).toBe(Object.prototype);
          } else {
            outcomes.refused += 1;
            expect(REFUSAL_CODES).toContain(result.error.code);
            expect(count, 'a refused enqueue stores nothing').toBe(stored);
          }
        }),
        {
          numRuns: CASES,
          seed: SEED,
        },
      );
      console.log(`[hostile-input] ${outcomes.refused} refused, ${outcomes.accepted} stored as data`);
      expect(outcomes.refused).toBeGreaterThan(0);
    },
  );

  it(
    `${Math.ceil(CASES / 10)} cases posted as a page posts them: every refusal is typed, before or after the message`,
    { timeout: 600_000 },
    async () => {
      const channel = clientOverChannel(harness);
      const { client } = channel;
      try {
        let stored = await client.count();
        const refusals = new Set<string>();
        await fc.assert(
          fc.asyncProperty(hostileRequest, async (request) => {
            try {
              await client.enqueue(request.type, request.payload);
              stored = await client.count();
            } catch (error) {
              expect(error).toBeInstanceOf(ErrandError);
              const { code } = error as ErrandError;
              refusals.add(code);
              expect(REFUSAL_CODES).toContain(code);
              expect(await client.count(), 'a refused enqueue stores nothing').toBe(stored);
            }
          }),
          {
            numRuns: Math.ceil(CASES / 10),
            seed: SEED,
          },
        );
        console.log(`[hostile-input] over a channel, refused with: ${[...refusals].sort().join(', ')}`);
        expect(refusals.has('data-clone')).toBe(true);
      } finally {
        channel.close();
      }
    },
  );
});
