/** The rate-limit group every AI job type shares: one provider, one budget, one hold. */
export const AI_RATE_GROUP = 'ai';
