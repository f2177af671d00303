import { Dexie, type ObservabilitySet } from 'dexie';
import { mapStorageError } from '../store';
import type { Watchable } from './client-api';

/** Options of `spacedWatch`. */
export interface SpacedWatchOptions {
  /** Least pause after a read before the next. @default 1000 */
  readonly minGapMs?: number;
  /** The pause after a read is at least this many times as long as the read took. @default 4 */
  readonly spacing?: number;
}

/** Reads asked for and run one at a time, spaced (see `spacedReads`). */
export interface SpacedReads {
  /** Asks for a read: now, or when the read under way or the pause after the last one ends. */
  request(): void;
  /** Stops: no read starts after this. */
  close(): void;
}

/**
 * Runs `read` when asked, one read at a time, and pauses after each for `spacing` times its
 * duration (at least `minGapMs`). Asks made during a read or a pause are answered by one read
 * after it, so a store busy with writes is not read back to back. `read` handles its own errors;
 * one it throws is dropped and the next ask reads again.
 */
export function spacedReads(read: () => Promise<void>, options: SpacedWatchOptions = {}): SpacedReads {
  const minGapMs = options.minGapMs ?? 1000;
  const spacing = options.spacing ?? 4;
  let closed = false;
  let reading = false;
  let dirty = false;
  let readyAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async (): Promise<void> => {
    if (closed || reading || !dirty || timer !== undefined) return;
    const wait = readyAt - Date.now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = undefined;
        void run();
      }, wait);
      return;
    }
    reading = true;
    dirty = false;
    const started = Date.now();
    try {
      await read();
    } catch {
      // Dropped (see above).
    } finally {
      reading = false;
      readyAt = Date.now() + Math.max(minGapMs, spacing * (Date.now() - started));
      void run();
    }
  };
  return {
    request() {
      dirty = true;
      void run();
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}

/**
 * A live value for a read too costly to redo on every write: with a hundred thousand jobs, an
 * index count takes a second or more, and the worker's writes wait behind every read of the
 * table. It reads again when Dexie reports a change to the `jobs` table of `dbName` (from any
 * tab or worker), spaced by `spacedReads`, so the writes keep most of the time.
 */
export function spacedWatch<T>(dbName: string, read: () => Promise<T>, options: SpacedWatchOptions = {}): Watchable<T> {
  return tableWatch(dbName, 'jobs', read, options);
}

/**
 * A live value read again, spaced by `spacedReads`, whenever Dexie reports a change to `table` of
 * `dbName`: a write of this page, of another tab or of a worker. The read itself need not go
 * through Dexie (a setting is read through the worker, which keeps its secrets).
 */
export function tableWatch<T>(
  dbName: string,
  table: string,
  read: () => Promise<T>,
  options: SpacedWatchOptions = {},
): Watchable<T> {
  const prefix = `idb://${dbName}/${table}/`;
  return {
    subscribe(next, error) {
      let closed = false;
      const reads = spacedReads(async () => {
        try {
          const value = await read();
          if (!closed) next(value);
        } catch (e) {
          if (!closed) error?.(mapStorageError(e));
        }
      }, options);
      const onMutated = (parts: ObservabilitySet) => {
        if (Object.keys(parts).some((part) => part.startsWith(prefix))) reads.request();
      };
      Dexie.on('storagemutated', onMutated);
      reads.request();
      return () => {
        closed = true;
        reads.close();
        Dexie.on.storagemutated.unsubscribe(onMutated);
      };
    },
  };
}
