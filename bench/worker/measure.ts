/** Figures of one run of one scenario: metric id → value. */
export type Figures = Record<string, number>;

/** Options every scenario receives from the runner. */
export interface ScenarioOptions {
  /** 1 for a measured run; below 1 for the warm-up, which runs a smaller version. */
  readonly scale: number;
  /** Unique per run, so each run starts from an empty database. */
  readonly dbPrefix: string;
  /**
   * A drain of 10,000 jobs stops waiting after this long; its rate is then the jobs completed
   * by that time over that time, and the figures say how many completed.
   */
  readonly maxDrainMs: number;
}

/** Resolves with true when `promise` settles first, false when `ms` pass first. */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A ~500-byte payload, different per index so no two records compress or dedupe alike. */
export function payloadOf(index: number): { readonly index: number; readonly text: string } {
  const seed = `job ${index} `;
  return { index, text: seed.padEnd(480, 'abcdefghijklmnopqrstuvwxyz0123456789') };
}

/** The value at quantile `q` (0..1) of already collected samples, nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Runs `op` and adds the milliseconds it took to `into`. */
export async function timeInto(into: number[], op: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  await op();
  into.push(performance.now() - t0);
}

/** Items per second. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : Number.NaN;
}

/** Scales a count for the warm-up, keeping at least `floor`. */
export function scaled(count: number, scale: number, floor = 10): number {
  return Math.max(floor, Math.round(count * scale));
}

/** Deletes a database, resolving even when another connection still holds it open. */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
}

/** Resolves with the request's result, or rejects with its error. */
export function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves when the transaction has committed. */
export function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** Tells the runner which step a scenario is on (it prints these lines as progress). */
export function step(message: string): void {
  console.info(`[bench-step] ${message}`);
}

/** Runs `fn` as one named step. */
export async function timedStep<T>(name: string, fn: () => Promise<T>): Promise<T> {
  step(`${name}…`);
  const t0 = performance.now();
  const value = await fn();
  step(`${name}: ${Math.round(performance.now() - t0)} ms`);
  return value;
}
