import { parseHash, type Route } from './routes';

export { jobHref, jobsHref, parseHash } from './routes';
export type { Route, RouteName } from './routes';

/** What the router needs of the window. */
type RouterWindow = Pick<Window, 'location' | 'history' | 'document' | 'addEventListener' | 'removeEventListener'>;

/** A tiny hash router: `current` follows the location hash. */
export class Router {
  current: Route = $state({ name: 'dashboard' });
  /** Counts the moves to another place (links, Back, `navigate`), not the address rewritten in place. */
  visits = $state(0);
  readonly #target: RouterWindow;
  readonly #onChange = () => {
    this.current = parseHash(this.#target.location.hash);
    this.visits += 1;
  };
  /** A link to the address already shown changes no hash, but is a visit all the same. */
  readonly #onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
    if (link?.getAttribute('href') === this.#target.location.hash) this.visits += 1;
  };

  constructor(target: RouterWindow = window) {
    this.#target = target;
    this.current = parseHash(target.location.hash);
    target.addEventListener('hashchange', this.#onChange);
    target.document.addEventListener('click', this.#onClick);
  }

  /** Goes to `hash` (e.g. `#/jobs`), adding a history entry, or in place of the current one with `replace`. */
  navigate(hash: string, options?: { readonly replace?: boolean }): void {
    if (options?.replace === true) this.#target.location.replace(hash);
    else this.#target.location.hash = hash;
  }

  /**
   * Rewrites the address in place (no new history entry, no visit), keeping `current` in step:
   * the browser fires no `hashchange` for it, and a router left behind would not see Back or a
   * link to the address it had last seen as a change.
   */
  replace(hash: string, state: unknown = this.#target.history.state): void {
    this.#target.history.replaceState(state, '', hash);
    this.current = parseHash(this.#target.location.hash);
  }

  destroy(): void {
    this.#target.removeEventListener('hashchange', this.#onChange);
    this.#target.document.removeEventListener('click', this.#onClick);
  }
}

/** The app's router. */
export const router = new Router();
