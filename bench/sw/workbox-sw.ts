/**
 * workbox-background-sync's Queue where its documentation puts it: in a service worker. It
 * cannot run in a dedicated worker: its constructor reads `self.registration` (a service
 * worker global) to decide between the Background Sync API and its fallback.
 *
 * `forceSyncFallback: true` (the documented fallback for browsers without Background Sync)
 * with an `onSync` that does nothing, so no replay starts on its own; the drain is the
 * documented `shiftRequest()` loop with a no-op in place of `fetch()`: the no-op job. Each
 * run uses a queue of its own name; every entry pushed is shifted out again before the run
 * ends, so the shared `workbox-background-sync` database is empty between runs.
 */
import { Queue } from 'workbox-background-sync';
import { payloadOf, perSecond, quantile, scaled, type Figures, type ScenarioOptions } from '../worker/measure';

interface ServiceWorkerScope {
  addEventListener(type: 'install', listener: () => void): void;
  addEventListener(type: 'activate', listener: (event: { waitUntil(promise: Promise<unknown>): void }) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkboxRequest> & { waitUntil(promise: Promise<unknown>): void }) => void): void;
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
  return new Request(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payloadOf(index)) });
}

/** Shifts every entry out, running the no-op job on each; returns how many. */
async function shiftAll(queue: Queue): Promise<number> {
  let count = 0;
  while (await queue.shiftRequest()) count += 1;
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
  if ((await shiftAll(queue)) !== singles) throw new Error('workbox: the queue did not hold every single push');

  const count = scaled(10_000, scale);
  const requests = Array.from({ length: count }, (_, i) => requestOf(i));
  const t0 = performance.now();
  await Promise.all(requests.map((request) => queue.pushRequest({ request })));
  const pushed = performance.now() - t0;
  const t1 = performance.now();
  const shifted = await shiftAll(queue);
  const drained = performance.now() - t1;
  if (shifted !== count) throw new Error(`workbox: shifted ${shifted} of ${count} entries`);

  return {
    'workbox.enqueueP50': quantile(latencies, 0.5),
    'workbox.enqueueP95': quantile(latencies, 0.95),
    'workbox.bulk': perSecond(count, pushed),
    'workbox.drain': perSecond(count, pushed + drained),
  };
}

scope.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (!port) return;
  event.waitUntil(
    run(event.data.options).then(
      (figures) => port.postMessage({ ok: true, figures }),
      (error: unknown) => port.postMessage({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
    ),
  );
});
