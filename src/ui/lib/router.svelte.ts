import { parseHash, type Route } from './routes';

export { jobHref, jobsHref, parseHash } from './routes';
export type { Route, RouteName } from './routes';

/** A tiny hash router: `current` follows the location hash. */
export class Router {
  current: Route = $state({ name: 'dashboard' });
  /** Counts the moves to another place (links, Back, `navigate`), not the address rewritten in place. */
  visits = $state(0);
  readonly #target: Pick<Window, 'location' | 'history' | 'addEventListener' | 'removeEventListener'>;
  readonly #onChange = () => {
    this.current = parseHash(this.#target.location.hash);
    this.visits += 1;
  };

  constructor(target: Pick<Window, 'location' | 'history' | 'addEventListener' | 'removeEventListener'> = window) {
    this.#target = target;
    this.current = parseHash(target.location.hash);
    target.addEventListener('hashchange', this.#onChange);
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
  }
}

/** The app's router. */
export const router = new Router();
