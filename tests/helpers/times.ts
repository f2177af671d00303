/** Durations in milliseconds, for tests of times and waits. */
export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A fixed local time of day, 14:02:09, so clock formats do not depend on when the test runs. */
export const AFTERNOON = new Date(2026, 10, 23, 14, 2, 9).getTime();
