import { afterEach, vi } from 'vitest';
import type { JobRecord } from '../../src/shared';
import { openWorkerStore, type WorkerStore } from '../../src/store';
import { freshDbName } from './harness';

/** The time of the records built here. */
export const NOW = 1_700_000_000_000;

/** A queued job record of type `work`, as stored on enqueue; `fields` replace the defaults. */
export function queuedRecord(id: string, fields: Partial<JobRecord> = {}): JobRecord {
  return {
    id,
    type: 'work',
    label: `Work ${id}`,
    status: 'queued',
    priority: 'normal',
    rank: NOW,
    payload: { id },
    progress: 0,
    completedSteps: 0,
    attempts: 0,
    maxAttempts: 3,
    runAt: NOW,
    createdAt: NOW,
    updatedAt: NOW,
    history: [{ status: 'queued', at: NOW }],
    ...fields,
  };
}

/**
 * Opens worker stores on fresh databases for the tests of the calling file, and after each test
 * closes them and restores every mock.
 */
export function workerStores(): () => WorkerStore {
  const opened: WorkerStore[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const store of opened.splice(0)) store.close();
  });
  return () => {
    const store = openWorkerStore(freshDbName());
    opened.push(store);
    return store;
  };
}
