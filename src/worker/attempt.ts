import {
  assertCloneable,
  backoffDelay,
  JobAbortedError,
  JobTimeoutError,
  StaleRunnerError,
  toJobError,
  VersionError,
  type Clock,
  type EnqueueOptions,
  type JobAction,
  type JobRecord,
  type Lease,
} from '../shared';
import type { WorkerStore } from '../store';
import type { AiClient } from './ai-client';
import type { AnyJobType, BatchOutcome } from './define-job-type';
import { createJobContext, type AttemptContext } from './job-context';
import type { NetworkStatus } from './network-status';
import { failureAction, type FailureContext } from './retry-policy';

/** One job being run by this runner. */
export interface Execution {
  readonly job: JobRecord;
  readonly lease: Lease;
  readonly controller: AbortController;
}

/** What running an attempt needs from the runner. */
export interface AttemptDeps {
  readonly store: WorkerStore;
  readonly clock: Clock;
  readonly network: NetworkStatus;
  readonly progressIntervalMs: number;
  readonly random: () => number;
  readonly ai: AiClient | undefined;
  readonly enqueue: (type: string, payload: unknown, options: EnqueueOptions) => Promise<JobRecord>;
  /** Records an attempt's outcome in the runner's next round (group commit), fenced by its lease. */
  readonly commit: (id: string, lease: Lease, action: JobAction) => Promise<void>;
  /** The service asked us to hold off: every type of the group waits until then. */
  readonly hold: (type: AnyJobType, until: number, now: number) => Promise<void>;
  /** False once the runner stopped: outcomes are then left for the next runner. */
  readonly isActive: () => boolean;
}

type Outcome = BatchOutcome<unknown>;

/**
 * Runs one attempt of each job (alone, or as one batch call) and records each outcome. A job
 * whose answer is already stored completes from it without running: after a crash between
 * an AI answer and the job's completion, the answer is not paid for twice.
 */
export async function runAttempts(
  deps: AttemptDeps,
  type: AnyJobType,
  executions: readonly Execution[],
): Promise<void> {
  let cached: Map<string, unknown>;
  try {
    cached = await storedAnswers(deps, type, executions);
  } catch (error) {
    // Without knowing whether an answer is stored, running could pay for it twice: the
    // attempt fails (and retries) instead of leaving its jobs "running" with nothing to end them.
    await finalizeAll(
      deps,
      type,
      executions.map((execution) => ({ execution, outcome: { ok: false, error } })),
    );
    return;
  }
  const toRun = executions.filter((execution) => !cached.has(execution.job.id));
  await finalizeAll(
    deps,
    type,
    executions.flatMap((execution) =>
      cached.has(execution.job.id) ? [{ execution, outcome: { ok: true, value: cached.get(execution.job.id) } }] : [],
    ),
    true,
  );
  if (toRun.length === 0) return;

  const contexts = toRun.map((execution) => createContext(deps, execution));
  const timers = toRun.map((execution) =>
    type.timeoutMs === undefined
      ? undefined
      : deps.clock.setTimeout(
          () => execution.controller.abort(new JobTimeoutError(type.timeoutMs ?? 0)),
          type.timeoutMs,
        ),
  );

  let outcomes: readonly Outcome[];
  if (toRun.length === 1 || !type.runBatch) {
    outcomes = await Promise.all(toRun.map((execution, i) => runOne(type, execution, contexts[i] as AttemptContext)));
  } else {
    outcomes = await runMany(type, toRun, contexts);
  }

  for (const timer of timers) if (timer !== undefined) deps.clock.clearTimeout(timer);
  await Promise.all(contexts.map((context) => context.settle()));
  await finalizeAll(
    deps,
    type,
    toRun.map((execution, i) => ({
      execution,
      outcome: outcomes[i] ?? { ok: false, error: new Error('No outcome for this job') },
    })),
  );
}

