/**
 * The bench page: starts the dedicated worker the scenarios run in, and the service worker
 * workbox-background-sync needs. The runner drives it through `window.bench`.
 */
import { wrap, type Remote } from 'comlink';
import type { WorkboxRequest } from '../sw/workbox-sw';
import type { BenchWorkerApi } from '../worker/bench-worker';
import type { Figures, ScenarioOptions } from '../worker/measure';
import { runFromPage } from './from-page';

type Reply = { readonly ok: true; readonly figures: Figures } | { readonly ok: false; readonly error: string };

export interface BenchPage {
  /** Runs one scenario in a new dedicated worker, terminated afterwards. */
  runInWorker(scenario: string, options: ScenarioOptions): Promise<Figures>;
  /** Runs the page scenario: Errand's client on this page, its worker a dedicated one. */
  runFromPage(options: ScenarioOptions): Promise<Figures>;
  /** Runs the workbox scenario in the bench service worker. */
  runWorkbox(options: ScenarioOptions): Promise<Figures>;
  /** Whether the page and a worker are cross-origin isolated (precise timers). */
  isolation(): Promise<{ readonly page: boolean; readonly worker: boolean }>;
}

declare global {
  interface Window {
    bench: BenchPage;
  }
}

function startWorker(): { readonly api: Remote<BenchWorkerApi>; readonly worker: Worker } {
  const worker = new Worker(new URL('../worker/bench-worker.ts', import.meta.url), { type: 'module', name: 'bench' });
  return { api: wrap<BenchWorkerApi>(worker), worker };
}

async function inWorker<T>(fn: (api: Remote<BenchWorkerApi>) => Promise<T>): Promise<T> {
  const { api, worker } = startWorker();
  try {
    return await fn(api);
  } finally {
    worker.terminate();
  }
}

async function activeServiceWorker(): Promise<ServiceWorker> {
  const registration = await navigator.serviceWorker.register('/workbox-sw.js', { type: 'module', scope: '/' });
  await navigator.serviceWorker.ready;
  const active = registration.active;
  if (!active) throw new Error('The bench service worker did not activate');
  return active;
}

window.bench = {
  runInWorker: (scenario, options) => inWorker((api) => api.run(scenario, options)),
  runFromPage,
  async runWorkbox(options) {
    const worker = await activeServiceWorker();
    const channel = new MessageChannel();
    const reply = new Promise<Reply>(
      (resolve) => (channel.port1.onmessage = (event: MessageEvent<Reply>) => resolve(event.data)),
    );
    const request: WorkboxRequest = { options };
    worker.postMessage(request, [channel.port2]);
    const settled = await reply;
    channel.port1.close();
    if (!settled.ok) throw new Error(settled.error);
    return settled.figures;
  },
  isolation: () => inWorker(async (api) => ({ page: crossOriginIsolated, worker: await api.isolated() })),
};

const state = document.getElementById('state');
if (state) state.textContent = 'Ready';
