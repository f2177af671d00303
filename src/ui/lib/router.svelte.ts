import { parseHash, type Route } from './routes';

export { jobHref, jobsHref, parseHash } from './routes';
export type { Route, RouteName } from './routes';

/** A tiny hash router: `current` follows the location hash. */
export class Router {
  current: Route = $state({ name: 'dashboard' });
  readonly #target: Window;
  readonly #onChange = () => {
    this.current = parseHash(this.#target.location.hash);
  };

  constructor(target: Window = window) {
    this.#target = target;
    this.current = parseHash(target.location.hash);
    target.addEventListener('hashchange', this.#onChange);
  }

  /** Goes to `hash` (e.g. `#/jobs`), adding a history entry. */
  navigate(hash: string): void {
    this.#target.location.hash = hash;
  }

  destroy(): void {
    this.#target.removeEventListener('hashchange', this.#onChange);
  }
}

/** The app's router. */
export const router = new Router();
