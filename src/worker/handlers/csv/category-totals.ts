/** Rows and their summed amount for one category in one currency. */
export interface CategoryTotal {
  readonly category: string;
  /** Empty when the statement has no currency column. */
  readonly currency: string;
  readonly count: number;
  readonly totalCents: number;
}

/** A row that could not be read, by its line in the file. */
export interface UnreadableLine {
  readonly line: number;
  readonly reason: string;
}

/** Counts so far: what a checkpoint holds and what each batch adds. */
export interface Tally {
  readonly categories: readonly CategoryTotal[];
  readonly unreadableCount: number;
  /** The first `MAX_LISTED_UNREADABLE` unreadable rows; the rest are only counted. */
  readonly unreadable: readonly UnreadableLine[];
}

/** Unreadable rows listed by line in a summary; more are counted, not listed. */
export const MAX_LISTED_UNREADABLE = 100;

/** A tally of nothing. */
export const EMPTY_TALLY: Tally = { categories: [], unreadableCount: 0, unreadable: [] };

/** Adds `extra` to `base`. Categories keep the order in which they first appeared. */
export function addTallies(base: Tally, extra: Tally): Tally {
  const totals = new Map<string, CategoryTotal>();
  for (const entry of [...base.categories, ...extra.categories]) {
    const key = `${entry.category}\u0000${entry.currency}`;
    const known = totals.get(key);
    totals.set(
      key,
      known
        ? { ...known, count: known.count + entry.count, totalCents: known.totalCents + entry.totalCents }
        : { ...entry },
    );
  }
  return {
    categories: [...totals.values()],
    unreadableCount: base.unreadableCount + extra.unreadableCount,
    unreadable: [...base.unreadable, ...extra.unreadable].slice(0, MAX_LISTED_UNREADABLE),
  };
}
