import { InvalidInputError } from './errors';
import { PRIORITIES, type Priority } from './job';

/*
 * Checkers for arguments that cross into the kit at run time: the worker's commands (a page
 * reaches them through Comlink, so their types promise nothing) and the page's own reads. An
 * argument of the wrong form is refused with `invalid-input` naming it, instead of failing deeper
 * down as a storage error or a `TypeError`.
 */

/** A plain object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `name` is an object (not null, not an array). */
export function assertRecord(value: unknown, name: string): asserts value is Record<string, unknown> {
  if (!isRecord(value)) throw new InvalidInputError(`${name} must be an object, not ${describeValue(value)}`);
}

/** `name` is a non-empty text: a job type, a setting key. */
export function assertText(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidInputError(`${name} must be a non-empty text, not ${describeValue(value)}`);
  }
}

/** `name` is absent or a non-empty text. */
export function assertOptionalText(value: unknown, name: string): asserts value is string | undefined {
  if (value !== undefined) assertText(value, name);
}

/** `name` is a job id: a non-empty text (IndexedDB would refuse anything else as a key). */
export function assertId(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidInputError(`${name} must be a job id, not ${describeValue(value)}`);
  }
}

/** `name` is a list of job ids. */
export function assertIds(value: unknown, name: string): asserts value is readonly string[] {
  if (!Array.isArray(value)) {
    throw new InvalidInputError(`${name} must be a list of job ids, not ${describeValue(value)}`);
  }
  value.forEach((id: unknown, i) => assertId(id, `${name}[${i}]`));
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
  throw new InvalidInputError(`priority must be one of ${PRIORITIES.join(', ')}, not ${describeValue(value)}`);
}

/** `name` is absent or a whole number of at least 1. */
export function assertOptionalCount(value: unknown, name: string): asserts value is number | undefined {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
    throw new InvalidInputError(`${name} must be a whole number of at least 1`);
  }
}

/** A short account of a refused value for a message: its kind, and the value itself when small. */
export function describeValue(value: unknown): string {
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
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}
