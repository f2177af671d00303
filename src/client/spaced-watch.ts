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

/**
 * A live value for a read too costly to redo on every write: with a hundred thousand jobs, an
 * index count takes a second or more, and the worker's writes wait behind every read of the
 * table. It reads again when Dexie reports a change to the `jobs` table of `dbName` (from any
 * tab or worker), one read at a time, and pauses after each read for `spacing` times its
 * duration (at least `minGapMs`), so the writes keep most of the time.
 */
export function spacedWatch<T>(dbName: string, read: () => Promise<T>, options: SpacedWatchOptions = {}): Watchable<T> {
  const minGapMs = options.minGapMs ?? 1000;
  const spacing = options.spacing ?? 4;
  const prefix = `idb://${dbName}/jobs/`;
  return {
    subscribe(next, error) {
      let closed = false;
      let reading = false;
      let dirty = true;
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
          const value = await read();
          if (!closed) next(value);
        } catch (e) {
          if (!closed) error?.(mapStorageError(e));
        } finally {
          reading = false;
          readyAt = Date.now() + Math.max(minGapMs, spacing * (Date.now() - started));
          void run();
        }
      };
      const onMutated = (parts: ObservabilitySet) => {
        if (!Object.keys(parts).some((part) => part.startsWith(prefix))) return;
        dirty = true;
        void run();
      };
      Dexie.on('storagemutated', onMutated);
      void run();
      return () => {
        closed = true;
        clearTimeout(timer);
        Dexie.on.storagemutated.unsubscribe(onMutated);
      };
    },
  };
}
