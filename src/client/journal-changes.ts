import { Dexie, RangeSet, rangesOverlap, type ObservabilitySet } from 'dexie';
import { assertId, type ErrandError } from '../shared';
import type { Watchable } from './client-api';

/** The tables that make up a job's journal besides its record, each indexed by `jobId`. */
const JOURNAL_TABLES = ['steps', 'logs', 'files'] as const;

/**
 * Tells each time the step journal, logs or files of job `id` change, from any tab or worker:
 * a step that starts, a log line, a file attached. Those writes leave the job's record as it
 * was, so a view following the record alone would not see them. Nothing is read: Dexie's note
 * of each committed write names the job ids it touched, and only notes naming `id` are told.
 */
export function journalChanges(dbName: string, id: string): Watchable<void> {
  const parts = JOURNAL_TABLES.map((table) => `idb://${dbName}/${table}/jobId`);
  return {
    subscribe(next, error) {
      // A bad id is told as every watch tells its errors: to `error`, never thrown.
      try {
        assertId(id, 'id');
      } catch (e) {
        let closed = false;
        queueMicrotask(() => closed || error?.(e as ErrandError));
        return () => (closed = true);
      }
      const job = new RangeSet(id);
      const onMutated = (mutated: ObservabilitySet) => {
        if (parts.some((part) => mutated[part] !== undefined && rangesOverlap(mutated[part], job))) next();
      };
      Dexie.on('storagemutated', onMutated);
      return () => Dexie.on.storagemutated.unsubscribe(onMutated);
    },
  };
}
