import {
  nextTask,
  fromJobError,
  ErrandError,
  JobAbortedError,
  StaleRunnerError,
  VersionError,
  type Clock,
  type EnqueueOptions,
  type JobAction,
  type JobRecord,
  type Lease,
} from '../shared';
import type { FinishRequest, WorkerStore } from '../store';
import type { AiClient } from './ai-client';
import { runAttempts, type AttemptDeps, type Execution } from './attempt';
import type { AnyJobType, RateLimitOptions } from './define-job-type';
import type { NetworkStatus } from './network-status';
import { RateLimiter } from './rate-limiter';
import { WakeTimer } from './wake-timer';

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
  readonly ai: AiClient | undefined;
  /** Called when the runner stops for good (lost the database to a newer version, or to another runner). */
  readonly onStopped: (error: ErrandError) => void;
}

/** A slot's worth of work: one job, or one batch of jobs of a type. */
interface Unit {
  readonly type: string;
  readonly executions: readonly Execution[];
}

const DEFAULT_BATCH_WINDOW_MS = 250;

interface PendingFinish extends FinishRequest {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  /** Rounds that failed to store it so far. */
  readonly rounds: number;
}

/** How soon a round that failed on storage is tried again. */
const STORAGE_RETRY_MS = 1000;
/** Failed rounds after which an outcome is given up (and the job's failure recorded instead). */
const MAX_FINISH_ROUNDS = 30;

/**
 * The consumer loop of the one runner: claims runnable jobs in order, runs each handler
 * with its context, and records the outcome through the repository. It runs only after the
 * runtime holds the runner lock and has taken over (`start(epoch)`).
 */
export class Runner {
  private epoch = 0;
  private active = false;
  private readonly executions = new Map<string, Execution>();
  private readonly units = new Set<Unit>();
  private readonly rateLimiter: RateLimiter;
  private readonly declaredLimits: ReadonlyMap<string, RateLimitOptions>;
  private readonly attemptDeps: AttemptDeps;
  private concurrency: number;
  /** Outcomes waiting for the next round's transaction. */
  private finishQueue: PendingFinish[] = [];
  /** Jobs whose outcome is queued or being committed: their slot is free for the next round. */
  private readonly finishing = new Set<string>();
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  private readonly wakeTimer: WakeTimer;
  private idleWaiters: (() => void)[] = [];
  private leaseCounter = 0;
  private readonly networkTypes: ReadonlySet<string>;

  constructor(private readonly deps: RunnerDeps) {
    const limits = new Map<string, RateLimitOptions>();
    for (const type of deps.types.values()) {
      if (type.rateLimit && !limits.has(groupOf(type))) limits.set(groupOf(type), type.rateLimit);
    }
    this.declaredLimits = limits;
    this.rateLimiter = new RateLimiter(limits);
    this.concurrency = deps.concurrency;
    this.wakeTimer = new WakeTimer(deps.clock, () => void this.pump());
    this.networkTypes = new Set([...deps.types.values()].filter((t) => t.needsNetwork).map((t) => t.type));
    this.attemptDeps = {
      store: deps.store,
      clock: deps.clock,
      network: deps.network,
      progressIntervalMs: deps.progressIntervalMs,
      random: deps.random,
      ai: deps.ai,
      enqueue: deps.enqueue,
      commit: (id, lease, action) => this.commit(id, lease, action),
      hold: (type, until, now) => this.hold(type, until, now),
      isActive: () => this.active,
    };
  }

  /** Changes how many units run at once. */
  setConcurrency(concurrency: number): void {
    this.concurrency = concurrency;
    void this.pump();
  }

  /**
   * Changes a rate-limit group's limit, e.g. when the user edits the AI requests per minute;
   * undefined goes back to the limit the job types declare.
   */
  setRateLimit(group: string, limit: RateLimitOptions | undefined): void {
    this.rateLimiter.setLimit(group, limit ?? this.declaredLimits.get(group));
    void this.pump();
  }

