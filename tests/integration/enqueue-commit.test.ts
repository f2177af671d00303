import { Dexie, type ObservabilitySet } from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import type { JobRecord } from '../../src/shared';
import { openWorkerStore, type CommittedJobs } from '../../src/store';
import { withIndexKeys } from '../../src/store/index-keys';
import { freshDbName } from '../helpers/harness';
import { NOW, queuedRecord, workerStores } from '../helpers/worker-store';

const openStore = workerStores();

function queued(id: string, fingerprint?: string) {
  return queuedRecord(id, fingerprint === undefined ? {} : { fingerprint });
}

/**
 * Watches the jobs added and the commits asked for: at each `commit()`, whether the adds made
 * so far had their answer yet.
 */
function watchAddsAndCommits(): { commits: string[][] } {
  const adds: IDBRequest[] = [];
  const commits: string[][] = [];
  const add = Object.getOwnPropertyDescriptor(IDBObjectStore.prototype, 'add')?.value as IDBObjectStore['add'];
  vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore, value, key) {
    const request = add.call(this, value, key);
    if (this.name === 'jobs') adds.push(request);
    return request;
  });
  const commit = Object.getOwnPropertyDescriptor(IDBTransaction.prototype, 'commit')?.value as IDBTransaction['commit'];
  vi.spyOn(IDBTransaction.prototype, 'commit').mockImplementation(function (this: IDBTransaction) {
    commits.push(adds.splice(0).map((request) => request.readyState));
    commit.call(this);
  });
  return { commits };
}

describe('a single enqueue commits as soon as its write is done', () => {
  it('asks IndexedDB to commit before the answer to its one write comes back, with or without a fingerprint', async () => {
    const opened = openStore();
    await opened.db.open();
    const { commits } = watchAddsAndCommits();

    await opened.jobs.insert([queued('plain')], NOW);
    await opened.jobs.insert([queued('cached', 'fp-1')], NOW);

    // Each insert: one commit asked for while its add was still pending.
    expect(commits.filter((states) => states.length > 0)).toEqual([['pending'], ['pending']]);
    expect((await opened.jobs.get('plain'))?.status).toBe('queued');
    expect((await opened.jobs.get('cached'))?.fingerprint).toBe('fp-1');
  });

  it('a bulk enqueue waits for its writes before it commits: a failure among them leaves none', async () => {
    const opened = openStore();
    await opened.jobs.insert([queued('taken')], NOW);
    const { commits } = watchAddsAndCommits();

    const refused = await opened.jobs.insert([queued('a'), queued('taken'), queued('b')], NOW).catch((e: unknown) => e);

    expect(refused).toBeInstanceOf(Error);
    expect(commits.flat()).not.toContain('pending');
    expect((await opened.db.jobs.toArray()).map((job) => job.id)).toEqual(['taken']);
  });

  it('a single enqueue whose write fails leaves nothing, and the job already stored stays whole', async () => {
    const opened = openStore();
    await opened.jobs.insert([queued('taken')], NOW);
    const before = await opened.db.jobs.get('taken');

    const refused = await opened.jobs
      .insert([{ ...queued('taken'), label: 'Another' }], NOW + 1)
      .catch((e: unknown) => e);

    expect(refused).toBeInstanceOf(Error);
    expect(await opened.db.jobs.toArray()).toEqual([before]);
  });

  it('a single enqueue whose transaction aborts before its write is answered fails at once and leaves nothing', async () => {
    const opened = openStore();
    await opened.db.open();
    // Chromium, at the quota, can abort a transaction asked to commit while it waited for an
    // earlier one, and answer none of the requests it had not run: here, a write that is never
    // answered and a commit that aborts.
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore) {
      return new EventTarget() as IDBRequest<IDBValidKey>;
    });
    vi.spyOn(IDBTransaction.prototype, 'commit').mockImplementation(function (this: IDBTransaction) {
      this.abort();
    });

    const refused = await opened.jobs.insert([queued('unanswered')], NOW).catch((e: unknown) => e);

    expect(refused).toMatchObject({ code: 'storage' });
    vi.restoreAllMocks();
    expect(await opened.db.jobs.toArray()).toEqual([]);
  });
});

