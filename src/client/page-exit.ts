import { markPageExit, type ErrandDb } from '../store';

/** Where `pagehide` fires: the page's window. */
export type PageEvents = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

/** The window, where this context has one (not in a worker or in Node). */
function contextWindow(): PageEvents | undefined {
  const scope = globalThis as { window?: unknown; addEventListener?: unknown };
  return scope.window === globalThis && typeof scope.addEventListener === 'function' ? globalThis : undefined;
}

/**
 * On the page: as it unloads (reload, close, navigation; not a page kept in the back/forward
 * cache, which may come back), notes in the store that the runtime it hosts, `instance` once
 * known, ends because the page left. A runner that takes over then gives back the attempts the
 * leaving cut short, which a crash does not get. Returns a function that stops listening.
 */
export function noteExitOnPageHide(
  db: ErrandDb,
  instance: Promise<string | undefined>,
  now: () => number = Date.now,
  page: PageEvents | undefined = contextWindow(),
): () => void {
  if (!page) return () => undefined;
  let known: string | undefined;
  instance.then(
    (value) => {
      known = value;
    },
    () => undefined,
  );
  const onPageHide = (event: Event) => {
    if ((event as PageTransitionEvent).persisted || known === undefined) return;
    markPageExit(db, known, now());
  };
  page.addEventListener('pagehide', onPageHide);
  return () => page.removeEventListener('pagehide', onPageHide);
}
