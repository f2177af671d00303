import {
  assertCloneable,
  backoffDelay,
  toJobError,
  ErrandError,
  JobAbortedError,
  JobTimeoutError,
  StaleRunnerError,
  VersionError,
  type Clock,
  type EnqueueOptions,
  type JobAction,
  type JobRecord,
  type Lease,
  type TimerHandle,
} from '../shared';
import type { WorkerStore } from '../store';
import type { AnyJobType } from './define-job-type';
import { createJobContext } from './job-context';
import type { NetworkStatus } from './network-status';
import { RateLimiter } from './rate-limiter';
import { failureAction } from './retry-policy';

/** What the runner is given by the runtime. */
export interface RunnerDeps {
  readonly store: WorkerStore;
  readonly types: ReadonlyMap<string, AnyJobType>;
  readonly clock: Clock;
  readonly network: NetworkStatus;
  /** Jobs running at once across all types. */
  readonly concurrency: number;
  readonly progressIntervalMs: number;
  /** A safety net: pump this often even when told nothing, in case a nudge was missed. */
  readonly pollMs: number;
  readonly enqueue: (type: string, payload: unknown, options: EnqueueOptions) => Promise<JobRecord>;
  readonly random: () => number;
  /** Called when the runner stops for good (lost the database to a newer version, or to another runner). */
  readonly onStopped: (error: ErrandError) => void;
}

interface Execution {
  readonly job: JobRecord;
  readonly lease: Lease;
  readonly controller: AbortController;
}

/**
 * The consumer loop of the one runner: claims runnable jobs in order, runs each handler
 * with its context, and records the outcome through the repository. It runs only after the
 * runtime holds the runner lock and has taken over (`start(epoch)`).
 */
export class Runner {
  private epoch = 0;
  private active = false;
  private readonly executions = new Map<string, Execution>();
  private readonly rateLimiter: RateLimiter;
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  private wakeTimer: TimerHandle | undefined;
  private wakeAt: number | undefined;
  private idleWaiters: (() => void)[] = [];
  private leaseCounter = 0;
  private readonly networkTypes: ReadonlySet<string>;

  constructor(private readonly deps: RunnerDeps) {
    const limits = new Map(
      [...deps.types.values()].flatMap((type) => (type.rateLimit ? [[type.type, type.rateLimit] as const] : [])),
    );
    this.rateLimiter = new RateLimiter(limits);
    this.networkTypes = new Set([...deps.types.values()].filter((t) => t.needsNetwork).map((t) => t.type));
  }

  get isActive(): boolean {
    return this.active;
  }

  get running(): number {
    return this.executions.size;
  }

  /** Begins running jobs as the runner of `epoch`. */
  start(epoch: number): void {
    this.epoch = epoch;
    this.active = true;
    void this.pump();
  }

  /** Stops claiming and aborts every attempt in flight; their records stay for the next runner. */
  stop(): void {
    this.active = false;
    this.clearWakeTimer();
    for (const execution of this.executions.values()) execution.controller.abort(new JobAbortedError('shutdown'));
    this.resolveIdle();
  }