describe('a single enqueue with nothing to read first is written straight to IndexedDB', () => {
  it('announces its job once, after it has committed, as stored and without index keys', async () => {
    const announced: CommittedJobs[] = [];
    const seenStored: Promise<JobRecord | undefined>[] = [];
    const opened = openWorkerStore(freshDbName(), (committed) => {
      announced.push(committed);
      // Read at the announcement: the job is there for any reader.
      seenStored.push(opened.jobs.get('plain'));
    });
    try {
      await opened.db.open();
      const served = await opened.jobs.insert([queued('plain')], NOW);

      expect(served).toEqual([queued('plain')]);
      expect(announced).toEqual([{ changed: [queued('plain')], removed: [] }]);
      expect(await Promise.all(seenStored)).toEqual([queued('plain')]);
      // Stored with its queue key, which only the index reads.
      expect(await opened.db.jobs.get('plain')).toMatchObject({ queueKey: ['work', expect.any(Number), NOW, NOW] });
    } finally {
      opened.close();
    }
  });

  it("tells Dexie's watchers in this and other contexts what it wrote, as Dexie's own add of the record does", async () => {
    const fast = openStore();
    const reference = openStore();
    await Promise.all([fast.db.open(), reference.db.open()]);
    const told: ObservabilitySet[] = [];
    const listen = (parts: ObservabilitySet) => told.push(parts);
    Dexie.on('storagemutated', listen);
    try {
      // A queued job (in the queue's index) and one waiting for its time (in the wake-up index).
      const records = [
        queued('watched'),
        queuedRecord('later', { status: 'waiting', waitReason: 'scheduled', runAt: NOW + 60_000 }),
      ];
      for (const record of records) {
        await fast.jobs.insert([record], NOW);
        await reference.db.transaction('rw', reference.db.jobs, () => reference.db.jobs.add(withIndexKeys(record)));
      }
    } finally {
      Dexie.on.storagemutated.unsubscribe(listen);
    }
    // Each database's parts, named without the database.
    const of = (name: string) =>
      told
        .filter((parts) => Object.keys(parts).some((part) => part.startsWith(`idb://${name}/`)))
        .map((parts) =>
          Object.fromEntries(
            // Dexie tells plain copies of its key sets.
            Object.entries(parts).map(([part, set]) => [part.replace(name, 'db'), JSON.parse(JSON.stringify(set))]),
          ),
        );

    expect(of(reference.db.name)).toHaveLength(2);
    expect(of(fast.db.name)).toEqual(of(reference.db.name));
  });

  it('refuses a payload IndexedDB cannot clone with data-clone, stores nothing and announces nothing', async () => {
    const announced: CommittedJobs[] = [];
    const opened = openWorkerStore(freshDbName(), (committed) => announced.push(committed));
    try {
      await opened.db.open();
      const refused = await opened.jobs
        .insert([{ ...queued('unclonable'), payload: { run: () => 1 } }], NOW)
        .catch((e: unknown) => e);

      expect(refused).toMatchObject({ code: 'data-clone' });
      expect(await opened.db.jobs.toArray()).toEqual([]);
      expect(announced).toEqual([]);
      // The store goes on.
      await opened.jobs.insert([queued('next')], NOW);
      expect(announced.map((committed) => committed.changed.map((job) => job.id))).toEqual([['next']]);
    } finally {
      opened.close();
    }
  });

  it('refuses with version once the browser has closed the connection under the store', async () => {
    const opened = openStore();
    await opened.db.open();
    opened.db.backendDB().close();

    const refused = await opened.jobs.insert([queued('after-close')], NOW).catch((e: unknown) => e);

    expect(refused).toMatchObject({ code: 'version' });
  });

  it('inside a transaction of its caller that holds the jobs, is written in it, not in one that would wait for it', async () => {
    const opened = openStore();
    await opened.db.open();

    // A transaction of its own would wait for the caller's to end, and the caller for the insert.
    const served = await opened.db.transaction('rw', opened.db.jobs, async () => {
      const [job] = await opened.jobs.insert([queued('inner')], NOW);
      return job;
    });

    expect(served?.id).toBe('inner');
    expect((await opened.db.jobs.toArray()).map((job) => job.id)).toEqual(['inner']);
  });
});
