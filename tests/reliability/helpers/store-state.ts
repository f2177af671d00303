import type { Page } from '@playwright/test';
import { CONSOLE_DB, readStore, type StoredJob, type StoredStep } from '../../e2e/fixtures';

/** A job record with the members the reliability checks read. */
export interface JobRow extends StoredJob {
  readonly result?: unknown;
  readonly waitReason?: string;
  readonly error?: { readonly code: string; readonly name: string };
  readonly history: readonly {
    readonly status: string;
    readonly at: number;
    readonly waitReason?: string;
    readonly code?: string;
  }[];
}

export type StepRow = StoredStep;

/** The Console's object stores. */
export const CONSOLE_STORES = ['jobs', 'steps', 'responses', 'logs', 'files', 'schedules', 'settings', 'meta'] as const;

export function readJobs(page: Page): Promise<JobRow[]> {
  return readStore<JobRow>(page, CONSOLE_DB, 'jobs');
}

/**
 * One job's record, read alone: a test that polls one job while many large records are stored
 * must not read them all, or its read transactions hold the runner's writes back.
 */
export async function readJob(page: Page, id: string): Promise<JobRow | undefined> {
  return (await readStore<JobRow>(page, CONSOLE_DB, 'jobs', id))[0];
}

export function readSteps(page: Page): Promise<StepRow[]> {
  return readStore<StepRow>(page, CONSOLE_DB, 'steps');
}

/** The epoch of the runner that took over last (0 before any). */
export async function runnerEpoch(page: Page): Promise<number> {
  const rows = await readStore<{ key: string; value: unknown }>(page, CONSOLE_DB, 'meta');
  const value = rows.find((row) => row.key === 'runnerEpoch')?.value;
  return typeof value === 'number' ? value : 0;
}

/** Every row of every store, as JSON text per store (Blobs read as text). */
export function dumpDatabase(page: Page): Promise<Record<string, string>> {
  return page.evaluate(
    async ({ dbName, stores }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(dbName);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
      const out: Record<string, string> = {};
      const blobText = async (value: unknown): Promise<unknown> => {
        if (value instanceof Blob) return value.text();
        if (Array.isArray(value)) return Promise.all(value.map(blobText));
        if (value !== null && typeof value === 'object') {
          const entries = await Promise.all(
            Object.entries(value).map(async ([k, v]) => [k, await blobText(v)] as const),
          );
          return Object.fromEntries(entries);
        }
        return value;
      };
      for (const name of stores) {
        if (!db.objectStoreNames.contains(name)) continue;
        const rows = await new Promise<unknown[]>((resolve, reject) => {
          const read = db.transaction(name, 'readonly').objectStore(name).getAll();
          read.onsuccess = () => resolve(read.result);
          read.onerror = () => reject(read.error ?? new Error('read failed'));
        });
        out[name] = JSON.stringify(await blobText(rows));
      }
      db.close();
      return out;
    },
    { dbName: CONSOLE_DB, stores: [...CONSOLE_STORES] },
  );
}

/** The text of every Cache Storage entry of the origin. */
export function dumpCaches(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const texts: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        texts.push(`${request.url}\n${response ? await response.text() : ''}`);
      }
    }
    return texts;
  });
}
