import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/shared';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, freshDbName, type Harness } from '../helpers/harness';
import { ManualClock } from '../helpers/manual-clock';
import { MemoryLock } from '../helpers/memory-lock';

const KINDS = {
  ok: { type: 'sleep', payload: { value: 'ok' }, result: 'ok' },
  steps: { type: 'progress-steps', payload: { steps: 3 }, result: { total: 6 } },
  flaky: { type: 'fail-n-times', payload: { failures: 1 }, result: undefined },
  doomed: { type: 'fail-n-times', payload: { failures: 99 }, result: undefined },
} as const;
type Kind = keyof typeof KINDS;

type Command =
  | { readonly op: 'enqueue'; readonly kind: Kind; readonly count: number }
  | { readonly op: 'pause' | 'resume' | 'cancel' | 'retry'; readonly pick: number }
  | { readonly op: 'advance'; readonly ms: number }
  | { readonly op: 'idle' }
  | { readonly op: 'crash' }
  | { readonly op: 'restart' };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('enqueue' as const),
      kind: fc.constantFrom(...(Object.keys(KINDS) as Kind[])),
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constantFrom('pause' as const, 'resume' as const, 'cancel' as const, 'retry' as const),
      pick: fc.nat(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20_000 }) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'idle' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'crash' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'restart' as const }) },
);

async function allJobs(harness: Harness): Promise<JobRecord[]> {
  return harness.client.list({ limit: 100_000 });
}

describe('random sequences of enqueue, run, fail, pause, resume, cancel, crash and restart', () => {
  it('lose no job, complete none twice, and never exceed maxAttempts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        const { types, probe } = createFixtures();
        const dbName = freshDbName();
        const lock = new MemoryLock();
        const clock = new ManualClock();
        const all: Harness[] = [];
        const start = () => {
          const harness = createHarness({ types, dbName, lock, clock });
          all.push(harness);
          return harness;
        };
        let current = start();
        const acknowledged = new Map<string, Kind>();

        const check = async () => {
          const jobs = await allJobs(current);
          const ids = new Set(jobs.map((job) => job.id));
          for (const id of acknowledged.keys()) expect(ids.has(id), `job ${id} lost`).toBe(true);
          for (const job of jobs) {
            expect(job.attempts).toBeLessThanOrEqual(job.maxAttempts);
            expect(job.history.filter((h) => h.status === 'completed').length).toBeLessThanOrEqual(1);
          }
        };

        try {
          for (const step of commands) {
            switch (step.op) {
              case 'enqueue': {
                const { type, payload } = KINDS[step.kind];
                const jobs = await current.client.enqueueMany(
                  Array.from({ length: step.count }, () => ({ type, payload })),
                );
                for (const job of jobs) acknowledged.set(job.id, step.kind);
                break;
              }
              case 'pause':
              case 'resume':
              case 'cancel':
              case 'retry': {
                const ids = [...acknowledged.keys()];
                if (ids.length === 0) break;
                const id = ids[step.pick % ids.length] as string;
                const many = `${step.op}Many` as const;
                await current.client[many]([id]);
                break;
              }
              case 'advance':
                clock.advance(step.ms);
                break;
              case 'idle':
                await current.client.onIdle();
                break;
              case 'crash':
                current.crash();
                current = start();
                await current.runtime.becameRunner;
                break;
              case 'restart':
                await current.close();
                current = start();
                await current.runtime.becameRunner;
                break;
            }
            await check();
          }

          // Let everything finish: resume what is paused, let time pass until all is settled.
          await current.runtime.becameRunner;
          for (let round = 0; round < 40; round++) {
            const jobs = await allJobs(current);
            const paused = jobs.filter((job) => job.status === 'paused').map((job) => job.id);
            if (paused.length > 0) await current.client.resumeMany(paused);
            if (jobs.every((job) => ['completed', 'failed', 'cancelled'].includes(job.status))) break;
            await current.client.onIdle();
            clock.advance(600_000);
          }
          await current.client.onIdle();
          await check();

          const jobs = await allJobs(current);
          expect(jobs).toHaveLength(acknowledged.size);
          for (const job of jobs) {
            expect(['completed', 'failed', 'cancelled'], `job ${job.id} stuck ${job.status}`).toContain(job.status);
            const kind = acknowledged.get(job.id) as Kind;
            if (job.status === 'completed') {
              if (kind === 'doomed') throw new Error('a job that always fails completed');
              if (KINDS[kind].result !== undefined) expect(job.result).toEqual(KINDS[kind].result);
              expect(probe.runs.get(job.id) ?? 0).toBeGreaterThanOrEqual(1);
            }
          }
        } finally {
          for (const harness of all) await harness.close();
        }
      }),
      { numRuns: 100 },
    );
  }, 180_000);
});
