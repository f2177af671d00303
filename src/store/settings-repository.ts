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

  put(key: string, value: unknown): Promise<void> {
    return withStorageErrors(async () => {
      await this.db.settings.put({ key, value });
    });
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
