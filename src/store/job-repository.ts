import {
  canApply,
  InvalidTransitionError,
  JobNotFoundError,
  reduceJob,
  type BulkResult,
  type EnqueueStage,
  type JobAction,
  type JobRecord,
  type Lease,
} from '../shared';
import type { ErrandDb, StoredJob } from './db';
import { claimInTransaction, EPOCH_KEY, type ClaimOptions, type ClaimResult } from './claim';
import {
  dependencyActions,
  enqueuedAs,
  readDependencies,
  releaseDependents,
  writeSettledDependents,
} from './dependencies';
import { commitEarly, currentIdbTransaction, writeJobs, type CommittedJobsListener } from './committed-jobs';
import { assertLease, withIndexKeys, withoutIndexKeys } from './index-keys';
import { withStorageErrors } from './storage-errors';
import { applyInPlace, type InPlaceWrite } from './in-place-writes';
import { WriteGroup, type Outcome } from './write-group';
import { ensureStoreIdentity, type StoreIdentity } from './store-identity';
import { pageExitOf, readExits, writeExits } from './page-exits';
import { tallyCompletions } from './completion-tally';
import { addOne, addsAlone } from './add-one';
import { fromCache, settleFirstStates } from './settle-first-states';

/** A progress report as the handler made it. */
export interface ProgressUpdate {
  readonly progress: number;
  readonly step?: string;
}

/**
 * The only writer of jobs. Every change is the reducer applied inside one read-write
 * transaction; writes on behalf of a running attempt carry its lease and are refused once
 * the attempt no longer owns the job.
 *
 * `db` commits with strict durability (enqueue, completion, checkpoints); `relaxedDb` is a
 * second connection with relaxed durability, used for progress and for runner rounds that only
 * start or wake jobs.
 *
 * `onCommitted`, when given, hears the jobs each transaction changed once it has committed
 * (both connections must use `jobWritesMiddleware`): the runtime's change feed.
 */
export class JobRepository {
  constructor(
    private readonly db: ErrandDb,
    private readonly relaxedDb: ErrandDb = db,
    private readonly onCommitted?: CommittedJobsListener,
  ) {}

