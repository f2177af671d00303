import { Cron } from 'croner';
import {
  InvalidInputError,
  MIN_SCHEDULE_INTERVAL_MS,
  toJobError,
  type Clock,
  type EnqueueRequest,
  type JobRecord,
  type Schedule,
  type ScheduleRequest,
} from '../shared';
import type { ScheduleRepository } from '../store';
import type { AnyJobType } from './define-job-type';
import { buildJobRecord } from './enqueue-builder';
import { WakeTimer } from './wake-timer';

/** Runs of a pattern checked for the least gap between two of them. */
const GAP_PROBE_RUNS = 30;
/** A run this late is a catch-up for a time the app was closed at. */
const CATCH_UP_LATENESS_MS = 1_000;
/** A schedule store that cannot be read is tried again after this long. */
const RETRY_MS = 5_000;

/**
 * The IANA name of a time zone as the browser spells it (`europe/paris` → `Europe/Paris`).
 * @throws InvalidInputError when the browser knows no such zone
 */
export function canonicalTimeZone(timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone.trim() }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidInputError(`"${timezone.trim()}" is not a time zone; use a name such as Europe/Paris or UTC`);
  }
}

/** The pattern read in its time zone; throws `invalid-input` saying what is wrong. */
function cronOf(pattern: string, timezone: string | undefined): Cron {
  if (typeof pattern !== 'string' || pattern.trim() === '') {
    throw new InvalidInputError('A schedule needs a cron pattern, such as "0 9 * * *" (every day at 09:00)');
  }
  if (timezone !== undefined && (typeof timezone !== 'string' || timezone.trim() === '')) {
    throw new InvalidInputError('timezone must be an IANA time zone name, such as "Europe/Paris"');
  }
  if (timezone !== undefined) canonicalTimeZone(timezone);
  try {
    return new Cron(pattern.trim(), timezone === undefined ? {} : { timezone });
  } catch (error) {
    throw new InvalidInputError(`"${pattern.trim()}" is not a cron pattern: ${patternProblem(error)}`);
  }
}

/** What the cron library found wrong, in the page's words where its own would quote the pattern again. */
function patternProblem(error: unknown): string {
  const reason = reasonOf(error);
  if (/space separated parts/i.test(reason)) {
    return (
      'write five fields separated by spaces (minute, hour, day of month, month, day of week), ' +
      'such as "0 9 * * *"; a sixth in front gives seconds, a seventh at the end years'
    );
  }
  return reason;
}

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, '');
}

/**
 * The first run of `pattern` after `after` (epoch ms), or undefined when it has none.
 * @throws InvalidInputError when the pattern or time zone cannot be read
 */
export function nextRunOf(pattern: string, timezone: string | undefined, after: number): number | undefined {
  const cron = cronOf(pattern, timezone);
  try {
    return cron.nextRun(new Date(after))?.getTime();
  } catch (error) {
    throw new InvalidInputError(`The schedule cannot be read in time zone "${timezone ?? ''}": ${reasonOf(error)}`);
  }
}

/**
 * Checks a pattern the way a schedule uses it: it must read, run at least once more after
 * `now`, and never run twice within `MIN_SCHEDULE_INTERVAL_MS`. Returns its next run.
 */
export function checkPattern(pattern: string, timezone: string | undefined, now: number): number {
  const first = nextRunOf(pattern, timezone, now);
  if (first === undefined) throw new InvalidInputError(`"${pattern}" never runs after now`);
  const runs = cronOf(pattern, timezone).nextRuns(GAP_PROBE_RUNS, new Date(now));
  for (let i = 1; i < runs.length; i++) {
    const gap = (runs[i] as Date).getTime() - (runs[i - 1] as Date).getTime();
    if (gap < MIN_SCHEDULE_INTERVAL_MS) {
      throw new InvalidInputError(
        `"${pattern}" runs ${gap / 1000} s apart; a schedule may run at most once every ${MIN_SCHEDULE_INTERVAL_MS / 1000} s`,
      );
    }
  }
  return first;
}

/** The next `count` runs of a pattern after `now`, checked as a schedule would check it. */
export function previewRuns(pattern: string, timezone: string | undefined, now: number, count: number): number[] {
  checkPattern(pattern, timezone?.trim() || undefined, now);
  return cronOf(pattern.trim(), timezone?.trim() || undefined)
    .nextRuns(count, new Date(now))
    .map((run) => run.getTime());
}

/**
 * The schedule a request asks for, checked as an enqueue of its job would be (type, payload,
 * options) and with its next run; `stored` is the schedule it replaces, if any.
 */
