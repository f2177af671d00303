/**
 * Errand as a page feels it: `connectErrand` on the page's main thread, its calls posted to
 * the worker (Comlink, each call marked), the enqueue committed there and the answer posted
 * back. Interleaved with a raw strict put issued from the page itself, sampled in the same
 * moments, so the table shows what the hop between page and worker adds.
 */
import { connectErrand } from '../../src/client';
import { openRaw, rawPut } from '../worker/limit';
import {
  deleteDatabase,
  payloadOf,
  quantile,
  scaled,
  timedStep,
  timeInto,
  type Figures,
  type ScenarioOptions,
} from '../worker/measure';

export async function runFromPage(options: ScenarioOptions): Promise<Figures> {
  const dbName = `${options.dbPrefix}-page`;
  const rawName = `${options.dbPrefix}-page-raw`;
  await deleteDatabase(dbName);
  await deleteDatabase(rawName);
  const worker = new Worker(new URL('../worker/errand-entry.ts', import.meta.url), {
    type: 'module',
    name: `errand:${dbName}`,
  });
  const client = connectErrand({ worker, dbName, markerStorage: null });
  const raw = await openRaw(rawName);
  try {
    // The first answer: the worker has started and opened its database.
    await client.status();
    const count = scaled(500, options.scale);
    const enqueues: number[] = [];
    const puts: number[] = [];
    const enqueueOptions = { delayMs: 3_600_000 };
    await timedStep('page single enqueue', async () => {
      for (let i = 0; i < count; i++) {
        const ops = [
          () => timeInto(enqueues, () => client.enqueue('bench_noop', payloadOf(i), enqueueOptions)),
          () => timeInto(puts, () => rawPut(raw, i, 'strict')),
        ];
        // Each goes first on every other round.
        if (i % 2 === 1) ops.reverse();
        for (const op of ops) await op();
      }
    });
    return {
      'page.enqueueP50': quantile(enqueues, 0.5),
      'page.enqueueP95': quantile(enqueues, 0.95),
      'page.rawPutP50': quantile(puts, 0.5),
      'page.rawPutP95': quantile(puts, 0.95),
    };
  } finally {
    raw.close();
    client.close();
    worker.terminate();
    await deleteDatabase(dbName);
    await deleteDatabase(rawName);
  }
}
