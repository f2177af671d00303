import { parseIngredient, type ParseIngredientOptions } from 'parse-ingredient';
import type { ParsedIngredient } from './tasks';

const OPTIONS: ParseIngredientOptions = {
  normalizeUOM: true,
  // Sizes describe the item, they are not units: "2 large eggs" is two eggs.
  ignoreUOMs: ['small', 'medium', 'large', 'extra-large', 'extra large', 'jumbo'],
};

/**
 * One ingredient line → quantity, unit and name. Null for a group header ("For the icing:").
 * `line` must already be free of bullets; `raw` is kept as the user wrote it.
 */
export function parseIngredientLine(line: string, raw: string = line): ParsedIngredient | null {
  const text = withArticleAsOne(line.trim());
  const [parsed] = parseIngredient(text, OPTIONS);
  if (parsed === undefined || parsed.isGroupHeader || /:\s*$/.test(text)) return null;
  // The library reads an amount in mid-line ("zest 1 lemon") and can drop the words after it;
  // such a line is kept whole rather than half-understood.
  if (parsed.quantity !== null && !startsWithAmount(text) && !keepsEveryWord(text, parsed.description)) {
    return { quantity: null, quantity2: null, unit: null, name: text, raw: raw.trim() };
  }
  let unit = parsed.unitOfMeasureID;
  // "2 x 400g tins": the multiplication sign belongs to the quantity.
  let name = parsed.description.replace(/\s+/g, ' ').replace(/^x\s+/i, '').trim();
  // A size in parentheses reads better after the name: "1 cup (240ml) milk" → "milk (240ml)",
  // and "1 (14 oz) can tomatoes" has its unit after the size.
  const sized = /^\(([^)]+)\)\s+(.+)$/.exec(name);
  if (sized?.[1] !== undefined && sized[2] !== undefined) {
    const [first = '', ...rest] = sized[2].split(' ');
    const packageUnit = unit === null && rest.length > 0 ? unitOf(first) : null;
    if (packageUnit !== null) unit = packageUnit;
    name = `${packageUnit !== null ? rest.join(' ') : sized[2]} (${sized[1]})`;
  }
  return {
    quantity: parsed.quantity,
    quantity2: parsed.quantity2,
    unit,
    name: name === '' ? raw.trim() : name,
    raw: raw.trim(),
  };
}

/** The unit a single word names, or null. */
function unitOf(word: string): string | null {
  return parseIngredient(`1 ${word} x`, OPTIONS)[0]?.unitOfMeasureID ?? null;
}

/** Words after "a" that make an amount vague: "a few", "a little", "a splash of". */
const VAGUE = new Set([
  'few',
  'little',
  'bit',
  'couple',
  'good',
  'generous',
  'splash',
  'drizzle',
  'squeeze',
  'sprinkle',
  'glug',
  'knob',
  'dash',
  'handful',
  'dollop',
]);

/**
 * "a pinch of salt" → "1 pinch of salt", "an onion" → "1 onion"; a vague amount ("a few
 * sprigs", "a splash of milk") stays without a quantity.
 */
function withArticleAsOne(line: string): string {
  const match = /^(?:an?|one)\s+(\S+)(\s.*)?$/i.exec(line);
  const word = match?.[1];
  if (word === undefined) return line;
  if (unitOf(word) === null && VAGUE.has(word.toLowerCase())) return line;
  return `1 ${word}${match?.[2] ?? ''}`;
}

function startsWithAmount(line: string): boolean {
  return /^(?:\d|[¼½¾⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])/u.test(line);
}

/** Whether every word of the line without digits survives in the parsed description. */
function keepsEveryWord(line: string, description: string): boolean {
  const kept = ` ${description.toLowerCase()} `;
  return line
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => !/[\d¼½¾⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]/u.test(word))
    .every((word) => kept.includes(word));
}
