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

/**
 * Where the identity is remembered, outside IndexedDB. `localStorage` fits; the default is a
 * file in the origin private file system (see `defaultMarkerStorage`). A write must be on disk
 * when it resolves: the marker matters after a crash, just when a late write is lost.
 */
export interface MarkerStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
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

export interface StoreResetWatch {
  readonly watch: Watchable<StoreReset | undefined>;
  /** Remembers the current database, so the reset is no longer reported here or in other tabs. */
  acknowledge(): Promise<void>;
}

/**
 * Follows the stored identity and compares it with the remembered one. A first sight is
 * remembered at once; a reset is reported until acknowledged, and an acknowledgement is heard
 * by every tab (on a BroadcastChannel named after `key`). Without a marker storage (none in the
 * context, or it refuses writes) nothing is ever reported.
 *
 * `storage` is asked for once, in a task of its own after the first stored identity has been
 * read: in Chromium the first touch of `localStorage` waits on the browser process (10–14 ms on
 * a slow device), which the page's first tasks, drawing it and its first data, should not.
 */
export function storeResetWatch(
  read: () => Promise<StoreIdentity | undefined>,
  marker: () => MarkerStorage | undefined,
  key: string,
): StoreResetWatch {
  const listeners = new Set<() => void>();
  let asked: { readonly storage: MarkerStorage | undefined } | undefined;
  const markerStorage = (): MarkerStorage | undefined => (asked ??= { storage: marker() }).storage;

  const remembered = async (): Promise<StoreIdentity | undefined> => {
    try {
      const text = await markerStorage()?.getItem(key);
      const value: unknown = text ? JSON.parse(text) : undefined;
      return isStoreIdentity(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const remember = async (identity: StoreIdentity): Promise<void> => {
    try {
      await markerStorage()?.setItem(key, JSON.stringify({ id: identity.id, createdAt: identity.createdAt }));
    } catch {
      // Storage full or blocked: the check cannot work here, and the page goes on without it.
    }
  };
  const verdict = async (stored: StoreIdentity | undefined): Promise<StoreReset | undefined> => {
    if (!markerStorage()) return undefined;
    const previous = await remembered();
    const match = matchIdentity(previous, stored);
    if (match === 'first' && stored) await remember(stored);
    return match === 'reset' && previous && stored ? { previous, current: stored } : undefined;
  };
  const channel = (): BroadcastChannel | undefined =>
    typeof BroadcastChannel === 'function' ? new BroadcastChannel(key) : undefined;

  return {
    watch: {
      subscribe(next, error) {
        let stored: StoreIdentity | undefined;
        /** Set once the first identity was read and the marker storage asked, in a later task. */
        let ready = false;
        let stopped = false;
        let heard: BroadcastChannel | undefined;
        let firstLook: ReturnType<typeof setTimeout> | undefined;
        // One verdict at a time, each on the identity stored when it starts: an older one never
        // lands after a newer one. A subscriber that throws does not stop the later ones.
        let verdicts = Promise.resolve();
        const emit = () => {
          if (!ready) return;
          verdicts = verdicts
            .then(async () => {
              const value = await verdict(stored);
              if (!stopped) next(value);
            })
            .catch(() => undefined);
        };
        const subscription = liveQuery(read).subscribe({
          next: (identity) => {
            // Read again after other writes to the store: the same identity says nothing new, and
            // the marker is not read again for it (a file read is a few trips to the browser).
            const same = identity?.id === stored?.id && identity?.createdAt === stored?.createdAt;
            stored = identity;
            if (ready) {
              if (!same) emit();
              return;
            }
            firstLook ??= setTimeout(() => {
              ready = true;
              if (markerStorage()) {
                // Another tab acknowledged it.
                heard = channel();
                if (heard) heard.onmessage = emit;
              }
              emit();
            }, 0);
          },
          error: (e: unknown) => error?.(mapStorageError(e)),
        });
        listeners.add(emit);
        return () => {
          stopped = true;
          clearTimeout(firstLook);
          subscription.unsubscribe();
          listeners.delete(emit);
          heard?.close();
        };
      },
    },
    async acknowledge() {
      const stored = await read();
      if (stored) await remember(stored);
      // Every subscription hears it on the channel, this tab's too; without one, this tab's only.
      const told = channel();
      if (told) {
        told.postMessage('acknowledged');
        told.close();
      } else for (const listener of listeners) listener();
    },
  };
}
