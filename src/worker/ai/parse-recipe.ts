import { parseIngredientLine } from './parse-ingredient-line';
import {
  findServings,
  isMetadata,
  isNumbered,
  isStepLabel,
  looksLikeProse,
  sectionOf,
  startsWithQuantity,
  stripBullet,
  stripNumber,
  titleText,
  type RecipeSection,
} from './recipe-lines';
import type { ParsedIngredient, ParsedRecipe } from './tasks';

/** Title given to a recipe whose text names none. */
export const UNTITLED = 'Untitled recipe';

type Place = RecipeSection | 'intro';

/**
 * Pasted recipe text → title, servings, ingredients and steps, with no network.
 *
 * With headings ("Ingredients", "Directions", "Method", "Steps"…) the sections decide what
 * each line is; without them, lines starting with an amount are ingredients and numbered or
 * sentence-like lines after them are steps. Deterministic: the same text, the same recipe.
 */
export function parseRecipeText(text: string): ParsedRecipe {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\u00a0/g, ' ').trim())
    .filter((line) => line !== '');
  const sectioned = lines.some((line) => {
    const section = sectionOf(line);
    return section === 'ingredients' || section === 'steps';
  });
  const ingredients: ParsedIngredient[] = [];
  const steps = new StepList();
  let title: string | undefined;
  let place: Place = 'intro';

  for (const line of lines) {
    const heading = sectionOf(line);
    if (heading !== undefined) {
      place = heading;
      steps.endParagraph();
      continue;
    }
    if (
      title === undefined &&
      place === 'intro' &&
      !startsWithQuantity(line) &&
      !isNumbered(line) &&
      !isMetadata(line)
    ) {
      title = titleText(line);
      continue;
    }
    if (place !== 'steps' && isMetadata(line)) continue;
    let kind = sectioned ? place : guessKind(line, ingredients.length > 0);
    // Directions often follow the ingredient list with no heading of their own.
    if (kind === 'ingredients' && readsAsStep(line)) {
      kind = 'steps';
      if (sectioned) place = 'steps';
    }
    if (kind === 'ingredients') {
      const ingredient = parseIngredientLine(stripBullet(line));
      if (ingredient !== null) ingredients.push(ingredient);
    } else if (kind === 'steps') {
      steps.add(line);
    }
  }
  return {
    title: title === undefined || title === '' ? UNTITLED : title,
    servings: findServings(text),
    ingredients,
    steps: steps.list(),
  };
}

/** Without headings: what a line most likely is. Prose before any ingredient is the intro. */
function guessKind(line: string, afterIngredients: boolean): Place {
  if (isNumbered(line) && !startsWithQuantity(stripNumber(line))) return 'steps';
  if (startsWithQuantity(line)) return 'ingredients';
  const bare = stripBullet(line);
  // "a pinch of salt", "an onion": short article lines in a list; "A quick dinner." is prose.
  if (/^(?:an?|one)\s/i.test(bare) && bare.length <= 40 && !looksLikeProse(bare) && afterIngredients)
    return 'ingredients';
  if (bare !== line && !looksLikeProse(bare)) return 'ingredients';
  if (afterIngredients && looksLikeProse(bare)) return 'steps';
  return 'intro';
}

/** A line inside an ingredient list that is really the first instruction. */
function readsAsStep(line: string): boolean {
  if (isNumbered(line)) return !startsWithQuantity(stripNumber(line));
  const bare = stripBullet(line);
  return !startsWithQuantity(bare) && bare.length > 60 && /[.!]\s*$/.test(bare);
}

/**
 * Steps in order. In a numbered list an unnumbered line continues the step before it (text
 * wrapped by the page it was copied from); otherwise every line is a step of its own.
 */
class StepList {
  readonly #steps: string[] = [];
  #numbered = false;
  #continuable = false;

  add(line: string): void {
    if (isStepLabel(line)) {
      this.#numbered = true;
      this.#continuable = false;
      return;
    }
    const numbered = isNumbered(line);
    const bare = stripNumber(stripBullet(line));
    if (bare === '') return;
    if (this.#steps.length === 0 && numbered) this.#numbered = true;
    const last = this.#steps.length - 1;
    if (!numbered && this.#numbered && this.#continuable && last >= 0 && stripBullet(line) === line) {
      this.#steps[last] = `${this.#steps[last] ?? ''} ${bare}`;
      return;
    }
    this.#steps.push(bare);
    this.#continuable = true;
  }

  endParagraph(): void {
    this.#continuable = false;
  }

  list(): string[] {
    return [...this.#steps];
  }
}
