/** Rows per live page of the list. */
export const PAGE_SIZE = 50;
/** Queued jobs sorted in memory for the run-order view. */
export const RUN_ORDER_CAP = 2000;
/** Most jobs "Select all" takes: the newest this many of a longer list. */
export const SELECT_ALL_CAP = 10_000;
/** Pages kept on either side of the rows shown, so that scrolling back finds them read. */
export const KEPT_PAGES = 4;
/**
 * Live pages are re-read a few times a second at most, not on every write: with hundreds of
 * running jobs each write would otherwise re-read every page shown, and the worker's writes
 * wait behind those reads.
 */
export const PAGE_SPACING = { minGapMs: 250 } as const;
