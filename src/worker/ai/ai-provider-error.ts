import { ErrandError } from '../../shared';

/**
 * The provider could not be reached or failed on its side (network error, 5xx, 408): the
 * whole call may succeed later, so it is retryable and the runner backs off.
 */
export class AiProviderError extends ErrandError {
  override readonly name = 'AiProviderError';
  /** HTTP status, or undefined when no response arrived. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super('handler-error', message, { retryable: true });
    this.status = status;
  }
}
