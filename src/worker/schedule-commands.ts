import {
  assertOptionalBoolean,
  assertOptionalCount,
  assertOptionalPriority,
  assertRecord,
  assertText,
  InvalidInputError,
  payloadCloneError,
  ScheduleNotFoundError,
  type Clock,
  type EnqueueRequest,
  type JobRecord,
  type ScheduleRequest,
  type WorkerApi,
} from '../shared';
import type { ScheduleRepository } from '../store';
import type { AnyJobType } from './define-job-type';
import { buildSchedule, previewRuns, requestOf, withEnabled } from './schedules';
import { toResult } from './to-result';

/** What the schedule commands need of the runtime. */
export interface ScheduleCommandDeps {
  readonly schedules: ScheduleRepository;
  readonly types: ReadonlyMap<string, AnyJobType>;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Throws when the runtime is closed or its store is gone. */
  readonly assertOpen: () => void;
  /** Tells the runner (in this tab or another) that the schedules changed. */
  readonly nudge: (message: { readonly kind: 'schedules' }) => void;
  /** Enqueues one job as the worker API's `enqueue` does. */
  readonly enqueueOne: (request: EnqueueRequest) => Promise<JobRecord>;
}

export type ScheduleCommands = Pick<
  WorkerApi,
  'saveSchedule' | 'setScheduleEnabled' | 'removeSchedule' | 'runScheduleNow' | 'previewSchedule'
>;

/** The worker API's schedule commands: each checks its input, writes, then nudges the runner. */
export function scheduleCommands(deps: ScheduleCommandDeps): ScheduleCommands {
  const { schedules, types, clock, newId, assertOpen, nudge, enqueueOne } = deps;
  return {
    saveSchedule: (request) =>
      toResult(async () => {
        assertOpen();
        assertScheduleRequest(request);
        const id = request.id;
        const now = clock.now();
        const scheduleId = id ?? newId();
        let saved;
        try {
          saved = await schedules.upsert(scheduleId, (stored) =>
            buildSchedule(request, types, { id: scheduleId, now }, stored),
          );
        } catch (error) {
          throw payloadCloneError([request.payload]) ?? error;
        }
        nudge({ kind: 'schedules' });
        return saved;
      }),
    setScheduleEnabled: (id, enabled) =>
      toResult(async () => {
        assertOpen();
        if (typeof enabled !== 'boolean') throw new InvalidInputError('enabled must be true or false');
        const now = clock.now();
        assertScheduleId(id);
        const schedule = await schedules.update(id, (stored) => withEnabled(stored, enabled, now));
        nudge({ kind: 'schedules' });
        return schedule;
      }),
    removeSchedule: (id) =>
      toResult(async () => {
        assertOpen();
        assertScheduleId(id);
        await schedules.remove(id);
        nudge({ kind: 'schedules' });
      }),
    runScheduleNow: (id) =>
      toResult(async () => {
        assertOpen();
        assertScheduleId(id);
        const schedule = await schedules.get(id);
        if (!schedule) throw new ScheduleNotFoundError(id);
        const job = await enqueueOne(requestOf(schedule));
        // Counted as one of the schedule's runs; its next run stays as it was.
        const now = clock.now();
        await schedules
          .update(id, (stored) => {
            const { lastError: _lastError, ...rest } = stored;
            return { ...rest, lastRunAt: now, lastJobId: job.id, runs: stored.runs + 1, updatedAt: now };
          })
          .catch((error: unknown) => {
            // Removed meanwhile: the job it started stands on its own.
            if (!(error instanceof ScheduleNotFoundError)) throw error;
          });
        return job;
      }),
    previewSchedule: (cron, timezone, count) =>
      toResult(() => {
        assertCron(cron);
        const runs = count === undefined ? 3 : count;
        if (!Number.isInteger(runs) || runs < 1 || runs > 10) {
          throw new InvalidInputError('count must be a whole number from 1 to 10');
        }
        if (timezone !== undefined && typeof timezone !== 'string') {
          throw new InvalidInputError('timezone must be an IANA time zone name, such as "Europe/Paris"');
        }
        return Promise.resolve(previewRuns(cron, timezone, clock.now(), runs));
      }),
  };
}

/**
 * A schedule request, field by field, before it is built: a field of the wrong type is named
 * here rather than failing as a `TypeError` inside the write. What needs more than its type (the
 * pattern, the zone, the job type, the payload) is checked as the schedule is built.
 */
function assertScheduleRequest(request: unknown): asserts request is ScheduleRequest {
  assertRecord(request, 'request');
  const { id, type, cron, timezone, label, enabled, priority, maxAttempts } = request;
  if (id !== undefined && (typeof id !== 'string' || id.trim() === '' || id.length > 200)) {
    throw new InvalidInputError('A schedule id must be a text of 1 to 200 characters');
  }
  assertText(type, 'type');
  assertCron(cron);
  if (timezone !== undefined && typeof timezone !== 'string') {
    throw new InvalidInputError('timezone must be an IANA time zone name, such as "Europe/Paris"');
  }
  if (label !== undefined && typeof label !== 'string') throw new InvalidInputError('label must be a non-empty text');
  assertOptionalBoolean(enabled, 'enabled');
  assertOptionalPriority(priority);
  assertOptionalCount(maxAttempts, 'maxAttempts');
}

function assertCron(cron: unknown): asserts cron is string {
  if (typeof cron !== 'string') {
    throw new InvalidInputError('cron must be a cron pattern, such as "0 9 * * *" (every day at 09:00)');
  }
}

function assertScheduleId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id === '') throw new InvalidInputError('A schedule id must be a non-empty text');
}
