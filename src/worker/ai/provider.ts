import type { AiConnectionCheck, JobError } from '../../shared';
import type { AiInput, AiOutput, AiTask } from './tasks';

/**
 * One unit of AI work. A batch is an array of these sent in one provider call; `id` pairs each
 * request with its result and must be unique within a batch (a job id fits).
 */
export type AiRequest = {
  readonly [T in AiTask]: {
    readonly id: string;
    readonly task: T;
    readonly input: AiInput<T>;
    /**
     * The prompt version the caller fingerprinted the request with. A provider refuses an item
     * whose version is not its current one, so a stored answer is always the answer to the
     * prompt its fingerprint names.
     */
    readonly promptVersion: string;
  };
}[AiTask];

/** The answer to one item: its output, or why that item alone failed. */
export type AiItemResult = AiItemSuccess | AiItemFailure;

/** A usable answer to one item; `task` tells the type of `output`. */
export type AiItemSuccess = {
  readonly [T in AiTask]: {
    readonly id: string;
    readonly ok: true;
    readonly task: T;
    readonly output: AiOutput<T>;
    /** The item's own part of the answer, as text, for storing beside the output. */
    readonly raw: string;
  };
}[AiTask];

/** One item that failed while the rest of its batch may have succeeded. */
export interface AiItemFailure {
  readonly id: string;
  readonly ok: false;
  /**
   * Plain error data. `retryable: true` (a missing or malformed item) means the item may
   * be sent again, alone or in another batch; `false` (e.g. the input is not a recipe)
   * means asking again will not help.
   */
  readonly error: JobError;
  readonly raw?: string;
}

/** What one provider call produced: a result per request plus what to store with them. */
export interface AiCompletion {
  /** One result per request, in request order. */
  readonly items: readonly AiItemResult[];
  /** The full prompt text sent, so every stored answer keeps its prompt. */
  readonly prompt: string;
  /** The provider's answer as received (secrets scrubbed). */
  readonly rawResponse: string;
}

/** Outcome of a connection check, for the settings screen: what the page is answered. */
export type ConnectionCheck = AiConnectionCheck;

/** Options of every provider call. */
export interface AiCallOptions {
  /** Aborts the HTTP request (cancel, pause, timeout); the call then rejects with its reason. */
  readonly signal: AbortSignal;
}

/**
 * An AI backend behind one batched interface.
 *
 * `complete` rejects only when the call as a whole failed and there is no answer to store:
 * `RateLimitError(retryAfterMs)` when the provider rate limits, `PermanentJobError` when the
 * request is refused for good (bad key, unknown model), `AiProviderError` (retryable) for
 * server errors and network failures, and the signal's reason on abort. Once an answer
 * arrived it resolves, and an item the answer got wrong fails alone in `items`.
 */
export interface AiProvider {
  /** Provider kind, part of every fingerprint: `local` or `openai-compatible`. */
  readonly id: string;
  /** Model name, part of every fingerprint. */
  readonly model: string;
  complete(requests: readonly AiRequest[], options: AiCallOptions): Promise<AiCompletion>;
  /** Checks that the provider answers with the configured settings. Never rejects except on abort. */
  testConnection(options: AiCallOptions): Promise<ConnectionCheck>;
}
