import type { ErrandDb, ResponseRecord } from './db';
import { withStorageErrors } from './storage-errors';

/** Settings and stored responses: small key-value tables the worker alone writes. */
export class SettingsRepository {
  constructor(private readonly db: ErrandDb) {}

  async get(key: string): Promise<unknown> {
    const record = await withStorageErrors(() => this.db.settings.get(key));
    return record?.value;
  }

  async all(): Promise<Map<string, unknown>> {
    const records = await withStorageErrors(() => this.db.settings.toArray());
    return new Map(records.map((record) => [record.key, record.value]));
  }

  /**
   * Stores several settings in one transaction, so either all of them are stored or none is.
   * `merge` builds each stored value from the new one and the one stored before, read in the
   * same transaction. Resolves with the stored values, in the order given.
   */
  putMany(
    entries: readonly (readonly [string, unknown])[],
    merge: (value: unknown, stored: unknown) => unknown,
  ): Promise<unknown[]> {
    return withStorageErrors(() =>
      this.db.transaction('rw', this.db.settings, async () => {
        const before = await this.db.settings.bulkGet(entries.map(([key]) => key));
        const records = entries.map(([key, value], index) => ({ key, value: merge(value, before[index]?.value) }));
        await this.db.settings.bulkPut(records);
        return records.map((record) => record.value);
      }),
    );
  }
}

/** Every AI answer, keyed by its request's fingerprint. */
export class ResponseStore {
  constructor(private readonly db: ErrandDb) {}

  get(fingerprint: string): Promise<ResponseRecord | undefined> {
    return withStorageErrors(() => this.db.responses.get(fingerprint));
  }

  getMany(fingerprints: readonly string[]): Promise<(ResponseRecord | undefined)[]> {
    return withStorageErrors(() => this.db.responses.bulkGet([...fingerprints]));
  }

  /** Stores answers as soon as they arrive, before any job completes with them. */
  putMany(records: readonly ResponseRecord[]): Promise<void> {
    return withStorageErrors(async () => {
      await this.db.responses.bulkPut([...records]);
    });
  }

  count(): Promise<number> {
    return withStorageErrors(() => this.db.responses.count());
  }
}
