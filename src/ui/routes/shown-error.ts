import { isObject } from './read-unknown';

/** A failure as the screen shows it: its stable code and its message. */
export interface ShownError {
  readonly code: string;
  readonly message: string;
}

/** A thrown value as a screen shows it: its own code and message when it has them. */
export function shownError(error: unknown): ShownError {
  if (isObject(error) && typeof error['code'] === 'string' && typeof error['message'] === 'string') {
    return { code: error['code'], message: error['message'] };
  }
  return { code: 'error', message: error instanceof Error ? error.message : String(error) };
}
