const numbers = new Intl.NumberFormat('en-US');

/** The progress text of a batch, e.g. `Rows 1,201–1,300 of 4,000` (`first` counts from 1). */
export function formatRowRange(first: number, last: number, total: number): string {
  return `Rows ${numbers.format(first)}–${numbers.format(last)} of ${numbers.format(total)}`;
}