  /** Resolves when nothing runs and nothing is runnable now. */
  onIdle(): Promise<void> {
    if (!this.active) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      void this.pump();
    });
  }

  /**
   * Re-reads jobs another context changed (pause, cancel, remove) and aborts the attempts
   * that no longer own their job.
   */
  async checkOwnership(ids: readonly string[]): Promise<void> {
    const mine = ids.filter((id) => this.executions.has(id));
    for (const id of mine) {
      const execution = this.executions.get(id);
      if (!execution) continue;
      const job = await this.deps.store.jobs.get(id);
      if (job?.lease?.token === execution.lease.token && job.status === 'running') continue;
      const reason = job?.status === 'paused' ? 'paused' : 'cancelled';
      execution.controller.abort(new JobAbortedError(reason));
    }
  }

  /** Claims and starts what can run now. Calls made while one runs coalesce into one more. */
  pump(): Promise<void> {
    if (!this.active) return Promise.resolve();
    this.pumpAgain = true;
    this.pumping ??= this.drain();
    return this.pumping;
  }

  private async drain(): Promise<void> {
    try {
      // The loop test and the reset below run in one synchronous stretch, so a pump()
      // call can never land between "no more work" and "not pumping".
      while (this.pumpAgain && this.active) {
        this.pumpAgain = false;
        await this.pumpOnce();
      }
    } finally {
      this.pumping = undefined;
    }
  }

  private async pumpOnce(): Promise<void> {
    const { store, clock, network } = this.deps;
    const now = clock.now();
    try {
      const { started } = await store.jobs.claim({
        epoch: this.epoch,
        now,
        limit: Math.max(0, this.deps.concurrency - this.executions.size),
        capacity: this.capacity(now),
        needsNetwork: this.networkTypes,
        online: network.isOnline(),
        newLease: () => ({ epoch: this.epoch, token: `${this.epoch}:${++this.leaseCounter}:${now}` }),
      });
      for (const job of started) {
        this.rateLimiter.recordStart(job.type, now);
        this.execute(job);
      }
      await this.scheduleNextWake(now);
      if (this.executions.size === 0 && started.length === 0 && !this.pumpAgain) this.resolveIdle();
    } catch (error) {
      if (!this.active) return;
      if (error instanceof StaleRunnerError || error instanceof VersionError) {
        this.stop();
        this.deps.onStopped(error);
        return;
      }
      // A passing storage failure: try again shortly rather than stall the queue.
      this.scheduleWake(now + 1000);
    }
  }

  /** Free slots per type: its concurrency less what runs, and its rate limit. */
  private capacity(now: number): Map<string, number> {
    const runningByType = new Map<string, number>();
    for (const { job } of this.executions.values()) runningByType.set(job.type, (runningByType.get(job.type) ?? 0) + 1);
    const capacity = new Map<string, number>();
    for (const type of this.deps.types.values()) {
      const free = (type.concurrency ?? Infinity) - (runningByType.get(type.type) ?? 0);
      capacity.set(type.type, Math.min(free, this.rateLimiter.available(type.type, now)));
    }
    return capacity;
  }

  private execute(job: JobRecord): void {
    const type = this.deps.types.get(job.type);
    const lease = job.lease;
    if (!type || !lease) return;
    const controller = new AbortController();
    this.executions.set(job.id, { job, lease, controller });
    void this.runAttempt(job, type, lease, controller)
      .catch(() => undefined)
      .finally(() => {
      this.executions.delete(job.id);
      void this.pump();
    });
  }

  private async runAttempt(job: JobRecord, type: AnyJobType, lease: Lease, controller: AbortController): Promise<void> {
    const { clock, store } = this.deps;
    const timer =
      type.timeoutMs === undefined
        ? undefined
        : clock.setTimeout(() => controller.abort(new JobTimeoutError(type.timeoutMs ?? 0)), type.timeoutMs);
    const attempt = createJobContext({
      job,
      lease,
      controller,
      clock,
      jobs: store.jobs,
      journal: store.journal,
      progressIntervalMs: this.deps.progressIntervalMs,
      enqueue: this.deps.enqueue,
    });

    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
    try {
      const value = await untilAborted(type.run(job.payload, attempt.context), controller.signal);
      assertCloneable(value, 'result');
      outcome = { ok: true, value };
    } catch (error) {
      outcome = { ok: false, error };
    }
    if (timer !== undefined) clock.clearTimeout(timer);
    await attempt.settle();

    const reason: unknown = controller.signal.reason;
    // Paused, cancelled, removed, fenced or shut down: the record already says what happened.
    if (reason instanceof JobAbortedError || reason instanceof StaleRunnerError) return;

    const now = clock.now();
    const action: JobAction = outcome.ok
      ? { type: 'complete', result: outcome.value }
      : failureAction(outcome.error, {
          attempts: job.attempts,
          backoff: type.retry?.backoff,
          now,
          offline: type.needsNetwork === true && !this.deps.network.isOnline(),
          random: this.deps.random,
        });
    try {
      await store.jobs.applyAsRunner(job.id, lease, action, now);
      if (action.type === 'rate-limit') {
        this.rateLimiter.hold(job.type, action.until);
        await store.jobs.holdType(job.type, action.until, now);
      }
    } catch (error) {
      if (error instanceof StaleRunnerError || !this.active) return;
      // The outcome could not be stored (storage full, say): record the failure instead, so the
      // job retries later rather than stay "running" until the next runner takes over.
      const fallback: JobAction = {
        type: 'fail',
        error: toJobError(error),
        retryAt: now + backoffDelay(job.attempts, type.retry?.backoff, this.deps.random),
      };
      await store.jobs.applyAsRunner(job.id, lease, fallback, now).catch(() => undefined);
    }
  }

  private async scheduleNextWake(now: number): Promise<void> {
    const candidates = [await this.deps.store.jobs.nextWakeAt(), this.rateLimiter.nextChange(now), now + this.deps.pollMs];
    const next = Math.min(...candidates.filter((at): at is number => at !== undefined));
    this.scheduleWake(next);
  }

  private scheduleWake(at: number): void {
    if (!this.active) return;
    if (this.wakeTimer !== undefined && this.wakeAt !== undefined && this.wakeAt <= at) return;
    this.clearWakeTimer();
    this.wakeAt = at;
    this.wakeTimer = this.deps.clock.setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.wakeAt = undefined;
        void this.pump();
      },
      Math.max(0, at - this.deps.clock.now()),
    );
  }

  private clearWakeTimer(): void {
    if (this.wakeTimer !== undefined) this.deps.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.wakeAt = undefined;
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
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
        reject(error as Error);
      },
    );
  });
}
