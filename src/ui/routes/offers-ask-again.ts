import type { JobRecord } from '../../client';
import type { ProviderName } from './ai-setting';

/**
 * Whether "Ask again" can bring another answer: a model may answer the same request otherwise,
 * and a failure that may pass (network, timeout, rate limit, a run cut short) may not come back.
 * The local provider reads by fixed rules, so its answer, or its refusal, would be the same
 * again. Nothing is offered while the provider is being read; one that cannot be read keeps the
 * offer.
 */
export function offersAskAgain(
  job: Pick<JobRecord, 'status' | 'error'>,
  provider: ProviderName | 'unknown' | undefined,
): boolean {
  if (provider === undefined) return false;
  if (job.status === 'failed') return provider !== 'local' || job.error?.retryable !== false;
  return job.status === 'completed' && provider !== 'local';
}
