const numbers = new Intl.NumberFormat('en-US');

/**
 * Names a batch by its rows, e.g. `Rows 1,201–1,300` (`first` counts from 1), followed by
 * ` of 4,000` when `total` is given.
 */
export function formatRowRange(first: number, last: number, total?: number): string {
  const range = `Rows ${numbers.format(first)}–${numbers.format(last)}`;
  return total === undefined ? range : `${range} of ${numbers.format(total)}`;
}
