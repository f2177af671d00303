import type { ErrandDb, ExitRecord, MetaRecord } from './db';

const EXITS = 'exits';

/**
 * Called by a page as it unloads (`pagehide`, not kept in the back/forward cache): notes that the
 * runtime it hosted, `instance`, ends because the page left, not because it crashed. A runner
 * taking over after it gives back the attempts that end cut short (see `JobRepository.takeOver`);
 * a crash, a killed browser or a worker out of memory leaves no note, and those attempts count.
 *
 * The page writes the note itself, the one write outside the worker: a page that unloads takes
 * its worker down with it, and a message to the worker at `pagehide` did not reach the store in 3
 * of 30 tab closes measured in Chromium, where the page's own write reached it in 90 of 90 reloads,
 * closes and navigations. The write is a raw transaction started and committed at once, in a
 * store no runner transaction holds: there is no later turn of the event loop to wait for, and
 * the same note written to `meta`, which each runner round holds, was lost in 90 of 90.
 * @returns whether the note was handed to the database
 */
export function markPageExit(db: ErrandDb, instance: string, at: number): boolean {
  if (!db.isOpen()) return false;
  try {
    const transaction = db.backendDB().transaction(EXITS, 'readwrite', { durability: 'strict' });
    const record: ExitRecord = { instance, at };
    transaction.objectStore(EXITS).put(record);
    transaction.commit();
    return true;
  } catch {
    // Closed under it, or the store is gone: the attempts it cuts short count, as after a crash.
    return false;
  }
}

/** The `meta` key naming the runtime that holds the current epoch. */
const RUNNER_INSTANCE_KEY = 'runnerInstance';

interface RunnerInstance {
  readonly epoch: number;
  readonly instance: string;
}

function isRunnerInstance(value: unknown): value is RunnerInstance {
  if (typeof value !== 'object' || value === null) return false;
  const { epoch, instance } = value as Record<string, unknown>;
  return typeof epoch === 'number' && typeof instance === 'string';
}

/** What a takeover reads of the page exits: who held the last epoch, and the notes pages left. */
export type ExitsRead = readonly [runner: MetaRecord | undefined, exits: readonly ExitRecord[]];

/**
 * Inside a takeover's transaction on `meta` and `exits`, issued with its other reads: the runner
 * of the last epoch and the exit notes.
 */
export function readExits(db: ErrandDb): Promise<ExitsRead> {
  return Promise.all([db.meta.get(RUNNER_INSTANCE_KEY), db.exits.toArray()]);
}

/**
 * When the runner of `previousEpoch` ended because its page left (its page's exit note is among
 * those read), undefined where it did not.
 */
export function pageExitOf([runner, exits]: ExitsRead, previousEpoch: number): number | undefined {
  const previous = isRunnerInstance(runner?.value) ? runner.value : undefined;
  if (previous === undefined || previous.epoch !== previousEpoch) return undefined;
  return exits.find((exit) => exit.instance === previous.instance)?.at;
}

/**
 * The takeover's writes, issued with its others: every note read is cleared (they were about
 * runners before this one), and `instance` is recorded as the runner of `epoch`, for the next
 * takeover to ask after.
 */
export function writeExits(
  db: ErrandDb,
  [, exits]: ExitsRead,
  epoch: number,
  instance: string | undefined,
): Promise<unknown>[] {
  return [
    ...(exits.length > 0 ? [db.exits.clear()] : []),
    instance === undefined
      ? db.meta.delete(RUNNER_INSTANCE_KEY)
      : db.meta.put({ key: RUNNER_INSTANCE_KEY, value: { epoch, instance } satisfies RunnerInstance }),
  ];
}
