import { ErrandError } from '../../client';

/**
 * Whether the app's alert already tells the page why `error` happened, once for every page: a
 * worker that did not start or stopped (`worker`), or a context where no job can run
 * (`unsupported`). Pages then say no more than that they could not show their part.
 */
export function toldByAppAlert(error: unknown): boolean {
  return error instanceof ErrandError && (error.code === 'worker' || error.code === 'unsupported');
}
