import { liveQuery } from 'dexie';
import { isStoreIdentity, mapStorageError, type StoreIdentity } from '../store';
import type { Watchable } from './client-api';

/**
 * The database this browser held before is gone: the one found now was made after it, empty.
 * Chromium deletes an IndexedDB database it finds corrupted when it opens it (seen here after
 * the browser was killed mid-write), and the jobs in it go with it; only a page that remembers
 * the database outside IndexedDB can tell its user.
 */
export interface StoreReset {
  /** The database the page remembered. */
  readonly previous: StoreIdentity;
  /** The one in its place. */
  readonly current: StoreIdentity;
}

/** Where the identity is remembered, outside IndexedDB: `localStorage` in a window. */
export interface MarkerStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** What a remembered identity and the stored one say together. */
export type IdentityMatch = 'unknown' | 'first' | 'same' | 'reset';

/**
 * - `unknown`: no runner has given the database an identity yet: nothing to tell;
 * - `first`: nothing remembered (a first visit, or site data cleared, which clears both);
 * - `same`: the database is the one remembered;
 * - `reset`: it is another one.
 */
export function matchIdentity(remembered: StoreIdentity | undefined, stored: StoreIdentity | undefined): IdentityMatch {
  if (!stored) return 'unknown';
  if (!remembered) return 'first';
  return remembered.id === stored.id ? 'same' : 'reset';
}

/** The marker's key for one database. */
export function markerKey(dbName: string): string {
  return `errand:store:${dbName}`;
}

/** `localStorage` where the context has one it may use; otherwise nothing. */
export function defaultMarkerStorage(): MarkerStorage | undefined {
  try {
    // Reading it throws a SecurityError where storage is blocked (sandboxed frames, some settings).
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export interface StoreResetWatch {
  readonly watch: Watchable<StoreReset | undefined>;
  /** Remembers the current database, so the reset is no longer reported here or in other tabs. */
  acknowledge(): Promise<void>;
}

/**
 * Follows the stored identity and compares it with the remembered one. A first sight is
 * remembered at once; a reset is reported until acknowledged. Without a marker storage (none in
 * the context, or it refuses writes) nothing is ever reported.
 *
 * `storage` is asked for once, in a task of its own after the first stored identity has been
 * read: in Chromium the first touch of `localStorage` (and a `storage` listener) waits on the
 * browser process (10–14 ms on a slow device), which the page's first tasks, drawing it and its
 * first data, should not.
 */
export function storeResetWatch(
  read: () => Promise<StoreIdentity | undefined>,
  marker: () => MarkerStorage | undefined,
  key: string,
): StoreResetWatch {
  const listeners = new Set<() => void>();
  let asked: { readonly storage: MarkerStorage | undefined } | undefined;
  const markerStorage = (): MarkerStorage | undefined => (asked ??= { storage: marker() }).storage;

  const remembered = (): StoreIdentity | undefined => {
    try {
      const text = markerStorage()?.getItem(key);
      const value: unknown = text ? JSON.parse(text) : undefined;
      return isStoreIdentity(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const remember = (identity: StoreIdentity): void => {
    try {
      markerStorage()?.setItem(key, JSON.stringify({ id: identity.id, createdAt: identity.createdAt }));
    } catch {
      // Storage full or blocked: the check cannot work here, and the page goes on without it.
    }
  };
  const verdict = (stored: StoreIdentity | undefined): StoreReset | undefined => {
    if (!markerStorage()) return undefined;
    const previous = remembered();
    const match = matchIdentity(previous, stored);
    if (match === 'first' && stored) remember(stored);
    return match === 'reset' && previous && stored ? { previous, current: stored } : undefined;
  };

  return {
    watch: {
      subscribe(next, error) {
        let stored: StoreIdentity | undefined;
        /** Set once the first identity was read and the marker storage asked, in a later task. */
        let ready = false;
        let listening = false;
        let firstLook: ReturnType<typeof setTimeout> | undefined;
        const emit = () => {
          if (ready) next(verdict(stored));
        };
        // Another tab acknowledged it: `storage` events come only from other documents.
        const onStorage = (event: StorageEvent) => {
          if (event.key === key) emit();
        };
        const subscription = liveQuery(read).subscribe({
          next: (identity) => {
            stored = identity;
            if (ready) emit();
            else
              firstLook ??= setTimeout(() => {
                ready = true;
                if (markerStorage()) {
                  listening = true;
                  globalThis.addEventListener?.('storage', onStorage);
                }
                emit();
              }, 0);
          },
          error: (e: unknown) => error?.(mapStorageError(e)),
        });
        listeners.add(emit);
        return () => {
          clearTimeout(firstLook);
          subscription.unsubscribe();
          listeners.delete(emit);
          if (listening) globalThis.removeEventListener?.('storage', onStorage);
        };
      },
    },
    async acknowledge() {
      const stored = await read();
      if (stored) remember(stored);
      for (const listener of listeners) listener();
    },
  };
}
