import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { noteExitOnPageHide } from '../../src/client/page-exit';
import { ErrandDb } from '../../src/store';

const opened: ErrandDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

async function openDb(): Promise<ErrandDb> {
  const db = new ErrandDb(`page-exit-${Math.random().toString(36).slice(2)}`);
  opened.push(db);
  await db.open();
  return db;
}

function pageHide(persisted: boolean): Event {
  return Object.assign(new Event('pagehide'), { persisted });
}

/** The note's transaction is committed on its own; reading after it shows it. */
async function notes(db: ErrandDb): Promise<unknown[]> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  return db.exits.toArray();
}

describe('noteExitOnPageHide', () => {
  it('notes its runtime when the page unloads, once the runtime is known', async () => {
    const db = await openDb();
    const page = new EventTarget();
    noteExitOnPageHide(db, Promise.resolve('runtime-a'), () => 42, page);
    await Promise.resolve();
    page.dispatchEvent(pageHide(false));
    expect(await notes(db)).toEqual([{ instance: 'runtime-a', at: 42 }]);
  });

  it('notes nothing for a page kept in the back/forward cache, which may come back', async () => {
    const db = await openDb();
    const page = new EventTarget();
    noteExitOnPageHide(db, Promise.resolve('runtime-a'), () => 42, page);
    await Promise.resolve();
    page.dispatchEvent(pageHide(true));
    expect(await notes(db)).toEqual([]);
  });

  it('notes nothing before the runtime is known, where it names none, or after it stopped listening', async () => {
    const db = await openDb();
    const early = new EventTarget();
    noteExitOnPageHide(db, new Promise<string>(() => undefined), () => 1, early);
    early.dispatchEvent(pageHide(false));
    const unnamed = new EventTarget();
    noteExitOnPageHide(db, Promise.resolve(undefined), () => 2, unnamed);
    await Promise.resolve();
    unnamed.dispatchEvent(pageHide(false));
    const stopped = new EventTarget();
    const stop = noteExitOnPageHide(db, Promise.resolve('runtime-c'), () => 3, stopped);
    await Promise.resolve();
    stop();
    stopped.dispatchEvent(pageHide(false));
    expect(await notes(db)).toEqual([]);
  });

  it('outside a page (a worker, Node) listens to nothing', () => {
    const stop = noteExitOnPageHide(new ErrandDb('never-opened'), Promise.resolve('x'));
    expect(stop()).toBeUndefined();
  });
});