async function storedAnswers(
  deps: AttemptDeps,
  type: AnyJobType,
  executions: readonly Execution[],
): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  if (!type.cache) return found;
  const withPrint = executions.filter((e) => e.job.fingerprint !== undefined && e.job.fresh !== true);
  if (withPrint.length === 0) return found;
  const stored = await deps.store.responses.getMany(withPrint.map((e) => e.job.fingerprint as string));
  stored.forEach((record, i) => {
    const execution = withPrint[i];
    if (record && execution) found.set(execution.job.id, record.response);
  });
  return found;
}

function createContext(deps: AttemptDeps, execution: Execution): AttemptContext {
  return createJobContext({
    job: execution.job,
    lease: execution.lease,
    controller: execution.controller,
    clock: deps.clock,
    jobs: deps.store.jobs,
    journal: deps.store.journal,
    queries: deps.store.queries,
    progressIntervalMs: deps.progressIntervalMs,
    enqueue: deps.enqueue,
    ai: deps.ai,
  });
}

async function runOne(type: AnyJobType, execution: Execution, attempt: AttemptContext): Promise<Outcome> {
  try {
    const value = await untilAborted(type.run(execution.job.payload, attempt.context), execution.controller.signal);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error };
  }
}

async function runMany(
  type: AnyJobType,
  executions: readonly Execution[],
  contexts: readonly AttemptContext[],
): Promise<readonly Outcome[]> {
  // The call as a whole stops only when every one of its jobs was stopped.
  const batch = new AbortController();
  let remaining = executions.length;
  for (const execution of executions) {
    const onAbort = () => {
      remaining -= 1;
      if (remaining === 0) batch.abort(execution.controller.signal.reason);
    };
    if (execution.controller.signal.aborted) onAbort();
    else execution.controller.signal.addEventListener('abort', onAbort, { once: true });
  }
  const items = executions.map((execution, i) => ({
    payload: execution.job.payload,
    context: (contexts[i] as AttemptContext).context,
  }));
  try {
    const outcomes = await untilAborted(
      (type.runBatch as NonNullable<AnyJobType['runBatch']>)(items, batch.signal),
      batch.signal,
    );
    return executions.map(
      (_, i) => outcomes[i] ?? { ok: false, error: new Error('The batch returned no outcome for this job') },
    );
  } catch (error) {
    return executions.map(() => ({ ok: false, error }));
  }
}

/**
 * Records the outcomes of the attempts of one unit, each fenced by its lease. The results of a
 * cached type are remembered in one write (unless they came from the store: `stored`), then
 * every outcome is handed to the runner at once: a batch's members share one round (one strict
 * commit) instead of taking one round each.
 */
async function finalizeAll(
  deps: AttemptDeps,
  type: AnyJobType,
  finished: readonly { readonly execution: Execution; readonly outcome: Outcome }[],
  stored = false,
): Promise<void> {
  const now = deps.clock.now();
  const failed = (execution: Execution, error: unknown): JobAction =>
    failureAction(error, failureContext(deps, type, execution.job, now));
  const decided: { readonly execution: Execution; action: JobAction }[] = [];
  const toRemember: { readonly decision: (typeof decided)[number]; readonly result: unknown }[] = [];
  for (const { execution, outcome } of finished) {
    const { signal } = execution.controller;
    // Paused, cancelled, removed, fenced or shut down: the record already says what happened.
    if (signal.reason instanceof JobAbortedError || signal.reason instanceof StaleRunnerError) continue;
    if (!outcome.ok || signal.aborted) {
      decided.push({ execution, action: failed(execution, outcome.ok ? signal.reason : outcome.error) });
      continue;
    }
    try {
      assertCloneable(outcome.value, 'result');
      const decision = { execution, action: { type: 'complete', result: outcome.value } as JobAction };
      decided.push(decision);
      if (!stored && type.cache && execution.job.fingerprint !== undefined) {
        toRemember.push({ decision, result: outcome.value });
      }
    } catch (error) {
      decided.push({ execution, action: failed(execution, error) });
    }
  }
  if (toRemember.length > 0) {
    try {
      await remember(
        deps,
        type,
        toRemember.map(({ decision, result }) => ({ job: decision.execution.job, result })),
        now,
      );
    } catch (error) {
      // The answers could not be kept: those jobs fail (and retry) rather than complete uncached.
      for (const { decision } of toRemember) decision.action = failed(decision.execution, error);
    }
  }
  await Promise.all(decided.map(({ execution, action }) => record(deps, type, execution, action, now)));
}

