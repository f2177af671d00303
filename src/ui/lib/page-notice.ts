/**
 * A sentence left for the page opened next, by a page whose action ends by leaving it: a job
 * removed from its own page is confirmed on the job list it leads to. Taken once.
 */
let pending: string | undefined;

export function leaveNotice(text: string): void {
  pending = text;
}

/** The sentence left by the page before, once; undefined after. */
export function takeNotice(): string | undefined {
  const text = pending;
  pending = undefined;
  return text;
}
