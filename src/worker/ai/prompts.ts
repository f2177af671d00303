import type { AiRequest } from './provider';
import type { AiTask } from './tasks';

/**
 * The version of each task's prompt. Part of every request's fingerprint: change the prompt
 * text or the answer shape below and bump the version, or stored answers to the old prompt
 * would be served for the new one. Bump it too when the checks on an answer get stricter, so
 * that answers stored before, which the new checks might refuse, are asked for again.
 *
 * meal_suggestion/2: suggestions must name the user's own recipes that the preferences allow.
 */
export const PROMPT_VERSIONS: { readonly [T in AiTask]: string } = {
  recipe_parsing: 'recipe_parsing/1',
  meal_suggestion: 'meal_suggestion/2',
};

/** A chat message as chat-completions servers take it. */
export interface ChatMessage {
  readonly role: 'system' | 'user';
  readonly content: string;
}

/** The JSON an answer item carries besides its `id`, per task, as told to the model. */
export const ANSWER_SHAPES: { readonly [T in AiTask]: string } = {
  recipe_parsing:
    '{"title": string, "servings": integer or null, "ingredients": [{"quantity": number or null, ' +
    '"quantity2": number or null, "unit": string or null, "name": string, "raw": string}], "steps": [string]}',
  meal_suggestion: '{"suggestions": [{"title": string, "score": number, "reasons": [string]}]}',
};

const TASK_INSTRUCTIONS: { readonly [T in AiTask]: string } = {
  recipe_parsing: [
    'Items with task "recipe_parsing": input.text is a recipe pasted by a user. Extract its title,',
    'the number of servings (null when not stated), every ingredient and every step.',
    'For an ingredient: "quantity" is a number (write 1 1/2 or 1½ as 1.5), "quantity2" the upper',
    'bound of a range such as 1-2 (else null), "unit" the singular long unit name such as "cup",',
    '"tablespoon", "gram" (null for counted items such as eggs), "name" the ingredient with its',
    'preparation notes, "raw" the line exactly as written. Steps are in order, without numbering.',
    'If the text is not a recipe, answer {"id": <id>, "error": <short reason>} for that item.',
  ].join('\n'),
  meal_suggestion: [
    'Items with task "meal_suggestion": input.recipes are the user\'s own recipes and',
    'input.preferences their preferences. Suggest up to input.count meals (5 when absent), chosen',
    'only from input.recipes, with "title" exactly as given there. Never suggest a recipe that uses',
    'an ingredient in preferences.avoid or that has more ingredients than preferences.maxIngredients.',
    'Rank recipes using ingredients in preferences.prefer higher. "score" is higher for better',
    'suggestions; "reasons" are short phrases saying why each was chosen. Best first.',
  ].join('\n'),
};

/** The current prompt version of `task`. */
export function promptVersionOf(task: AiTask): string {
  return PROMPT_VERSIONS[task];
}

/**
 * The items of a batch as the model reads them: one JSON object per line, so the prompt stays
 * readable when stored and one item's part of it can be found by its id.
 */
export function renderItems(requests: readonly AiRequest[]): string {
  const lines = requests.map((r) => JSON.stringify({ id: r.id, task: r.task, input: r.input }));
  return `{"items": [\n${lines.join(',\n')}\n]}`;
}

/** The system and user messages for one batched call, and the same prompt as one text to store. */
export function buildBatchPrompt(requests: readonly AiRequest[]): {
  readonly messages: readonly ChatMessage[];
  readonly text: string;
} {
  const tasks = [...new Set(requests.map((r) => r.task))].sort();
  const system = [
    'You are a careful data extraction service. You receive a JSON object with a list of items,',
    'each with an "id", a "task" and an "input", and answer every item independently.',
    '',
    ...tasks.map((task) => TASK_INSTRUCTIONS[task]),
    '',
    'Answer with one JSON object and nothing else, of the form {"items": [...]}, holding exactly one',
    'entry per input item with its "id" copied exactly, followed by the fields of its task:',
    ...tasks.map((task) => `- ${task}: ${ANSWER_SHAPES[task]}`),
  ].join('\n');
  const user = renderItems(requests);
  const messages: readonly ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
  return { messages, text: `[system]\n${system}\n\n[user]\n${user}` };
}

/**
 * The prompt of one item as it would be sent alone: what to store beside that item's answer,
 * since a batch's prompt also holds other users' items and is shared by every answer in it.
 */
export function promptForItem(request: AiRequest): string {
  return buildBatchPrompt([request]).text;
}