/** Hands one outcome to the runner's next round; if storage refuses it, records a failure instead. */
async function record(
  deps: AttemptDeps,
  type: AnyJobType,
  execution: Execution,
  action: JobAction,
  now: number,
): Promise<void> {
  const { job, lease } = execution;
  try {
    await deps.commit(job.id, lease, action);
    if (action.type === 'rate-limit') await deps.hold(type, action.until, now);
  } catch (error) {
    if (error instanceof StaleRunnerError || !deps.isActive()) return;
    await recordFailureInstead(deps, type, job, lease, error);
  }
}

/** The longest wait between two tries of a failure that storage refused. */
const FALLBACK_RETRY_MAX_MS = 30_000;

/**
 * The outcome could not be stored (storage full, say): record a failure instead, so the job
 * retries later rather than stay "running" until the next runner takes over. While storage
 * stays full (or keeps failing) that write is refused too; it is small, and tried again (1 s
 * apart, doubling up to 30 s) for as long as this runner runs, so it lands as soon as storage
 * takes writes again.
 */
async function recordFailureInstead(
  deps: AttemptDeps,
  type: AnyJobType,
  job: JobRecord,
  lease: Lease,
  error: unknown,
): Promise<void> {
  for (let wait = 1_000; deps.isActive(); wait = Math.min(wait * 2, FALLBACK_RETRY_MAX_MS)) {
    const now = deps.clock.now();
    const fallback: JobAction = {
      type: 'fail',
      error: toJobError(error),
      retryAt: now + backoffDelay(job.attempts, type.retry?.backoff, deps.random),
    };
    try {
      await deps.store.jobs.applyAsRunner(job.id, lease, fallback, now);
      return;
    } catch (refused) {
      // Fenced (another runner owns the job) or outdated: the record is not ours to change.
      // Any other refusal (storage full, a passing failure) is tried again: giving up would
      // leave the job "running" under this runner, with no attempt to end it.
      if (refused instanceof StaleRunnerError || refused instanceof VersionError) return;
    }
    await new Promise<void>((resolve) => deps.clock.setTimeout(resolve, wait));
  }
}

function failureContext(deps: AttemptDeps, type: AnyJobType, job: JobRecord, now: number): FailureContext {
  const online = deps.network.isOnline();
  return {
    attempts: job.attempts,
    backoff: type.retry?.backoff,
    now,
    offline: type.needsNetwork === true && !online,
    online,
    random: deps.random,
  };
}

/** Keeps the results of a cached type, in one write, except answers stored already (with their prompt). */
async function remember(
  deps: AttemptDeps,
  type: AnyJobType,
  results: readonly { readonly job: JobRecord; readonly result: unknown }[],
  now: number,
): Promise<void> {
  const byPrint = [...new Map(results.map((item) => [item.job.fingerprint as string, item])).entries()];
  const stored = await deps.store.responses.getMany(byPrint.map(([fingerprint]) => fingerprint));
  // The result stored first is kept, except by a job that asked anew. An AI answer, which its
  // attempt stored already with prompt and provider, is never overwritten by this plain copy.
  const missing = byPrint.filter(([, item], i) => {
    const record = stored[i];
    return record === undefined || (item.job.fresh === true && record.provider === '');
  });
  if (missing.length === 0) return;
  await deps.store.responses.putMany(
    missing.map(([fingerprint, { job, result }]) => ({
      fingerprint,
      type: type.type,
      provider: '',
      model: '',
      request: job.payload,
      prompt: '',
      response: result,
      createdAt: now,
    })),
  );
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
