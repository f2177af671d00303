/**
 * Where a list was scrolled, kept in the browser history entry that showed it, as a browser keeps
 * a page's scroll position: Back to the entry finds it there again, while following a link to the
 * same address opens a new entry at the top.
 */
const KEY = 'errandListScroll';

type HistoryLike = Pick<History, 'state' | 'replaceState'>;

function stateOf(history: HistoryLike): Record<string, unknown> {
  const state: unknown = history.state;
  return typeof state === 'object' && state !== null ? (state as Record<string, unknown>) : {};
}

/** The scroll offset the current history entry remembers for its list (px), if any. */
export function rememberedScroll(history: HistoryLike = globalThis.history): number | undefined {
  const value = stateOf(history)[KEY];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Remembers `top` in the current history entry, keeping whatever else the entry holds. */
export function rememberScroll(top: number, history: HistoryLike = globalThis.history): void {
  const state = stateOf(history);
  if (state[KEY] === top) return;
  history.replaceState({ ...state, [KEY]: top }, '');
}

/** The entry's state without a remembered offset: for a list that now shows something else. */
export function withoutScroll(state: unknown): unknown {
  if (typeof state !== 'object' || state === null || !(KEY in state)) return state;
  const { [KEY]: _offset, ...rest } = state as Record<string, unknown>;
  return rest;
}
