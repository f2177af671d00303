import {
  UnsupportedContextError,
  assertId,
  assertIds,
  assertRecord,
  fingerprintOf,
  payloadCloneError,
  type BulkResult,
  type Clock,
  type EnqueueRequest,
  type EnqueueStage,
  type JobAction,
  type JobRecord,
  type PendingEnqueue,
  type WorkerApi,
} from '../shared';
import type { JobRepository } from '../store';
import type { AnyJobType, SettingsReader } from './define-job-type';
import { buildJobRecord } from './enqueue-builder';
import { enqueuedNudge, type Nudge } from './nudge';
import { toResult } from './to-result';
import { assertRequests, reprioritizeAction } from './validate';

/** What the job commands need of the runtime. */
export interface JobCommandDeps {
  readonly jobs: JobRepository;
  readonly types: ReadonlyMap<string, AnyJobType>;
  readonly clock: Clock;
  readonly newId: () => string;
  /** The rank of a job enqueued at `now`: strictly increasing. */
  readonly nextRank: (now: number) => number;
  /** Gives a cached type's `cache.key` the stored settings. */
  readonly readSetting: SettingsReader;
  /** Throws when the runtime is closed or its store is gone. */
  readonly assertOpen: () => void;
  /** Why no job can ever run here (no Web Locks, or the store denied to this site), if so. */
  readonly unsupported: () => string | undefined;
  /** Tells the runner (in this tab or another) of new or changed jobs. */
  readonly nudge: (message: Nudge) => void;
}

export type JobCommandsApi = Pick<
  WorkerApi,
  'enqueue' | 'enqueueMany' | 'pause' | 'resume' | 'cancel' | 'retry' | 'remove' | 'reprioritize'
>;

/** The job commands, and the enqueue they share with the runner and the schedules. */
export interface JobCommands {
  /** The worker API's job commands: each checks its input, writes, then nudges the runner. */
  readonly commands: JobCommandsApi;
  /** Enqueues requests already known to be objects; each is checked in full as it is built. */
  enqueueMany(requests: readonly EnqueueRequest[]): Promise<JobRecord[]>;
  /** Enqueues not answered yet, and where each is: what `status()` reports. */
  readonly pendingEnqueues: ReadonlySet<PendingEnqueue>;
}

/** Builds the worker API's job commands over the runtime's job repository. */
export function jobCommands(deps: JobCommandDeps): JobCommands {
  const { jobs, types, clock, newId, nextRank, readSetting, assertOpen, nudge } = deps;

  /** Enqueues not answered yet, and where each is: what `status()` reports. */
  const pendingEnqueues = new Set<{ jobs: number; since: number; stage: EnqueueStage }>();

  async function enqueueMany(requests: readonly EnqueueRequest[]): Promise<JobRecord[]> {
    assertOpen();
    // A job stored here would wait for ever, or cannot be stored at all.
    const unsupported = deps.unsupported();
    if (unsupported !== undefined) throw new UnsupportedContextError(unsupported);
    const now = clock.now();
    const records = requests.map((request) =>
      buildJobRecord(request, types, { id: newId(), now, rank: nextRank(now) }),
    );
    const pending = { jobs: records.length, since: now, stage: 'preparing' as EnqueueStage };
    pendingEnqueues.add(pending);
    try {
      const withPrints = await Promise.all(records.map((record) => withFingerprint(record)));
      pending.stage = 'waiting';
      let served: JobRecord[];
      try {
        served = await jobs.insert(withPrints, now, (stage) => {
          pending.stage = stage;
        });
      } catch (error) {
        // IndexedDB's clone refused a payload (`data-clone`), or a getter in one threw while it
        // was cloned (the write then fails with that getter's error): name the payload.
        throw payloadCloneError(records.map((record) => record.payload)) ?? error;
      }
      nudge(enqueuedNudge(served));
      return served;
    } finally {
      pendingEnqueues.delete(pending);
    }
  }

  /** Adds the fingerprint of a cached type's request: type plus the type's cache key. */
  async function withFingerprint(record: JobRecord): Promise<JobRecord> {
    const type = types.get(record.type);
    if (!type?.cache) return record;
    const key = type.cache.key ? await type.cache.key(record.payload, readSetting) : record.payload;
    return { ...record, fingerprint: await fingerprintOf({ type: record.type, key }) };
  }

  async function command(ids: readonly string[], action: JobAction): Promise<BulkResult> {
    assertIds(ids, 'ids');
    assertOpen();
    const result = await jobs.applyMany(ids, action, clock.now());
    nudge({ kind: 'changed', ids: result.changed.map((job) => job.id) });
    return result;
  }

  const commands: JobCommandsApi = {
    enqueue: (request) =>
      toResult(async () => {
        assertRecord(request, 'request');
        return (await enqueueMany([request]))[0] as JobRecord;
      }),
    enqueueMany: (requests) =>
      toResult(() => {
        assertRequests(requests);
        return enqueueMany(requests);
      }),
    pause: (ids) => toResult(() => command(ids, { type: 'pause' })),
    resume: (ids) => toResult(() => command(ids, { type: 'resume' })),
    cancel: (ids) => toResult(() => command(ids, { type: 'cancel' })),
    retry: (ids) => toResult(() => command(ids, { type: 'retry' })),
    remove: (ids) =>
      toResult(async () => {
        assertIds(ids, 'ids');
        assertOpen();
        const result = await jobs.remove(ids, clock.now());
        nudge({ kind: 'changed', ids: result.changed.map((job) => job.id) });
        return result;
      }),
    reprioritize: (id, request) =>
      toResult(async () => {
        assertId(id, 'id');
        const action = reprioritizeAction(request);
        assertOpen();
        const job = await jobs.apply(id, action, clock.now());
        nudge({ kind: 'changed', ids: [id] });
        return job;
      }),
  };

  return { commands, enqueueMany, pendingEnqueues };
}
