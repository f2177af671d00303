import type { JobRow, StepRow } from './store-state';

/** What the page acknowledged: the job's id and what was asked. */
export interface Acknowledged {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
}

/** The store just before a fault. */
export interface BeforeFault {
  /** `jobId|step name` of every step completed before the fault. */
  readonly completedSteps: ReadonlySet<string>;
  /** Results of the jobs completed before the fault. */
  readonly results: ReadonlyMap<string, string>;
}

/** Provider calls per job id, with when each started (ms since the epoch, Node's clock). */
export type AiCalls = ReadonlyMap<string, readonly number[]>;

export interface IterationFindings {
  readonly lost: string[];
  readonly duplicateCompletions: string[];
  readonly damagedResults: string[];
  readonly failed: string[];
  /** Steps that started twice: allowed only for a step in flight at the fault. */
  repeatedSteps: number;
  /** Steps finished before the fault that ran again: a broken promise. */
  readonly rerunFinishedSteps: string[];
  /**
   * Steps in flight at the fault that started more than twice. The step never finished before it
   * ran again, but one fault costs at most one re-run: a third start means a second, unasked-for
   * interruption (a runner that lost its job and kept going, or two takeovers for one fault).
   */
  readonly stepsStartedThrice: string[];
  extraAiCalls: number;
  /** Extra calls for jobs not in flight at the fault. */
  readonly unexplainedAiCalls: string[];
}

export const stepKey = (step: { readonly jobId: string; readonly name: string }): string =>
  `${step.jobId}|${step.name}`;

export function snapshotBeforeFault(jobs: readonly JobRow[], steps: readonly StepRow[]): BeforeFault {
  return {
    completedSteps: new Set(steps.filter((step) => step.status === 'completed').map(stepKey)),
    results: new Map(
      jobs.filter((job) => job.status === 'completed').map((job) => [job.id, JSON.stringify(job.result)]),
    ),
  };
}

function resultProblem(job: JobRow, asked: Acknowledged): string | undefined {
  if (job.type === 'demo_steps') {
    const steps = (asked.payload as { steps: number }).steps;
    if (JSON.stringify(job.result) !== JSON.stringify({ steps })) return `result ${JSON.stringify(job.result)}`;
    if (job.completedSteps !== steps) return `completedSteps ${job.completedSteps} of ${steps}`;
    return undefined;
  }
  if (job.type === 'recipe_parsing') {
    const result = job.result as { title?: unknown; ingredients?: unknown } | undefined;
    if (typeof result?.title !== 'string' || !Array.isArray(result.ingredients))
      return `result ${JSON.stringify(job.result)}`;
  }
  return undefined;
}

/**
 * Checks the promise of the store after a fault and a restart, once every acknowledged job
 * is terminal: nothing lost, nothing completed twice, results whole and unchanged, finished
 * steps not run again, and provider calls repeated only for jobs whose call was in flight.
 */
export function checkIteration(options: {
  readonly acknowledged: readonly Acknowledged[];
  readonly jobs: readonly JobRow[];
  readonly steps: readonly StepRow[];
  readonly before: BeforeFault;
  readonly aiCalls?: AiCalls;
  readonly faultAt: number;
  /** When the faulted runner was surely gone (the old page reloaded, closed or crashed, or the browser killed). */
  readonly faultEndedAt: number;
}): IterationFindings {
  const { acknowledged, before } = options;
  const byId = new Map(options.jobs.map((job) => [job.id, job]));
  const ids = new Set(acknowledged.map((job) => job.id));
  const findings: IterationFindings = {
    lost: [],
    duplicateCompletions: [],
    damagedResults: [],
    failed: [],
    repeatedSteps: 0,
    rerunFinishedSteps: [],
    stepsStartedThrice: [],
    extraAiCalls: 0,
    unexplainedAiCalls: [],
  };
  for (const asked of acknowledged) {
    const job = byId.get(asked.id);
    if (!job) {
      findings.lost.push(asked.id);
      continue;
    }
    const completions = job.history.filter((entry) => entry.status === 'completed').length;
    if (completions > 1) findings.duplicateCompletions.push(`${job.id} completed ${completions} times`);
    if (job.status === 'failed') findings.failed.push(`${job.id} (${job.type}) failed: ${job.error?.code ?? '?'}`);
    if (job.status === 'completed') {
      const problem = resultProblem(job, asked);
      if (problem) findings.damagedResults.push(`${job.id} (${job.type}): ${problem}`);
      const earlier = before.results.get(job.id);
      if (earlier !== undefined && earlier !== JSON.stringify(job.result))
        findings.damagedResults.push(`${job.id}: result changed after the fault`);
    }
  }
  for (const step of options.steps) {
    if (!ids.has(step.jobId)) continue;
    if (step.runs > 1) findings.repeatedSteps += step.runs - 1;
    if (before.completedSteps.has(stepKey(step)) && step.runs !== 1) {
      findings.rerunFinishedSteps.push(`${stepKey(step)} finished before the fault, ran ${step.runs} times`);
    } else if (step.runs > 2) {
      findings.stepsStartedThrice.push(`${stepKey(step)} in flight at the fault, started ${step.runs} times`);
    }
  }
  for (const [jobId, calls] of options.aiCalls ?? new Map<string, readonly number[]>()) {
    if (!ids.has(jobId) || calls.length <= 1) continue;
    findings.extraAiCalls += calls.length - 1;
    // Each start of an attempt may call once: a second call is explained only by an attempt the fault
    // interrupted (the takeover re-queued it), and never for a job completed before the fault.
    const job = byId.get(jobId);
    const starts = job?.history.filter((entry) => entry.status === 'running').length ?? 0;
    const inFlight = calls.length <= starts && !before.results.has(jobId);
    if (!inFlight || calls.length > 2) {
      const offsets = calls.map((at) => `${at - options.faultAt} ms`).join(', ');
      findings.unexplainedAiCalls.push(
        `${jobId}: ${calls.length} provider calls at ${offsets} from the fault (completed before it: ${before.results.has(jobId)}; history ${JSON.stringify(job?.history.map((entry) => entry.status))})`,
      );
    }
  }
  return findings;
}

/** True when a check found a broken promise. */
export function violations(findings: IterationFindings): string[] {
  return [
    ...findings.lost.map((id) => `lost ${id}`),
    ...findings.duplicateCompletions,
    ...findings.damagedResults,
    ...findings.failed,
    ...findings.rerunFinishedSteps,
    ...findings.stepsStartedThrice,
    ...findings.unexplainedAiCalls,
  ];
}
