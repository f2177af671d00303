import { InvalidInputError } from '../../shared';
import { refusedItem } from './item-failure';
import type { AiItemFailure, AiItemResult, AiRequest } from './provider';
import { PROMPT_VERSIONS } from './prompts';
import { isAiTask } from './tasks';

/** A batch split into what may be sent and what is refused up front. */
export interface CheckedBatch {
  readonly sendable: readonly AiRequest[];
  readonly refused: ReadonlyMap<string, AiItemFailure>;
}

/**
 * Refuses, per item, a request for an unknown task or for a prompt version other than the
 * current one (its fingerprint would name a prompt this code no longer sends). Duplicate ids
 * are a caller bug: results could not be told apart, so the whole call throws.
 */
export function checkBatch(requests: readonly AiRequest[]): CheckedBatch {
  const seen = new Set<string>();
  const sendable: AiRequest[] = [];
  const refused = new Map<string, AiItemFailure>();
  for (const request of requests) {
    if (seen.has(request.id)) throw new InvalidInputError(`Two requests in one batch share the id "${request.id}"`);
    seen.add(request.id);
    if (!isAiTask(request.task)) {
      refused.set(request.id, refusedItem(request.id, `Unknown AI task "${String(request.task)}"`));
    } else if (request.promptVersion !== PROMPT_VERSIONS[request.task]) {
      refused.set(
        request.id,
        refusedItem(
          request.id,
          `Prompt version ${request.promptVersion} is not the current ${PROMPT_VERSIONS[request.task]}`,
        ),
      );
    } else {
      sendable.push(request);
    }
  }
  return { sendable, refused };
}

/** Results in request order: the refused ones from the check, the rest from the answer. */
export function inRequestOrder(
  requests: readonly AiRequest[],
  refused: ReadonlyMap<string, AiItemFailure>,
  answered: readonly AiItemResult[],
): AiItemResult[] {
  const byId = new Map(answered.map((r) => [r.id, r] as const));
  return requests.map((r) => refused.get(r.id) ?? byId.get(r.id) ?? refusedItem(r.id, 'No result was produced'));
}
