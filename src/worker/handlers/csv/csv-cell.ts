const FORMULA_START = /^[=+@\t\r]/;
const DASH_FORMULA = /^-(?![\d.,\s]*$)/;

/**
 * A cell that a spreadsheet will show as text: one that would start a formula (`=`, `+`,
 * `@`, or `-` not followed by a plain number) gets a leading apostrophe, as OWASP advises for
 * CSV injection. Negative amounts stay numbers.
 */
export function spreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) || DASH_FORMULA.test(cell) ? `'${cell}` : cell;
}
