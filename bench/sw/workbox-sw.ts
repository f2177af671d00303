/**
 * workbox-background-sync's Queue where its documentation puts it: in a service worker. It
 * cannot run in a dedicated worker: its constructor reads `self.registration` (a service
 * worker global) to decide between the Background Sync API and its fallback.
 *
 * `forceSyncFallback: true` (the documented fallback for browsers without Background Sync)
 * with an `onSync` that does nothing, so no replay starts on its own; the drain is the
 * documented `shiftRequest()` loop with a no-op in place of `fetch()`: the no-op job. Each
 * run uses a queue of its own name, and empties the `workbox-background-sync` store when done.
 */
import { Queue } from 'workbox-background-sync';
import {
  committed,
  payloadOf,
  perSecond,
  quantile,
  requestResult,
  scaled,
  type Figures,
  type ScenarioOptions,
} from '../worker/measure';

interface ServiceWorkerScope {
  addEventListener(type: 'install', listener: () => void): void;
  addEventListener(type: 'activate', listener: (event: { waitUntil(promise: Promise<unknown>): void }) => void): void;
  addEventListener(
    type: 'message',
    listener: (event: MessageEvent<WorkboxRequest> & { waitUntil(promise: Promise<unknown>): void }) => void,
  ): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
}

/** What the bench page sends: run the scenario and answer on the transferred port. */
export interface WorkboxRequest {
  readonly options: ScenarioOptions;
}

const scope = self as unknown as ServiceWorkerScope;
const endpoint = `${location.origin}/bench-endpoint`;

scope.addEventListener('install', () => void scope.skipWaiting());
scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));

function requestOf(index: number): Request {
  return new Request(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payloadOf(index)),
  });
}

/** Empties the queue's store in one transaction (faster than shifting entries out one by one). */
async function clearQueueStore(): Promise<void> {
  const db = await requestResult(indexedDB.open('workbox-background-sync'));
  const tx = db.transaction('requests', 'readwrite');
  tx.objectStore('requests').clear();
  await committed(tx);
  db.close();
}

/** Shifts entries out, running the no-op job on each, until none is left or `deadline` passes. */
async function shiftAll(queue: Queue, deadline = Number.POSITIVE_INFINITY): Promise<number> {
  let count = 0;
  while (performance.now() < deadline && (await queue.shiftRequest())) count += 1;
  return count;
}

async function run(options: ScenarioOptions): Promise<Figures> {
  const { scale, dbPrefix } = options;
  const queue = new Queue(`${dbPrefix}-workbox`, { forceSyncFallback: true, onSync: () => undefined });

  const singles = scaled(500, scale);
  const latencies: number[] = [];
  for (let i = 0; i < singles; i++) {
    const request = requestOf(i);
    const t0 = performance.now();
    await queue.pushRequest({ request });
    latencies.push(performance.now() - t0);
  }
  if ((await queue.size()) !== singles) throw new Error('workbox: the queue did not hold every single push');
  await clearQueueStore();

  const count = scaled(10_000, scale);
  const requests = Array.from({ length: count }, (_, i) => requestOf(i));
  const t0 = performance.now();
  await Promise.all(requests.map((request) => queue.pushRequest({ request })));
  const pushMs = performance.now() - t0;
  const t1 = performance.now();
  const shifted = await shiftAll(queue, t1 + options.maxDrainMs);
  const shiftMs = performance.now() - t1;
  await clearQueueStore();
  // Every job costs one push and one shift: the drain rate combines the two per-job costs
  // (all 10,000 pushed, then shifted until done or the cap).
  const perJobMs = pushMs / count + shiftMs / Math.max(1, shifted);

  return {
    'workbox.enqueueP50': quantile(latencies, 0.5),
    'workbox.enqueueP95': quantile(latencies, 0.95),
    'workbox.bulk': perSecond(count, pushMs),
    'workbox.bulkDone': count,
    'workbox.drain': 1000 / perJobMs,
    'workbox.drainDone': shifted,
  };
}

scope.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (!port) return;
  event.waitUntil(
    run(event.data.options).then(
      (figures) => port.postMessage({ ok: true, figures }),
      (error: unknown) =>
        port.postMessage({
          ok: false,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        }),
    ),
  );
});
