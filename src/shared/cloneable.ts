import { DataCloneError } from './errors';

/**
 * Throws `data-clone` unless `value` survives the structured clone algorithm, which is what
 * IndexedDB stores and what crosses the worker boundary. Checked before any write, so a bad
 * payload leaves nothing behind.
 */
export function assertCloneable(value: unknown, what: string): void {
  try {
    structuredClone(value);
  } catch (error) {
    throw new DataCloneError(`The ${what} cannot be stored: ${describe(error)}`, { cause: error });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
