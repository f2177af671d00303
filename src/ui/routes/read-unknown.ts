/*
 * Reading values the worker or a stored record hands over as `unknown` (settings, AI answers,
 * errors): what the screens show, whatever shape the value turns out to have.
 */

/** Whether `value` can be read by key: any object but null. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** `value` when it is a string, else the empty string. */
export const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');
