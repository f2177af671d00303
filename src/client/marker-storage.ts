import { markerKey, type MarkerStorage } from './store-reset';

/**
 * `localStorage` where the context has one it may use; otherwise nothing. Chromium commits its
 * writes a few seconds late: a browser killed 2 s after a write had lost it, 4 s after kept it.
 */
function localStorageIfAllowed(): Storage | undefined {
  try {
    // Reading it throws a SecurityError where storage is blocked (sandboxed frames, some settings).
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The origin private file system, where the context has one it can write files in. */
function privateDirectory(): (() => Promise<FileSystemDirectoryHandle>) | undefined {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  const canWrite =
    typeof FileSystemFileHandle === 'function' && typeof FileSystemFileHandle.prototype.createWritable === 'function';
  if (typeof storage?.getDirectory !== 'function' || !canWrite) return undefined;
  let directory: Promise<FileSystemDirectoryHandle> | undefined;
  return () => (directory ??= storage.getDirectory());
}

/** A file name for a marker key (`/` and `\` are not allowed in one). */
function fileName(key: string): string {
  return `${encodeURIComponent(key)}.json`;
}

/**
 * Where the page remembers its store's identity by default: a file in the origin private file
 * system, which is on disk once its writable has closed, so a browser killed right after still
 * has it. `localStorage` is kept as well: read where the file is missing (a marker written
 * before the file was) and written beside it. Where no file can be written, `localStorage`
 * alone; where neither is allowed, nothing.
 */
export function defaultMarkerStorage(): MarkerStorage | undefined {
  const local = localStorageIfAllowed();
  const directory = privateDirectory();
  if (!directory) return local;
  return {
    async getItem(key) {
      try {
        const handle = await (await directory()).getFileHandle(fileName(key));
        const text = await (await handle.getFile()).text();
        if (text !== '') return text;
      } catch {
        // None written yet (NotFoundError), or files refused here: what `localStorage` holds.
      }
      return local?.getItem(key) ?? null;
    },
    async setItem(key, value) {
      const folder = await directory();
      try {
        const writable = await (await folder.getFileHandle(fileName(key), { create: true })).createWritable();
        await writable.write(value);
        await writable.close();
      } catch (error) {
        // A file left with an older value would be read first, and report a reset forever.
        await folder.removeEntry(fileName(key)).catch(() => undefined);
        if (!local) throw error;
      }
      local?.setItem(key, value);
    },
  };
}

/**
 * Forgets the store remembered for database `dbName` (its file and its `localStorage` item), so
 * that an app deleting its database on purpose is not told the browser lost it. Call it once the
 * database is deleted: a client still open on it would remember it again.
 */
export async function forgetStoreMarker(dbName: string): Promise<void> {
  const key = markerKey(dbName);
  const directory = privateDirectory();
  if (directory)
    await (await directory()).removeEntry(fileName(key)).catch((error: unknown) => {
      if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
    });
  localStorageIfAllowed()?.removeItem(key);
}
