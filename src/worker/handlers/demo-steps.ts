import { defineJobType } from '../define-job-type';
import { abortableSleep } from './abortable-sleep';

export interface DemoStepsPayload {
  /** Number of steps, 1–100. */
  readonly steps: number;
  /** Time each step takes, 0–60 000 ms. */
  readonly stepMs: number;
}

/** Where a demo run stands, for resuming. */
export interface DemoStepsState {
  readonly next: number;
}

function parseDemoSteps(payload: unknown): DemoStepsPayload {
  const value = payload as Partial<DemoStepsPayload> | null;
  const steps = value?.steps;
  const stepMs = value?.stepMs;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > 100) {
    throw new Error('steps must be a whole number from 1 to 100');
  }
  if (typeof stepMs !== 'number' || !Number.isFinite(stepMs) || stepMs < 0 || stepMs > 60_000) {
    throw new Error('stepMs must be a number of milliseconds from 0 to 60000');
  }
  return { steps, stepMs };
}

/**
 * A multi-step job that only waits: a way to see the runtime work (progress, pause, resume,
 * reload mid-job) without any real data. Each step is journaled, so a step that finished is
 * never run again.
 */
export const demoSteps = defineJobType<DemoStepsPayload, { steps: number }, DemoStepsState>({
  type: 'demo_steps',
  label: 'Demo task',
  priority: 'normal',
  retry: { maxAttempts: 3 },
  parse: parseDemoSteps,
  labelFor: (payload) => `Demo task (${payload.steps} ${payload.steps === 1 ? 'step' : 'steps'})`,
  async run(payload, ctx) {
    const start = ctx.state?.next ?? 0;
    for (let i = start; i < payload.steps; i++) {
      // Said as the step starts: the text names the step running, the fraction the steps done.
      ctx.progress(i / payload.steps, `Step ${i + 1} of ${payload.steps}`);
      await ctx.step(`step ${i + 1}`, async () => {
        await abortableSleep(payload.stepMs, ctx.signal);
        return { finishedStep: i + 1 };
      });
      await ctx.checkpoint({ next: i + 1 });
    }
    return { steps: payload.steps };
  },
});
