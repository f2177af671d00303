import {
  DataCloneError,
  ErrandError,
  QuotaExceededError,
  StorageError,
  UnsupportedContextError,
  VersionError,
} from '../shared';

/** Why no job can be stored where the browser refuses this site any storage. */
export const STORAGE_DENIED_REASON =
  "the browser does not let this site store data (cookies and site data are blocked for it); allow them in the browser's settings";

/**
 * The one place where IndexedDB and Dexie failures become Errand errors. A quota failure
 * often arrives as a transaction `AbortError` whose inner error is the real cause, so the
 * whole chain (`inner`, `cause`) is searched.
 */
export function mapStorageError(error: unknown): ErrandError {
  if (error instanceof ErrandError) return error;
  const chain = causeChain(error);
  const names = chain.map((e) => e.name);
  if (chain.some(isStorageDenied)) return new UnsupportedContextError(STORAGE_DENIED_REASON, { cause: error });
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

/**
 * The browser refuses this site IndexedDB: Chromium, with cookies and site data blocked, fails
 * the open with `UnknownError` "The user denied permission to access the database."; where the
 * API is denied to the context (a sandboxed frame, Firefox with cookies blocked), `open` throws
 * `SecurityError`.
 */
function isStorageDenied({ name, message }: { name: string; message: string }): boolean {
  return name === 'SecurityError' || (name === 'UnknownError' && /denied permission/i.test(message));
}

function causeChain(error: unknown): { name: string; message: string }[] {
  const chain: { name: string; message: string }[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const value = current as { name?: unknown; message?: unknown; inner?: unknown; cause?: unknown };
    if (typeof value.name === 'string') {
      chain.push({ name: value.name, message: typeof value.message === 'string' ? value.message : '' });
    }
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
