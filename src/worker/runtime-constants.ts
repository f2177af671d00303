/** The rate-limit group every AI job type shares: one provider, one budget, one hold. */
export const AI_RATE_GROUP = 'ai';

/**
 * How soon a runtime's own write that the store refused (full, or a passing failure) is tried
 * again, and the longest wait between tries: the takeover, the wake of jobs that wait for the
 * network. The other tabs share the store and could do no better.
 */
export const WRITE_RETRY_MS = 1000;
export const WRITE_RETRY_MAX_MS = 10_000;
