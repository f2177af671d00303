import type { AiOutput, AiTask, MealSuggestion, ParsedIngredient } from './tasks';

/** An answer that fits its task's shape, or why it does not. */
export type OutputCheck<T extends AiTask> =
  { readonly ok: true; readonly output: AiOutput<T> } | { readonly ok: false; readonly message: string };

type Fields = Readonly<Record<string, unknown>>;

class ShapeError extends Error {}

/**
 * Checks a model's answer for one item against its task's shape and returns a clean copy.
 * Models drift in small ways (a quantity written "1 1/2", a single `reason` string), so the
 * harmless ones are normalised; anything else is refused, failing only that item.
 */
export function readOutput<T extends AiTask>(task: T, value: unknown): OutputCheck<T> {
  try {
    const fields = asFields(value, 'the answer');
    const output = task === 'recipe_parsing' ? readRecipe(fields) : readSuggestions(fields);
    return { ok: true, output: output };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, message: error.message };
    throw error;
  }
}

function readRecipe(fields: Fields): AiOutput<'recipe_parsing'> {
  const ingredients = asArray(fields['ingredients'], 'ingredients').map((entry, i) => readIngredient(entry, i));
  const steps = asArray(fields['steps'], 'steps').map((step, i) => requiredText(step, `steps[${i}]`));
  return {
    title: requiredText(fields['title'], 'title'),
    servings: optionalNumber(fields['servings'], 'servings'),
    ingredients,
    steps,
  };
}

function readIngredient(value: unknown, index: number): ParsedIngredient {
  const where = `ingredients[${index}]`;
  const fields = asFields(value, where);
  const name = requiredText(fields['name'], `${where}.name`);
  const unit = fields['unit'];
  if (unit !== undefined && unit !== null && typeof unit !== 'string')
    throw new ShapeError(`${where}.unit is not text`);
  const raw = fields['raw'];
  return {
    quantity: optionalNumber(fields['quantity'], `${where}.quantity`),
    quantity2: optionalNumber(fields['quantity2'], `${where}.quantity2`),
    unit: typeof unit === 'string' && unit.trim() !== '' ? unit.trim() : null,
    name,
    raw: typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : name,
  };
}

function readSuggestions(fields: Fields): AiOutput<'meal_suggestion'> {
  const list = asArray(fields['suggestions'], 'suggestions');
  const suggestions = list.map((entry, i): MealSuggestion => {
    const where = `suggestions[${i}]`;
    const item = asFields(entry, where);
    const reasons = item['reasons'] ?? (typeof item['reason'] === 'string' ? [item['reason']] : []);
    return {
      title: requiredText(item['title'], `${where}.title`),
      // A missing score keeps the model's order, which the prompt asks to be best first.
      score: optionalNumber(item['score'], `${where}.score`) ?? list.length - i,
      reasons: asArray(reasons, `${where}.reasons`).map((r, j) => requiredText(r, `${where}.reasons[${j}]`)),
    };
  });
  return { suggestions };
}

function asFields(value: unknown, where: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ShapeError(`${where} is not an object`);
  }
  return value as Fields;
}

function asArray(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${where} is not a list`);
  return value as readonly unknown[];
}

function requiredText(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ShapeError(`${where} is missing or not text`);
  return value.trim();
}

function optionalNumber(value: unknown, where: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const parsed = numberFromText(value);
    if (parsed !== null) return parsed;
  }
  if (typeof value === 'number' && value < 0) throw new ShapeError(`${where} is negative (${value})`);
  throw new ShapeError(`${where} is not a number`);
}

const VULGAR: Readonly<Record<string, number>> = {
  '¼': 0.25,
  '½': 0.5,
  '¾': 0.75,
  '⅓': 1 / 3,
  '⅔': 2 / 3,
  '⅕': 0.2,
  '⅖': 0.4,
  '⅗': 0.6,
  '⅘': 0.8,
  '⅙': 1 / 6,
  '⅚': 5 / 6,
  '⅛': 0.125,
  '⅜': 0.375,
  '⅝': 0.625,
  '⅞': 0.875,
};

/** "2", "1.5", "1/2", "1 1/2", "1½": the forms a model may write a quantity in. */
function numberFromText(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)?\s*(?:(\d+)\s*\/\s*(\d+)|([¼½¾⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]))?\s*$/u.exec(text);
  if (!match) return null;
  const [, whole, numerator, denominator, vulgar] = match;
  if (whole === undefined && numerator === undefined && vulgar === undefined) return null;
  let value = whole === undefined ? 0 : Number(whole);
  if (numerator !== undefined && denominator !== undefined) {
    if (Number(denominator) === 0) return null;
    value += Number(numerator) / Number(denominator);
  }
  if (vulgar !== undefined) value += VULGAR[vulgar] ?? 0;
  return Math.round(value * 1000) / 1000;
}
