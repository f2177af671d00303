/** Which part of a recipe a heading opens. */
export type RecipeSection = 'ingredients' | 'steps' | 'other';

const INGREDIENT_HEADING =
  /^(?:ingredients?(?: list)?|what you(?:'|’)?ll need|you(?:'|’)?ll need|you will need|shopping list)$/i;
const STEP_HEADING =
  /^(?:directions?|method|steps?|instructions?|preparation|how to (?:make|cook|prepare)(?: it)?|to make|procedure)$/i;
const OTHER_HEADING =
  /^(?:notes?|tips?|cook(?:'|’)?s notes?|nutrition(?: facts| information)?|equipment|variations?|storage|serving suggestions?|to serve)$/i;

const BULLET = /^(?:[-*+•·▪◦‣–—]|▢|☐|\[ ?\])\s*/u;
const NUMBERED = /^(?:step\s*)?\d{1,2}\s*[.):]\s+|^step\s+\d{1,2}\s*[:.\-–]?\s*/i;
const STEP_LABEL_ONLY = /^step\s*\d{1,2}\s*[:.]?$/i;
const QUANTITY_START = /^(?:\d|[¼½¾⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])/u;
const METADATA =
  /^(?:serves|servings?|serving size|yields?|makes|portions?|prep(?:aration)?(?: time)?|cook(?:ing)?(?: time)?|total(?: time)?|time|difficulty|calories|course|cuisine)\b\s*[:\-–]?/i;

/** A line with Markdown heading marks, emphasis and a trailing colon removed. */
function headingText(line: string): string {
  return line
    .replace(/^#{1,6}\s*/, '')
    .replace(/^[*_]{1,2}(.*?)[*_]{1,2}$/, '$1')
    .replace(/\s*\([^)]*\)\s*$/, '')
    .replace(/\s*:\s*$/, '')
    .trim();
}

/** The section a heading line opens, or undefined when the line is not a heading. */
export function sectionOf(line: string): RecipeSection | undefined {
  // Headings are short; a long line starting with "Method" is prose.
  if (line.length > 60) return undefined;
  const text = headingText(line);
  if (INGREDIENT_HEADING.test(text)) return 'ingredients';
  if (STEP_HEADING.test(text)) return 'steps';
  if (OTHER_HEADING.test(text)) return 'other';
  return undefined;
}

/** The line without a leading bullet or checkbox. */
export function stripBullet(line: string): string {
  return line.replace(BULLET, '').trim();
}

/** Whether the line starts with a list number ("1.", "2)", "Step 3:"). */
export function isNumbered(line: string): boolean {
  return NUMBERED.test(line);
}

/** The line without its list number. */
export function stripNumber(line: string): string {
  return line.replace(NUMBERED, '').trim();
}

/** "Step 2" on a line of its own: a label for the text that follows. */
export function isStepLabel(line: string): boolean {
  return STEP_LABEL_ONLY.test(line.trim());
}

/** Whether the line starts with a written amount (digits or a fraction), as most ingredient lines do. */
export function startsWithQuantity(line: string): boolean {
  return QUANTITY_START.test(stripBullet(line));
}

/** "Serves 4", "Prep time: 10 min": facts about the recipe, not ingredients or steps. */
export function isMetadata(line: string): boolean {
  return line.length <= 80 && METADATA.test(line);
}

/** Whether a line reads as an instruction sentence rather than a list entry. */
export function looksLikeProse(line: string): boolean {
  return line.length > 60 || /[.!]\s*$/.test(line);
}

/** Servings stated anywhere in the text ("Serves 4", "Makes 12", "4 servings"), else null. */
export function findServings(text: string): number | null {
  const stated =
    /\b(?:serves|servings?|yields?|makes|portions?)\s*[:\-–]?\s*(?:about\s+|up to\s+)?(\d{1,3})\b/i.exec(text) ??
    /\b(\d{1,3})\s+(?:servings|portions|people)\b/i.exec(text);
  const value = stated?.[1] === undefined ? NaN : Number(stated[1]);
  return Number.isInteger(value) && value > 0 ? value : null;
}

/** The recipe's name from a title line: Markdown marks and a "Title:" label removed. */
export function titleText(line: string): string {
  return line
    .replace(/^#{1,6}\s*/, '')
    .replace(/^(?:title|recipe)\s*:\s*/i, '')
    .replace(/^[*_]{1,2}(.*?)[*_]{1,2}$/, '$1')
    .trim();
}
