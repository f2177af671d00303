import { connectErrand, type ErrandClient } from '../client';

/** The Console's queue. */
export const CONSOLE_DB_NAME = 'errand-console';

/** Starts the worker (one per tab; the runner lock makes one of them run jobs) and connects to it. */
export function startErrand(): ErrandClient {
  const worker = new Worker(new URL('../worker/main.ts', import.meta.url), {
    type: 'module',
    name: `errand:${CONSOLE_DB_NAME}`,
  });
  return connectErrand({ worker, dbName: CONSOLE_DB_NAME });
}