export function buildSchedule(
  request: ScheduleRequest,
  types: ReadonlyMap<string, AnyJobType>,
  ids: { readonly id: string; readonly now: number },
  stored?: Schedule,
): Schedule {
  if (typeof request !== 'object' || request === null)
    throw new InvalidInputError('A schedule request must be an object');
  if (request.label !== undefined && (typeof request.label !== 'string' || request.label.trim() === '')) {
    throw new InvalidInputError('label must be a non-empty text');
  }
  if (request.enabled !== undefined && typeof request.enabled !== 'boolean') {
    throw new InvalidInputError('enabled must be true or false');
  }
  const { now } = ids;
  // The same checks an enqueue makes, on the job the schedule will enqueue.
  const job = buildJobRecord(
    {
      type: request.type,
      payload: request.payload,
      options: {
        ...(request.priority !== undefined ? { priority: request.priority } : {}),
        ...(request.maxAttempts !== undefined ? { maxAttempts: request.maxAttempts } : {}),
        ...(request.label !== undefined ? { label: request.label.trim() } : {}),
      },
    },
    types,
    { id: ids.id, now, rank: now },
  );
  const given = request.timezone?.trim();
  const timezone = given ? canonicalTimeZone(given) : undefined;
  const enabled = request.enabled ?? true;
  const nextRunAt = checkPattern(request.cron, timezone, now);
  return {
    id: ids.id,
    type: job.type,
    cron: request.cron.trim(),
    ...(timezone ? { timezone } : {}),
    payload: job.payload,
    label: job.label,
    enabled,
    ...(request.priority !== undefined ? { priority: job.priority } : {}),
    ...(request.maxAttempts !== undefined ? { maxAttempts: job.maxAttempts } : {}),
    ...(enabled ? { nextRunAt } : {}),
    ...(stored?.lastRunAt !== undefined ? { lastRunAt: stored.lastRunAt } : {}),
    ...(stored?.lastJobId !== undefined ? { lastJobId: stored.lastJobId } : {}),
    runs: stored?.runs ?? 0,
    createdAt: stored?.createdAt ?? now,
    updatedAt: now,
  };
}

/** The enqueue a schedule makes at each run (and for "run now"). */
export function requestOf(schedule: Schedule): EnqueueRequest {
  return {
    type: schedule.type,
    payload: schedule.payload,
    options: {
      label: schedule.label,
      ...(schedule.priority !== undefined ? { priority: schedule.priority } : {}),
      ...(schedule.maxAttempts !== undefined ? { maxAttempts: schedule.maxAttempts } : {}),
    },
  };
}

/** A stored schedule turned on or off: on, it runs next at its pattern's next run after `now`. */
export function withEnabled(schedule: Schedule, enabled: boolean, now: number): Schedule {
  const { nextRunAt: _nextRunAt, ...rest } = schedule;
  if (!enabled) return { ...rest, enabled: false, updatedAt: now };
  return { ...rest, enabled: true, nextRunAt: checkPattern(schedule.cron, schedule.timezone, now), updatedAt: now };
}

/** What the scheduler needs from the runtime. */
export interface SchedulerDeps {
  readonly schedules: ScheduleRepository;
  readonly types: ReadonlyMap<string, AnyJobType>;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly nextRank: (now: number) => number;
  /** Looks at the schedules at least this often, in case a change from another tab went unheard. */
  readonly pollMs: number;
  /** Hears the jobs a firing enqueued, once committed. */
  readonly onEnqueued: (jobs: readonly JobRecord[]) => void;
}

/**
 * Enqueues the jobs of due schedules, in the runner only. A schedule that came due while no tab
 * was open runs once when the app opens again, not once per missed time, and then at its
 * pattern's next run after that.
 */
export class Scheduler {
  readonly #timer: WakeTimer;
  #active = false;
  #checking: Promise<void> | undefined;
  #again = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.#timer = new WakeTimer(deps.clock, () => void this.check());
  }

  start(): void {
    this.#active = true;
    void this.check();
  }

  stop(): void {
    this.#active = false;
    this.#timer.clear();
  }

  /** Fires what is due and sets the next wake-up. Calls made while one runs coalesce into one more. */
  check(): Promise<void> {
    if (!this.#active) return Promise.resolve();
    this.#again = true;
    this.#checking ??= this.#loop().finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  async #loop(): Promise<void> {
    while (this.#again && this.#active) {
      this.#again = false;
      await this.#checkOnce();
    }
  }

  async #checkOnce(): Promise<void> {
    const { schedules, clock, pollMs } = this.deps;
    const now = clock.now();
    try {
      const jobs = await schedules.fireDue(now, (schedule) => this.#fire(schedule, now));
      if (jobs.length > 0) this.deps.onEnqueued(jobs);
      const next = await schedules.nextRunAt();
      if (this.#active) this.#timer.schedule(Math.min(next ?? Infinity, now + pollMs));
    } catch {
      // Storage full or passing trouble: look again shortly; nothing was half-written.
      if (this.#active) this.#timer.schedule(now + RETRY_MS);
    }
  }

  /** One due schedule's job and next run; a payload the job type now refuses enqueues nothing. */
  #fire(
    schedule: Schedule,
    now: number,
  ): { job?: JobRecord; error?: ReturnType<typeof toJobError>; nextRunAt?: number } {
    let nextRunAt: number | undefined;
    try {
      // A run that is late (the app was closed at its time) is a catch-up: the next one comes
      // no sooner than the least gap between runs, not a second later at the pattern's next time.
      const late = schedule.nextRunAt !== undefined && now - schedule.nextRunAt > CATCH_UP_LATENESS_MS;
      nextRunAt = nextRunOf(schedule.cron, schedule.timezone, late ? now + MIN_SCHEDULE_INTERVAL_MS - 1 : now);
    } catch {
      nextRunAt = undefined;
    }
    try {
      const job = buildJobRecord(requestOf(schedule), this.deps.types, {
        id: this.deps.newId(),
        now,
        rank: this.deps.nextRank(now),
      });
      return { job, ...(nextRunAt !== undefined ? { nextRunAt } : {}) };
    } catch (error) {
      return { error: toJobError(error), ...(nextRunAt !== undefined ? { nextRunAt } : {}) };
    }
  }
}
