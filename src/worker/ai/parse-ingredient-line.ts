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
  let unit = parsed.unitOfMeasureID;
  let name = parsed.description.replace(/\s+/g, ' ').trim();
  // "1 (14 oz) can tomatoes": the unit follows the package size in parentheses.
  const packaged = /^\(([^)]+)\)\s+(\S+)\s+(.+)$/.exec(name);
  if (unit === null && packaged?.[2] !== undefined && packaged[3] !== undefined) {
    const unitOnly = unitOf(packaged[2]);
    if (unitOnly !== null) {
      unit = unitOnly;
      name = `${packaged[3]} (${packaged[1] ?? ''})`;
    }
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

/** "a pinch of salt" → "1 pinch of salt", but only when a unit follows, so "a few leaves" stays. */
function withArticleAsOne(line: string): string {
  const match = /^(?:an?|one)\s+(\S+)(\s.*)?$/i.exec(line);
  if (match?.[1] === undefined || unitOf(match[1]) === null) return line;
  return `1 ${match[1]}${match[2] ?? ''}`;
}