  get isActive(): boolean {
    return this.active;
  }

  get running(): number {
    return this.executions.size;
  }

  /** True while any job is mid-attempt (an update should wait). */
  get busy(): boolean {
    return this.units.size > 0;
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
    for (const finish of this.finishQueue.splice(0)) finish.reject(new StaleRunnerError(finish.id));
    this.wakeTimer.clear();
    for (const execution of this.executions.values()) execution.controller.abort(new JobAbortedError('shutdown'));
    this.resolveIdle();
  }

  /** Makes sure a round runs at `at` (a job was scheduled for then). */
  wakeAt(at: number): void {
    if (this.active) this.wakeTimer.schedule(at);
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
        // One task's grace: attempts finishing in the same turn (quick jobs, a batch's
        // members) then share this round's transaction instead of one round each.
        await nextTask();
        if (!this.active) break;
        await this.pumpOnce();
      }
    } finally {
      this.pumping = undefined;
    }
  }

  private async pumpOnce(): Promise<void> {
    const { store, clock, network } = this.deps;
    const now = clock.now();
    const finishes = this.finishQueue;
    this.finishQueue = [];
    try {
      const busy = this.busyUnits();
      const limit = Math.max(0, this.concurrency - busy.length);
      if (finishes.length === 0 && limit === 0) return;
      const capacity = this.capacity(now, busy);
      await this.holdLimitedQueues(now);
      const batches = new Map<string, { maxSize: number; windowMs: number }>();
      for (const type of this.deps.types.values()) {
        if (!type.batch || !type.runBatch || (capacity.get(type.type) ?? 0) <= 0) continue;
        batches.set(type.type, {
          maxSize: type.batch.maxSize,
          windowMs: type.batch.windowMs ?? DEFAULT_BATCH_WINDOW_MS,
        });
        capacity.set(type.type, 0);
      }
      const claimed = await store.jobs.claim({
        epoch: this.epoch,
        now,
        limit,
        capacity,
        batches,
        finishes,
        needsNetwork: this.networkTypes,
        online: network.isOnline(),
        newLease: () => ({ epoch: this.epoch, token: `${this.epoch}:${++this.leaseCounter}:${now}` }),
      });
      finishes.forEach((finish, i) => {
        this.finishing.delete(finish.id);
        const result = claimed.finished[i];
        if (result?.ok) finish.resolve();
        else finish.reject(result ? fromJobError(result.error) : new StaleRunnerError(finish.id));
      });
      // Jobs the round woke are queued now: claim them in a round of their own.
      if (claimed.woken > 0) this.pumpAgain = true;
      for (const job of claimed.started) this.execute([job], now);
      for (const members of claimed.batches) this.execute(members, now);
      this.scheduleNextWake(now, [claimed.nextWakeAt, claimed.batchWakeAt]);
      const startedNothing = claimed.started.length === 0 && claimed.batches.length === 0;
      if (this.units.size === 0 && startedNothing && !this.pumpAgain) this.resolveIdle();
    } catch (error) {
      const fatal = !this.active || error instanceof StaleRunnerError || error instanceof VersionError;
      for (const finish of finishes) {
        // Storage full or a passing failure: keep the outcome for the next round, so work
        // resumes by itself when room returns; give up on it only after several rounds (a
        // result too large to ever fit then fails the job instead of holding its slot).
        if (!fatal && finish.rounds < MAX_FINISH_ROUNDS) {
          this.finishQueue.push({ ...finish, rounds: finish.rounds + 1 });
          continue;
        }
        this.finishing.delete(finish.id);
        finish.reject(error);
      }
      if (!this.active) return;
      if (fatal) {
        this.stop();
        this.deps.onStopped(error as ErrandError);
        return;
      }
      if (this.active) this.wakeTimer.schedule(now + STORAGE_RETRY_MS);
    }
  }

  /**
   * Jobs of a type whose group used up its starts for now wait with reason `rate_limit` until
   * the group may start again, so that they say why they do not start (and count down) rather
   * than sit queued; they are woken then like any timed wait.
   */
  private async holdLimitedQueues(now: number): Promise<void> {
    for (const type of this.deps.types.values()) {
      const until = this.rateLimiter.availableAt(groupOf(type), now);
      if (until !== undefined) await this.deps.store.jobs.holdType(type.type, until, now);
    }
  }

  /** Free slots per type: its concurrency less what runs (a batch is one), and its rate limit. */
  private capacity(now: number, busy: readonly Unit[]): Map<string, number> {
    const runningByType = new Map<string, number>();
    for (const unit of busy) runningByType.set(unit.type, (runningByType.get(unit.type) ?? 0) + 1);
    const capacity = new Map<string, number>();
    for (const type of this.deps.types.values()) {
      const free = (type.concurrency ?? Infinity) - (runningByType.get(type.type) ?? 0);
      capacity.set(type.type, Math.min(free, this.rateLimiter.available(groupOf(type), now)));
    }
    return capacity;
  }

  /** Units still working: a unit whose every outcome is queued frees its slot for the round that commits them. */
  private busyUnits(): Unit[] {
    return [...this.units].filter(
      (unit) => !unit.executions.every((execution) => this.finishing.has(execution.job.id)),
    );
  }

  private execute(jobs: readonly JobRecord[], now: number): void {
    const first = jobs[0];
    const type = first && this.deps.types.get(first.type);
    if (!first || !type) return;
    const executions = jobs.flatMap((job) =>
      job.lease ? [{ job, lease: job.lease, controller: new AbortController() }] : [],
    );
    const unit: Unit = { type: type.type, executions };
    this.units.add(unit);
    for (const execution of executions) {
      // Claimed again while an earlier attempt still runs (another tab paused and resumed it, and
      // its message was lost): that attempt no longer owns the job, and stops now rather than run
      // beside this one (a second paid call) until its next write is refused.
      this.executions.get(execution.job.id)?.controller.abort(new StaleRunnerError(execution.job.id));
      this.executions.set(execution.job.id, execution);
    }
    this.rateLimiter.recordStart(groupOf(type), now);
    void runAttempts(this.attemptDeps, type, executions)
      .catch(() => undefined)
      .finally(() => {
        this.units.delete(unit);
        // A job can be claimed again while this attempt still ends (another tab paused and
        // resumed it, and its message was lost): the entry is then the new attempt's, which a
        // later pause must still find and abort.
        for (const execution of executions) {
          if (this.executions.get(execution.job.id) === execution) this.executions.delete(execution.job.id);
        }
        void this.pump();
      });
  }

  /** Queues an outcome for the next round; resolves once it is committed. */
  private commit(id: string, lease: Lease, action: JobAction): Promise<void> {
    if (!this.active) return Promise.reject(new StaleRunnerError(id));
    return new Promise<void>((resolve, reject) => {
      this.finishQueue.push({ id, lease, action, resolve, reject, rounds: 0 });
      this.finishing.add(id);
      void this.pump();
    });
  }

  /** Holds every type of the group until `until`, in memory and in the records the user sees. */
  private async hold(type: AnyJobType, until: number, now: number): Promise<void> {
    const group = groupOf(type);
    this.rateLimiter.hold(group, until);
    for (const other of this.deps.types.values()) {
      if (groupOf(other) === group) await this.deps.store.jobs.holdType(other.type, until, now);
    }
  }

  private scheduleNextWake(now: number, wakeTimes: readonly (number | undefined)[]): void {
    const candidates = [...wakeTimes, this.rateLimiter.nextChange(now), now + this.deps.pollMs];
    const next = Math.min(...candidates.filter((at): at is number => at !== undefined));
    if (this.active) this.wakeTimer.schedule(next);
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The rate-limit group of a type: its own name unless it shares one. */
function groupOf(type: AnyJobType): string {
  return type.rateLimit?.group ?? type.type;
}
