import {
  InvalidInputError,
  LIMIT_MAXIMUMS,
  PRIORITIES,
  type EnqueueRequest,
  type JobAction,
  type Priority,
} from '../shared';

/**
 * Checkers for what the worker API is given. A page reaches the worker through Comlink, so the
 * types of `WorkerApi` promise nothing at run time: each command checks its arguments with these
 * before it reads or writes, and an argument of the wrong form is refused with `invalid-input`
 * naming it, instead of failing deeper down as a storage error or a `TypeError`.
 */

/** A plain object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `name` is an object (not null, not an array). */
export function assertRecord(value: unknown, name: string): asserts value is Record<string, unknown> {
  if (!isRecord(value)) throw new InvalidInputError(`${name} must be an object, not ${describe(value)}`);
}

/** `name` is a non-empty text: a job id, a setting key. */
export function assertText(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidInputError(`${name} must be a non-empty text, not ${describe(value)}`);
  }
}

/** `name` is absent or a non-empty text. */
export function assertOptionalText(value: unknown, name: string): asserts value is string | undefined {
  if (value !== undefined) assertText(value, name);
}

/** `name` is a list of job ids: an array of non-empty texts. */
export function assertIds(value: unknown, name: string): asserts value is readonly string[] {
  if (!Array.isArray(value)) throw new InvalidInputError(`${name} must be a list of job ids, not ${describe(value)}`);
  value.forEach((id: unknown, i) => assertText(id, `${name}[${i}]`));
}

/** `name` is absent or a number that is neither NaN nor infinite. */
export function assertOptionalFinite(value: unknown, name: string): asserts value is number | undefined {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    throw new InvalidInputError(`${name} must be a finite number`);
  }
}

/** `name` is absent or true or false. */
export function assertOptionalBoolean(value: unknown, name: string): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new InvalidInputError(`${name} must be true or false`);
}

/** `value` is absent or one of `PRIORITIES`. */
export function assertOptionalPriority(value: unknown): asserts value is Priority | undefined {
  if (value === undefined || PRIORITIES.includes(value as Priority)) return;
  if (typeof value === 'string') throw new InvalidInputError(`Unknown priority "${value}"`);
  throw new InvalidInputError(`priority must be one of ${PRIORITIES.join(', ')}, not ${describe(value)}`);
}

/** `name` is absent or a whole number of at least 1. */
export function assertOptionalCount(value: unknown, name: string): asserts value is number | undefined {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
    throw new InvalidInputError(`${name} must be a whole number of at least 1`);
  }
}

/** A short account of a refused value for a message: its kind, and the value itself when small. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return value === '' ? 'an empty text' : 'a text';
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'undefined':
      return 'undefined';
    default:
      return `a ${typeof value}`;
  }
}

/** `requests` of `enqueueMany`: a list of objects (each is checked in full as it is built). */
export function assertRequests(requests: unknown): asserts requests is readonly EnqueueRequest[] {
  if (!Array.isArray(requests)) throw new InvalidInputError('requests must be a list of enqueue requests');
  requests.forEach((request: unknown, i) => assertRecord(request, `requests[${i}]`));
}

/**
 * The change `reprioritize` asks for, checked as an enqueue checks the same options. It must set
 * at least one of the two; only those two are taken (the rest of the object is not part of the
 * action, so it cannot turn the change into another command).
 */
export function reprioritizeAction(change: unknown): JobAction {
  assertRecord(change, 'change');
  const { priority, rank } = change;
  if (priority === undefined && rank === undefined) {
    throw new InvalidInputError('change must set priority, rank or both');
  }
  assertOptionalPriority(priority);
  assertOptionalFinite(rank, 'rank');
  return {
    type: 'reprioritize',
    ...(priority !== undefined ? { priority } : {}),
    ...(rank !== undefined ? { rank } : {}),
  };
}

/**
 * The `limits` setting: only its fields, each a whole number from 1 to its maximum, or left out.
 * A value the runtime could not use is refused rather than stored and silently replaced by the
 * default.
 */
export function assertLimits(value: unknown): void {
  assertRecord(value, 'limits');
  for (const [field, number] of Object.entries(value)) {
    if (!(field in LIMIT_MAXIMUMS)) throw new InvalidInputError(`limits has no field "${field}"`);
    if (number === undefined) continue;
    const max = LIMIT_MAXIMUMS[field as keyof typeof LIMIT_MAXIMUMS];
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > max) {
      throw new InvalidInputError(
        `limits.${field} must be a whole number from 1 to ${max.toLocaleString('en-US')}, not ${describe(number)}`,
      );
    }
  }
}
