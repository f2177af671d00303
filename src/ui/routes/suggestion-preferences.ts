/** A comma-separated word list as its trimmed, non-empty words. */
export function splitTerms(value: string): string[] {
  return value
    .split(',')
    .map((term) => term.trim())
    .filter((term) => term !== '');
}

/** Why a "max ingredients" entry cannot be used, or undefined when it can (empty means no limit). */
export function maxIngredientsProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) && Number(trimmed) >= 1
    ? undefined
    : 'Enter a whole number of at least 1, or leave it empty';
}
