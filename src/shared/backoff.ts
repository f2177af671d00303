/** Exponential backoff settings of a job type. */
export interface BackoffOptions {
  /** Delay before the first retry. @default 1000 */
  readonly baseMs?: number;
  /** Upper bound of any delay. @default 300_000 */
  readonly maxMs?: number;
  /** Spread retries with "full jitter" so that many failed jobs do not retry in step. @default true */
  readonly jitter?: boolean;
}

export const DEFAULT_BACKOFF = { baseMs: 1000, maxMs: 300_000, jitter: true } as const;

/**
 * Delay before retry number `attempt` (1 = first retry): `base * 2^(attempt-1)`, capped at `max`.
 * With jitter the delay is drawn from [cap/2, cap] (half jitter: spread out, never near zero).
 * @param random a value in [0, 1), injected for tests
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const max = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const exponent = Math.max(0, attempt - 1);
  const capped = Math.min(max, base * 2 ** Math.min(exponent, 52));
  if (!(options.jitter ?? DEFAULT_BACKOFF.jitter)) return capped;
  return Math.round(capped / 2 + random() * (capped / 2));
}
