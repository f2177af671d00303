import { DataCloneError } from './errors';

/**
 * Throws `data-clone` unless `value` survives the structured clone algorithm, which is what
 * IndexedDB stores and what crosses the worker boundary. Checked before any write, so a bad
 * value leaves nothing behind.
 */
export function assertCloneable(value: unknown, what: string): void {
  try {
    structuredClone(value);
  } catch (error) {
    throw new DataCloneError(`The ${what} cannot be stored: ${describe(error)}`, { cause: error });
  }
}

/**
 * After a write or a message was refused with a `DataCloneError`: the error naming the first of
 * `payloads` that cannot be cloned (`The payload of job 3 of 5 cannot be stored: …`, or `The
 * payload …` for one), since the browser's own error does not say which value it was. Clones
 * each payload, so it runs on the failure path only.
 */
export function payloadCloneError(payloads: readonly unknown[]): DataCloneError | undefined {
  for (const [index, payload] of payloads.entries()) {
    try {
      assertCloneable(payload, payloads.length > 1 ? `payload of job ${index + 1} of ${payloads.length}` : 'payload');
    } catch (error) {
      if (error instanceof DataCloneError) return error;
      throw error;
    }
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
