import { Workbox } from 'workbox-window';
import type { ErrandClient } from '../../client';

/** A new version of the app, waiting to take over. */
export interface PendingUpdate {
  /**
   * Applies the update once no job is running (in any tab), then reloads.
   * `onDeferred` is called when it has to wait for running jobs first.
   */
  apply(onDeferred?: () => void): Promise<void>;
}

export interface PwaOptions {
  readonly client: ErrandClient;
  /** The app now works offline (first install). */
  readonly onOfflineReady?: () => void;
  /** A new version is ready; announce it and call `apply` when the user agrees. */
  readonly onUpdateReady: (update: PendingUpdate) => void;
}

/** Resolves once no job is running, according to both the store and the runner. */
export function whenNoJobRunning(client: ErrandClient): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    let checking = false;
    let idleInStore = false;
    const check = async () => {
      if (done || checking || !idleInStore) return;
      checking = true;
      try {
        const status = await client.status();
        if (status.running === 0 && idleInStore && !done) {
          done = true;
          stop();
          resolve();
        }
      } catch {
        // The worker may be restarting; the next change of the active jobs checks again.
      } finally {
        checking = false;
      }
    };
    const stop = client.watchActiveJobs({ limit: 1 }).subscribe(({ jobs }) => {
      idleInStore = !jobs.some((job) => job.status === 'running');
      void check();
    });
  });
}

/**
 * Registers the service worker that precaches the app shell. An update waits (registerType
 * 'prompt') until the user agrees and no job is mid-step, so a run is never cut by a reload.
 */
export function registerPwa(options: PwaOptions): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const base = import.meta.env.BASE_URL;
  const workbox = new Workbox(`${base}sw.js`, { scope: base, type: 'classic' });
  let applying = false;

  /** Offers the update; once the user agrees and no job runs, `take` brings it in. */
  const offer = (take: () => void) =>
    options.onUpdateReady({
      async apply(onDeferred) {
        if (applying) return;
        applying = true;
        const status = await options.client.status().catch(() => undefined);
        if (status === undefined || status.running > 0) onDeferred?.();
        await whenNoJobRunning(options.client);
        take();
      },
    });

  workbox.addEventListener('installed', (event) => {
    // The first install only: a newer version found while the app is open is offered below.
    if (!event.isUpdate && !event.isExternal) options.onOfflineReady?.();
  });
  workbox.addEventListener('controlling', (event) => {
    if (event.isUpdate || applying) window.location.reload();
  });
  workbox.addEventListener('waiting', () => offer(() => workbox.messageSkipWaiting()));
  workbox.addEventListener('activated', (event) => {
    // A newer version that had no tab to wait for: this tab was not served by the old one (it
    // is the visit that installed it), so the new one took over at once, and this tab still
    // runs the old code until it reloads.
    if (event.isExternal && navigator.serviceWorker.controller === null) offer(() => window.location.reload());
  });
  workbox.register().catch(() => undefined);
}
