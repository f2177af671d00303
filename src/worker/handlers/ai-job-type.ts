import { fromJobError, NetworkUnavailableError, PermanentJobError, RateLimitError, type Priority } from '../../shared';
import {
  PROMPT_VERSIONS,
  promptForItem,
  type AiInput,
  type AiItemResult,
  type AiOutput,
  type AiSettings,
  type AiTask,
} from '../ai';
import { AI_SETTINGS_KEY, type FingerprintedRequest } from '../ai-client';
import { defineJobType, type BatchItem, type BatchOutcome, type JobTypeDefinition } from '../define-job-type';
import { AI_RATE_GROUP } from '../runtime-constants';

/** What differs between AI job types. */
export interface AiJobTypeOptions<T extends AiTask> {
  readonly task: T;
  readonly label: string;
  readonly priority: Priority;
  readonly parse: (payload: unknown) => AiInput<T>;
  readonly labelFor: (payload: AiInput<T>) => string;
  /** Items per provider call. @default 10 */
  readonly maxBatch?: number;
}

/**
 * An AI job type: its answer is fingerprinted by provider, model, prompt version and input,
 * so an identical request is answered from the store; similar jobs travel in one call; every
 * AI type shares one rate limit and one "retry after" hold.
 */
export function defineAiJobType<T extends AiTask>(
  options: AiJobTypeOptions<T>,
): JobTypeDefinition<AiInput<T>, AiOutput<T>> {
  const runBatch = async (
    items: readonly BatchItem<AiInput<T>, unknown>[],
    signal: AbortSignal,
  ): Promise<BatchOutcome<AiOutput<T>>[]> => {
    const first = items[0];
    if (!first) return [];
    const requests = items.map((item): FingerprintedRequest => ({
      request: {
        id: item.context.jobId,
        task: options.task,
        input: item.payload,
        promptVersion: PROMPT_VERSIONS[options.task],
      } as FingerprintedRequest['request'],
      fingerprint: item.context.fingerprint ?? item.context.jobId,
      ...(item.context.fresh ? { fresh: true } : {}),
    }));
    for (const item of items) item.context.progress(0.1, 'Waiting for the AI answer');
    let results: AiItemResult[];
    try {
      results = await first.context.ai.complete(requests, signal);
    } catch (error) {
      // A network failure while the device is offline waits for the network instead of retrying.
      if (
        !signal.aborted &&
        isOffline() &&
        !(error instanceof PermanentJobError) &&
        !(error instanceof RateLimitError)
      ) {
        throw new NetworkUnavailableError();
      }
      throw error;
    }
    // An answer that could not be used is not stored, so the job's log keeps what was asked and
    // what came back: each retry may cost money, and the reason is in the model's words.
    await Promise.all(
      results.map(async (result, i) => {
        const item = items[i];
        const request = requests[i]?.request;
        if (result.ok || !item || !request || result.raw === undefined) return;
        try {
          await item.context.log(`Prompt sent for this item:\n${promptForItem(request)}`, 'info');
          await item.context.log(`The provider's answer, not used (${result.error.message}):\n${result.raw}`, 'warn');
        } catch {
          // The attempt no longer owns the job: its log is not this attempt's to write.
        }
      }),
    );
    return results.map((result) =>
      result.ok ? { ok: true, value: result.output as AiOutput<T> } : { ok: false, error: fromJobError(result.error) },
    );
  };

  return defineJobType<AiInput<T>, AiOutput<T>>({
    type: options.task,
    label: options.label,
    priority: options.priority,
    cache: {
      async key(payload, settings) {
        const ai = ((await settings(AI_SETTINGS_KEY)) as AiSettings | undefined) ?? { provider: 'local' as const };
        const target =
          ai.provider === 'local'
            ? { provider: 'local' }
            : { provider: ai.provider, baseUrl: ai.baseUrl, model: ai.model };
        return { ...target, promptVersion: PROMPT_VERSIONS[options.task], input: payload };
      },
    },
    batch: { windowMs: 250, maxSize: options.maxBatch ?? 10 },
    retry: { maxAttempts: 5, backoff: { baseMs: 1000, maxMs: 300_000, jitter: true } },
    rateLimit: { group: AI_RATE_GROUP, max: 60, intervalMs: 60_000 },
    concurrency: 2,
    timeoutMs: 60_000,
    expectedMs: 3000,
    parse: options.parse,
    labelFor: options.labelFor,
    async run(payload, context) {
      const [outcome] = await runBatch([{ payload, context }], context.signal);
      if (!outcome) throw new Error('No answer');
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
    runBatch,
  });
}

function isOffline(): boolean {
  return (globalThis.navigator as { onLine?: boolean } | undefined)?.onLine === false;
}