  /** A read-write transaction whose job changes are announced once it has committed. */
  #write<T>(db: ErrandDb, tables: readonly { readonly name: string }[], body: () => Promise<T>): Promise<T> {
    return writeJobs(db, tables, body, this.onCommitted);
  }

  /**
   * Stores new jobs, all or nothing, and answers each request with the job that serves it:
   * - a fingerprint whose answer is stored: a job completed at once from it (a cache hit);
   * - a fingerprint of a job still queued, running, waiting or paused: that job (a join);
   * - otherwise the new job.
   * A request whose `dependsOn` names a job that does not exist refuses them all (`invalid-input`).
   */
  insert(
    jobs: readonly JobRecord[],
    now: number,
    onStage?: (stage: Exclude<EnqueueStage, 'preparing' | 'waiting'>) => void,
  ): Promise<JobRecord[]> {
    const db = this.db;
    if (addsAlone(db, jobs)) return withStorageErrors(() => this.#insertAlone(jobs[0], onStage));
    return withStorageErrors(() =>
      // Only requests for cached types read the answers; the others lock just `jobs`.
      this.#write(
        db,
        jobs.some((job) => job.fingerprint !== undefined) ? [db.jobs, db.responses, db.meta] : [db.jobs],
        async () => {
          const trans = currentIdbTransaction();
          onStage?.('reading');
          // Before any answer from the cache or join: whether a request is refused does not
          // depend on what the store happens to hold for its fingerprint.
          const stored = await readDependencies(db.jobs, jobs);
          const out: JobRecord[] = [];
          /** What each request came to: a new job, one answered from the cache, or one it joined. */
          const kinds: ('new' | 'hit' | 'joined')[] = [];
          const joinable = new Map<string, JobRecord>();
          for (const job of jobs) {
            const fingerprint = job.fingerprint;
            // A request asked anew is neither answered from the store nor joined to one in flight.
            if (fingerprint === undefined || job.fresh === true) {
              kinds.push('new');
              out.push(job);
              continue;
            }
            const answer = await db.responses.get(fingerprint);
            if (answer) {
              // The answer is only read: a hit writes nothing but its job (marked `cacheHit`).
              kinds.push('hit');
              out.push(fromCache(job, answer.response, now));
              continue;
            }
            const joined = joinable.get(fingerprint) ?? (await this.activeWithFingerprint(fingerprint));
            kinds.push(joined ? 'joined' : 'new');
            // One that fails at once for a stored dependency is not joined: it will not answer.
            if (!joined && enqueuedAs(job, stored, now).status !== 'failed') joinable.set(fingerprint, job);
            out.push(joined ?? job);
          }
          settleFirstStates(out, kinds, jobs, stored, now);
          const fresh = out.filter((_job, i) => kinds[i] !== 'joined').map(withIndexKeys);
          onStage?.('writing');
          // Jobs completed from the cache count as completions, as the runner's do.
          await tallyCompletions(db, fresh, now);
          const added = db.jobs.bulkAdd(fresh);
          // A single new job, the enqueue whose wait an app feels: its transaction commits as
          // soon as the write is done. With one record, a failed write still leaves nothing.
          if (fresh.length === 1) await commitEarly(trans, added);
          else {
            await added;
            // A job failed at once for its dependency fails those of this insert that wait on it.
            const failed = fresh.filter((job) => job.status === 'failed');
            const settled = await writeSettledDependents(db.jobs, failed, now);
            const byId = new Map(settled.map((job) => [job.id, withoutIndexKeys(job)]));
            if (byId.size > 0) out.forEach((job, i) => (out[i] = byId.get(job.id) ?? job));
          }
          onStage?.('committing');
          return out;
        },
      ),
    );
  }

  /** `insert` of one job with nothing to read first (see `addsAlone`): its first state is as built. */
  async #insertAlone(
    job: JobRecord,
    onStage?: (stage: Exclude<EnqueueStage, 'preparing' | 'waiting'>) => void,
  ): Promise<JobRecord[]> {
    onStage?.('writing');
    const stored = withIndexKeys(job);
    await addOne(this.db, stored, () => onStage?.('committing'));
    this.onCommitted?.({ changed: [withoutIndexKeys(stored)], removed: [] });
    return [job];
  }

  private async activeWithFingerprint(fingerprint: string): Promise<JobRecord | undefined> {
    const match = await this.db.jobs
      .where('fingerprint')
      .equals(fingerprint)
      .filter(
        (job) =>
          job.status === 'queued' || job.status === 'running' || job.status === 'waiting' || job.status === 'paused',
      )
      .first();
    return match && withoutIndexKeys(match);
  }

  get(id: string): Promise<JobRecord | undefined> {
    return withStorageErrors(async () => {
      const job = await this.db.jobs.get(id);
      return job && withoutIndexKeys(job);
    });
  }

  /**
   * Applies a command to several jobs in one transaction. Jobs it does not apply to are
   * skipped with a code, not failed: a bulk pause over a mixed selection pauses what it can.
   */
  applyMany(ids: readonly string[], action: JobAction, now: number): Promise<BulkResult> {
    return withStorageErrors(() =>
      this.#write(this.db, [this.db.jobs], async () => {
        const found = await this.db.jobs.bulkGet([...ids]);
        const changed: StoredJob[] = [];
        const skipped: { id: string; code: string }[] = [];
        found.forEach((job, i) => {
          const id = ids[i] as string;
          if (!job) skipped.push({ id, code: 'not-found' });
          else if (!canApply(job.status, action.type)) skipped.push({ id, code: 'invalid-transition' });
          else changed.push(withIndexKeys(reduceJob(job, action, now)));
        });
        await this.#waitForDependencies(changed, now);
        await this.db.jobs.bulkPut(changed);
        await writeSettledDependents(this.db.jobs, changed, now);
        return { changed: changed.map(withoutIndexKeys), skipped };
      }),
    );
  }

  /**
   * Jobs a command put back in the queue (resumed, retried) whose dependencies have not all
   * completed wait for them again, in place in `changed`: listed as queued, they would show in
   * the run order, and say "Queued", until a claim found them not ready. One with a dependency
   * that failed, was cancelled or is gone fails again at once, saying which, in the command's
   * answer (as an enqueue does), rather than at the next claim.
   */
  async #waitForDependencies(changed: StoredJob[], now: number): Promise<void> {
    const blocked = changed.filter((job) => job.status === 'queued' && (job.dependsOn?.length ?? 0) > 0);
    if (blocked.length === 0) return;
    const actions = await dependencyActions(this.db.jobs, blocked, changed);
    changed.forEach((job, i) => {
      const action = actions.get(job.id);
      if (action) changed[i] = withIndexKeys(reduceJob(job, action, now));
    });
  }

  /** Applies one command; throws `not-found` or `invalid-transition`. */
  async apply(id: string, action: JobAction, now: number): Promise<JobRecord> {
    const result = await this.applyMany([id], action, now);
    const job = result.changed[0];
    if (job) return job;
    const current = await this.get(id);
    if (!current) throw new JobNotFoundError(id);
    throw new InvalidTransitionError(current.status, action.type);
  }

  /**
   * A change on behalf of a running attempt (progress, checkpoint, completion, failure),
   * fenced by its lease: a runner that lost the job changes nothing.
   * @throws StaleRunnerError when `lease` no longer owns the job
   */
  applyAsRunner(id: string, lease: Lease, action: JobAction, now: number): Promise<JobRecord> {
    const db = this.db;
    return withStorageErrors(() =>
      this.#write(db, [db.jobs], async () => {
        const job = assertLease(await db.jobs.get(id), id, lease);
        const next = withIndexKeys(reduceJob(job, action, now));
        await db.jobs.put(next);
        await writeSettledDependents(db.jobs, [next], now);
        return withoutIndexKeys(next);
      }),
    );
  }

  /**
   * Progress of a running attempt, fenced by its lease, written relaxed. Reports of every running
   * attempt that arrive together share one transaction (with a thousand jobs running, one each
   * was more than IndexedDB commits).
   * @throws StaleRunnerError when `lease` no longer owns the job
   */
  progress(id: string, lease: Lease, update: ProgressUpdate, now: number): Promise<JobRecord> {
    return this.#progress.push({ id, lease, action: { type: 'progress', ...update }, now });
  }

  /**
   * A running attempt's checkpoint, fenced by its lease, committed strictly before it resolves.
   * Checkpoints of every running attempt that arrive together share one transaction, as
   * progress does: a thousand jobs finishing a step at once made a thousand strict commits.
   * @throws StaleRunnerError when `lease` no longer owns the job
   */
  checkpoint(id: string, lease: Lease, state: unknown, now: number): Promise<JobRecord> {
    return this.#checkpoints.push({ id, lease, action: { type: 'checkpoint', state }, now });
  }

  readonly #progress = new WriteGroup<InPlaceWrite, JobRecord>((writes) => this.#writeInPlace(this.relaxedDb, writes));
  readonly #checkpoints = new WriteGroup<InPlaceWrite, JobRecord>((writes) => this.#writeInPlace(this.db, writes));

  /** One transaction for a group of in-place changes, each fenced by its own lease. */
  #writeInPlace(db: ErrandDb, writes: readonly InPlaceWrite[]): Promise<Outcome<JobRecord>[]> {
    return withStorageErrors(() => this.#write(db, [db.jobs], () => applyInPlace(db, writes)));
  }

  /**
   * Removes jobs with their steps, logs and files; the jobs that depended on them go on (see
   * `releaseDependents`) instead of waiting for ever.
   */
  remove(ids: readonly string[], now: number): Promise<BulkResult> {
    const db = this.db;
    return withStorageErrors(() =>
      this.#write(db, [db.jobs, db.steps, db.logs, db.files], async () => {
        const found = await db.jobs.bulkGet([...ids]);
        const present = found.filter((job): job is StoredJob => job !== undefined);
        const presentIds = present.map((job) => job.id);
        await db.jobs.bulkDelete(presentIds);
        await releaseDependents(db.jobs, present, now);
        await db.steps.where('jobId').anyOf(presentIds).delete();
        await db.logs.where('jobId').anyOf(presentIds).delete();
        await db.files.where('jobId').anyOf(presentIds).delete();
        const skipped = ids.filter((id) => !presentIds.includes(id)).map((id) => ({ id, code: 'not-found' }));
        return { changed: present.map(withoutIndexKeys), skipped };
      }),
    );
  }

  /**
   * Becomes the runner: bumps the epoch and re-queues every job a previous runner left
   * running (a stalled attempt, resumed from its checkpoint). The attempts are given back when
   * the previous runner's page noted that it left (see `markPageExit`). `instance` names this
   * runner for the next takeover to ask after. A database without an identity yet (new, or kept
   * by a version that made none) gets `identity`.
   */
  takeOver(
    now: number,
    identity: StoreIdentity,
    instance?: string,
  ): Promise<{ epoch: number; requeued: readonly string[] }> {
    const db = this.db;
    return withStorageErrors(() =>
      this.#write(db, [db.meta, db.jobs, db.exits], async () => {
        // Every read at once, then every write: a takeover waits on as few trips to the
        // database as it can, each of which can take tens of ms in a busy browser.
        const [, previous, running, exits] = await Promise.all([
          ensureStoreIdentity(db, identity),
          db.meta.get(EPOCH_KEY),
          db.jobs.where('[status+createdAt]').between(['running', -Infinity], ['running', Infinity]).toArray(),
          readExits(db),
        ]);
        const previousEpoch = typeof previous?.value === 'number' ? previous.value : 0;
        const epoch = previousEpoch + 1;
        const exitedAt = pageExitOf(exits, previousEpoch);
        const requeue: JobAction =
          exitedAt === undefined ? { type: 'requeue' } : { type: 'requeue', pageExit: true, exitedAt };
        const requeued = running.map((job) => withIndexKeys(reduceJob(job, requeue, now)));
        await Promise.all([
          db.meta.put({ key: EPOCH_KEY, value: epoch }),
          db.jobs.bulkPut(requeued),
          ...writeExits(db, exits, epoch, instance),
        ]);
        await writeSettledDependents(db.jobs, requeued, now);
        return { epoch, requeued: running.map((job) => job.id) };
      }),
    );
  }

  /** The epoch of the current runner, as stored. */
  async currentEpoch(): Promise<number> {
    const record = await withStorageErrors(() => this.db.meta.get(EPOCH_KEY));
    return typeof record?.value === 'number' ? record.value : 0;
  }

  /**
   * One round of the runner, in one transaction: records the outcomes of finished attempts
   * (each fenced by its lease), wakes waiting jobs whose time came, moves aside queued jobs
   * that cannot run (unmet dependencies, offline), and starts what fits, in order of
   * priority, rank and age. Committing outcomes and starts together is the group commit
   * that keeps the queue near the speed IndexedDB allows.
   * @throws StaleRunnerError when another runner took over since `epoch`
   */
  claim(options: ClaimOptions): Promise<ClaimResult> {
    // Outcomes are announced once committed, so they are flushed to disk (strict). A round
    // that only starts or wakes jobs commits relaxed: a power cut can lose it, which leaves the
    // jobs queued to start again; a later strict commit flushes it along with its own writes.
    const db = options.finishes !== undefined && options.finishes.length > 0 ? this.db : this.relaxedDb;
    return withStorageErrors(() => this.#write(db, [db.meta, db.jobs], async () => claimInTransaction(db, options)));
  }

  /** When the next timed wait ends, if any job waits for a time. */
  async nextWakeAt(): Promise<number | undefined> {
    const first = await withStorageErrors(() => this.db.jobs.orderBy('wakeAt').first());
    return first?.wakeAt;
  }

  /** Requeues every job that waits for the network. */
  wakeOffline(now: number): Promise<number> {
    const db = this.db;
    return withStorageErrors(() =>
      this.#write(db, [db.jobs], async () => {
        const waiting = await db.jobs
          .where('[status+createdAt]')
          .between(['waiting', -Infinity], ['waiting', Infinity])
          .filter((job) => job.waitReason === 'offline')
          .toArray();
        await db.jobs.bulkPut(waiting.map((job) => withIndexKeys(reduceJob(job, { type: 'wake' }, now))));
        return waiting.length;
      }),
    );
  }

  /**
   * Puts every queued job of `type` into a timed wait: the service told us to hold off, and
   * the user sees each of them waiting with the reason rather than silently queued.
   */
  holdType(type: string, until: number, now: number): Promise<number> {
    const db = this.db;
    return withStorageErrors(() =>
      this.#write(db, [db.jobs], async () => {
        const queued = await db.jobs.where('queueKey').between([type, -Infinity], [type, Infinity]).toArray();
        await db.jobs.bulkPut(
          queued.map((job) => withIndexKeys(reduceJob(job, { type: 'wait', reason: 'rate_limit', until }, now))),
        );
        return queued.length;
      }),
    );
  }
}
