import type { ErrandDb } from './db';

/** The `meta` key of the store's identity. */
export const STORE_IDENTITY_KEY = 'storeIdentity';

/**
 * Who this database is: made once, by the first runner to open it, and never changed. A page
 * that remembers the identity outside IndexedDB can tell when the database it finds is a new
 * one: the browser deleted the old one (Chromium deletes a store it finds corrupted when it
 * opens it, seen after a hard kill), and every job stored in it is gone.
 */
export interface StoreIdentity {
  readonly id: string;
  /** When the database was first opened by a runner (epoch ms). */
  readonly createdAt: number;
}

/** Whether a stored `meta` value is a store identity. */
export function isStoreIdentity(value: unknown): value is StoreIdentity {
  if (typeof value !== 'object' || value === null) return false;
  const { id, createdAt } = value as Record<string, unknown>;
  return typeof id === 'string' && id.length > 0 && typeof createdAt === 'number' && Number.isFinite(createdAt);
}

/** The stored identity, if a runner has made one yet. */
export async function readStoreIdentity(db: ErrandDb): Promise<StoreIdentity | undefined> {
  const stored = await db.meta.get(STORE_IDENTITY_KEY);
  return isStoreIdentity(stored?.value) ? stored.value : undefined;
}

/**
 * Inside a read-write transaction on `meta`: stores `fresh` as the identity when the database
 * has none yet (new, or made by a version that kept none); an existing one is never replaced.
 */
export async function ensureStoreIdentity(db: ErrandDb, fresh: StoreIdentity): Promise<void> {
  if (!(await readStoreIdentity(db))) await db.meta.put({ key: STORE_IDENTITY_KEY, value: fresh });
}
