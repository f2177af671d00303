import {
  apiKeyProblem,
  assertOptionalFinite,
  assertOptionalPriority,
  assertRecord,
  describeValue,
  InvalidInputError,
  LIMIT_MAXIMUMS,
  type EnqueueRequest,
  type JobAction,
} from '../shared';

/*
 * The worker commands' own argument checks, beside the shared ones (`src/shared/arguments.ts`):
 * each command checks its arguments before it reads or writes.
 */

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
        `limits.${field} must be a whole number from 1 to ${max.toLocaleString('en-US')}, not ${describeValue(number)}`,
      );
    }
  }
}

/**
 * The `ai` setting's key, where it sets one: a key no request could carry is refused, rather than
 * stored to fail every AI call later. The message names at most the one character at fault.
 */
export function assertAiKey(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const key: unknown = (value as Record<string, unknown>)['apiKey'];
  const problem = typeof key === 'string' ? apiKeyProblem(key) : undefined;
  if (problem !== undefined) throw new InvalidInputError(`apiKey: ${problem}`);
}
