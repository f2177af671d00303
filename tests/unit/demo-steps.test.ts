import { describe, expect, it } from 'vitest';
import { demoSteps } from '../../src/worker/handlers/demo-steps';

type Call = readonly [kind: string, ...rest: unknown[]];

function fakeContext(state?: { next: number }) {
  const calls: Call[] = [];
  const ctx = {
    state,
    signal: new AbortController().signal,
    step: async <T>(name: string, fn: () => Promise<T>) => {
      calls.push(['step', name]);
      return fn();
    },
    checkpoint: async (value: unknown) => {
      calls.push(['checkpoint', value]);
    },
    progress: (fraction: number, text?: string) => {
      calls.push(['progress', fraction, text]);
    },
  };
  return { calls, ctx };
}

describe('demo_steps', () => {
  it('names the step that is running, with the fraction of steps done', async () => {
    const { calls, ctx } = fakeContext();
    await demoSteps.run({ steps: 2, stepMs: 0 }, ctx as never);
    expect(calls).toEqual([
      ['progress', 0, 'Step 1 of 2'],
      ['step', 'step 1'],
      ['checkpoint', { next: 1 }],
      ['progress', 0.5, 'Step 2 of 2'],
      ['step', 'step 2'],
      ['checkpoint', { next: 2 }],
    ]);
  });

  it('resumes at the step after its checkpoint', async () => {
    const { calls, ctx } = fakeContext({ next: 2 });
    await demoSteps.run({ steps: 3, stepMs: 0 }, ctx as never);
    expect(calls[0]).toEqual(['progress', 2 / 3, 'Step 3 of 3']);
    expect(calls.filter(([kind]) => kind === 'step')).toEqual([['step', 'step 3']]);
  });
});
