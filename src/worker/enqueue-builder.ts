import {
  assertId,
  assertIds,
  assertOptionalBoolean,
  assertOptionalCount,
  assertOptionalFinite,
  assertOptionalPriority,
  assertRecord,
  InvalidInputError,
  InvalidPayloadError,
  isRecord,
  UnknownJobTypeError,
  type EnqueueOptions,
  type EnqueueRequest,
  type JobRecord,
} from '../shared';
import { DEFAULT_MAX_ATTEMPTS, type AnyJobType } from './define-job-type';

/** Longest label kept. */
export const MAX_LABEL_LENGTH = 200;

/**
 * Validates an enqueue request and builds the record to store. Everything that can be refused
 * without reading the store is refused here, before any write: unknown type, a payload the type
 * rejects, options not of their documented form or out of range. A payload that cannot be stored is refused by
 * IndexedDB itself, whose write clones it anyway (the runtime then names it with `payloadCloneError`): a check here
 * cloned every payload twice.
 */
export function buildJobRecord(
  request: EnqueueRequest,
  types: ReadonlyMap<string, AnyJobType>,
  ids: { readonly id: string; readonly now: number; readonly rank: number },
): JobRecord {
  if (!isRecord(request) || typeof request.type !== 'string') {
    throw new InvalidInputError('An enqueue request needs a job type name');
  }
  const type = types.get(request.type);
  if (!type) throw new UnknownJobTypeError(request.type);

  let payload: unknown;
  try {
    payload = type.parse ? type.parse(request.payload) : request.payload;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidPayloadError(`Invalid payload for ${type.type}: ${reason}`, { cause: error });
  }

  if (request.options !== undefined) assertRecord(request.options, 'options');
  const options: EnqueueOptions = request.options ?? {};
  const { now } = ids;
  // The job type's own defaults are checked too: a definition is not checked anywhere else.
  const priority = options.priority ?? type.priority ?? 'normal';
  assertOptionalPriority(priority);
  const maxAttempts = options.maxAttempts ?? type.retry?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  assertOptionalCount(maxAttempts, 'maxAttempts');
  assertOptionalFinite(options.delayMs, 'delayMs');
  assertOptionalFinite(options.runAt, 'runAt');
  assertOptionalFinite(options.rank, 'rank');
  if (options.delayMs !== undefined && options.delayMs < 0) throw new InvalidInputError('delayMs must not be negative');
  const dependsOn = options.dependsOn;
  // Only its form: whether each dependency exists is read in the transaction that stores the job.
  if (dependsOn !== undefined) assertIds(dependsOn, 'dependsOn');
  // Only its form. Whether the parent exists is not checked: that is a read inside the enqueue's
  // transaction for every child, and it would promise nothing, since removing a job leaves the
  // `parentId` of its children as it was. Nothing reads a parent through it (a running job's
  // `ctx.enqueue` sets it to that job); it is shown with the child (a link on its page, a column of exports).
  if (options.parentId !== undefined) assertId(options.parentId, 'parentId');
  assertOptionalBoolean(options.fresh, 'fresh');
  const runAt = Math.max(now, options.runAt ?? now, now + (options.delayMs ?? 0));
  const label = labelOf(options.label, type, payload);
  const scheduled = runAt > now;
  const record: JobRecord = {
    id: ids.id,
    type: type.type,
    label,
    status: scheduled ? 'waiting' : 'queued',
    ...(scheduled ? { waitReason: 'scheduled' as const } : {}),
    priority,
    rank: options.rank ?? ids.rank,
    payload,
    progress: 0,
    completedSteps: 0,
    attempts: 0,
    maxAttempts,
    runAt,
    ...(dependsOn && dependsOn.length > 0 ? { dependsOn: [...dependsOn] } : {}),
    ...(options.parentId !== undefined ? { parentId: options.parentId } : {}),
    ...(type.needsNetwork ? { needsNetwork: true } : {}),
    ...(options.fresh === true && type.cache ? { fresh: true } : {}),
    createdAt: now,
    updatedAt: now,
    history: [scheduled ? { status: 'waiting', at: now, waitReason: 'scheduled' } : { status: 'queued', at: now }],
  };
  return record;
}

function labelOf(given: unknown, type: AnyJobType, payload: unknown): string {
  if (given !== undefined && typeof given !== 'string') throw new InvalidInputError('label must be a string');
  let label = given;
  if (label === undefined && type.labelFor) {
    try {
      label = type.labelFor(payload);
    } catch {
      label = undefined;
    }
  }
  const text = (label ?? type.label).trim() || type.label;
  return text.length > MAX_LABEL_LENGTH ? `${text.slice(0, MAX_LABEL_LENGTH - 1)}…` : text;
}
