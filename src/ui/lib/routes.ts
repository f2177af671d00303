/** The Console's pages, as read from the location hash. */
export type Route =
  | { readonly name: 'dashboard' }
  | { readonly name: 'jobs'; readonly query: URLSearchParams }
  | { readonly name: 'job'; readonly id: string }
  | { readonly name: 'recipes' }
  | { readonly name: 'import' }
  | { readonly name: 'export' }
  | { readonly name: 'schedules' }
  | { readonly name: 'settings' }
  | { readonly name: 'not-found'; readonly path: string };

export type RouteName = Route['name'];

/** Reads a hash such as `#/jobs/3f2c…` or `#/jobs?status=failed` into a route. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const segments = pathPart.split('/').filter((segment) => segment !== '');
  const [first, second, ...rest] = segments;
  if (first === undefined) return { name: 'dashboard' };
  if (rest.length === 0) {
    if (first === 'jobs' && second === undefined) return { name: 'jobs', query: new URLSearchParams(queryPart) };
    if (first === 'jobs' && second !== undefined) return { name: 'job', id: decodeURIComponent(second) };
    if (
      second === undefined &&
      (first === 'recipes' || first === 'import' || first === 'export' || first === 'schedules' || first === 'settings')
    ) {
      return { name: first };
    }
  }
  return { name: 'not-found', path: pathPart };
}

/** The hash of a job's detail page. */
export function jobHref(id: string): string {
  return `#/jobs/${encodeURIComponent(id)}`;
}

/** The hash of the job center, optionally filtered (`{ status: 'active' }`). */
export function jobsHref(query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return search === '' ? '#/jobs' : `#/jobs?${search}`;
}
