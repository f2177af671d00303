import { DataCloneError, ErrandError, QuotaExceededError, StorageError, VersionError } from '../shared';

/**
 * The one place where IndexedDB and Dexie failures become Errand errors. A quota failure
 * often arrives as a transaction `AbortError` whose inner error is the real cause, so the
 * whole chain (`inner`, `cause`) is searched.
 */
export function mapStorageError(error: unknown): ErrandError {
  if (error instanceof ErrandError) return error;
  const names = causeChain(error).map((e) => e.name);
  if (names.includes('QuotaExceededError')) return new QuotaExceededError({ cause: error });
  if (names.includes('DataCloneError')) {
    return new DataCloneError('The value cannot be stored in IndexedDB', { cause: error });
  }
  if (
    names.some((n) =>
      ['VersionError', 'VersionChangeError', 'DatabaseClosedError', 'UpgradeError', 'InvalidStateError'].includes(n),
    )
  ) {
    return new VersionError('The database was closed or upgraded by another version of the app: reload', {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError(`Storage failed: ${message}`, { cause: error });
}

function causeChain(error: unknown): { name: string }[] {
  const chain: { name: string }[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const value = current as { name?: unknown; inner?: unknown; cause?: unknown };
    if (typeof value.name === 'string') chain.push({ name: value.name });
    current = value.inner ?? value.cause;
  }
  return chain;
}

/** Runs `operation`, rethrowing any storage failure as a typed Errand error. */
export async function withStorageErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw mapStorageError(error);
  }
}
