import { malformedItem, refusedItem } from './item-failure';
import type { AiItemResult, AiRequest } from './provider';
import { readOutput } from './read-output';
import { keepAllowedSuggestions } from './suggest-meals';
import type { MealSuggestions } from './tasks';

/**
 * Parses JSON without trusting it: a `__proto__` key is dropped rather than kept as an own
 * property that a later object spread could turn into a prototype.
 */
export function parseJsonSafely(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
}

/**
 * Finds the JSON object in a model's message. JSON mode returns it bare; servers without JSON
 * mode often wrap it in a Markdown fence or a sentence, so the outermost braces are tried next.
 */
export function extractJsonObject(content: string): unknown {
  // Reasoning models served by Ollama or vLLM may put their thinking before the answer.
  const answer = content.replace(/<think>[\s\S]*?<\/think>/g, '');
  const unfenced = answer
    .replace(/^\s*```[a-zA-Z]*\s*\n?/, '')
    .replace(/\n?\s*```\s*$/, '')
    .trim();
  try {
    return parseJsonSafely(unfenced);
  } catch {
    const start = unfenced.indexOf('{');
    const end = unfenced.lastIndexOf('}');
    if (start < 0 || end <= start) return undefined;
    try {
      return parseJsonSafely(unfenced.slice(start, end + 1));
    } catch {
      return undefined;
    }
  }
}

/**
 * Pairs a model's `{"items": [{"id", ...}]}` answer with the requests by id. Each request gets
 * exactly one result: its checked output, a refusal the model gave for it, or a retryable
 * failure when its entry is missing or malformed. Other items keep their answers.
 */
export function readBatchAnswer(requests: readonly AiRequest[], content: string): AiItemResult[] {
  const answer = extractJsonObject(content);
  const entries =
    typeof answer === 'object' && answer !== null && Array.isArray((answer as { items?: unknown }).items)
      ? (answer as { items: unknown[] }).items
      : undefined;
  if (entries === undefined) {
    // The whole reply is this item's raw answer: it is what the job's log shows.
    return requests.map((r) =>
      malformedItem(r.id, 'The provider answered with no readable {"items": [...]} object', content),
    );
  }
  const byId = new Map<string, Readonly<Record<string, unknown>>>();
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    const fields = entry as Readonly<Record<string, unknown>>;
    const id = fields['id'];
    // Models sometimes turn numeric-looking ids into numbers.
    const key = typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
    if (key !== undefined && !byId.has(key)) byId.set(key, fields);
  }
  return requests.map((request): AiItemResult => {
    const fields = byId.get(request.id);
    if (fields === undefined)
      return malformedItem(request.id, "The provider's answer had no entry for this item", content);
    const raw = JSON.stringify(fields);
    const { id: _id, error, ...rest } = fields;
    if (typeof error === 'string' && error.trim() !== '' && Object.keys(rest).length === 0) {
      return refusedItem(request.id, `The provider could not do this item: ${error.trim().slice(0, 300)}`, raw);
    }
    const check = readOutput(request.task, rest);
    if (!check.ok)
      return malformedItem(request.id, `The provider's answer for this item is malformed: ${check.message}`, raw);
    if (request.task === 'meal_suggestion') {
      // Only the user's own recipes, within their preferences: what the model added is dropped.
      const allowed = keepAllowedSuggestions(request.input, check.output as MealSuggestions);
      if (!allowed.ok)
        return malformedItem(request.id, `The provider's answer for this item is wrong: ${allowed.message}`, raw);
      return { id: request.id, ok: true, task: request.task, output: allowed.output, raw };
    }
    return { id: request.id, ok: true, task: request.task, output: check.output, raw } as AiItemResult;
  });
}
