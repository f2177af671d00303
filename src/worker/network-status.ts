/** Whether the network is reachable, and a way to hear when that changes. */
export interface NetworkStatus {
  isOnline(): boolean;
  /** Calls `listener` on every change; returns the unsubscribe. */
  subscribe(listener: (online: boolean) => void): () => void;
}

interface OnlineTarget {
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

/** How often `navigator.onLine` is read again, for changes no event reported. */
const ONLINE_POLL_MS = 1000;

/**
 * `navigator.onLine` and the `online`/`offline` events of the global scope (window or worker).
 * A dedicated worker is not always sent those events when the network comes back (seen in
 * Chromium 156 with DevTools network emulation, 2026-11), so the flag is also polled and a
 * change is reported once, however it was noticed.
 *
 * A read by `isOnline()` counts as noticing too. A job is sent to wait for the network only
 * after such a read said offline; a blip shorter than the poll, seen by that read alone, must
 * still be followed by an `online` report, or the job would wait for one that never comes.
 */
export function browserNetworkStatus(pollMs = ONLINE_POLL_MS): NetworkStatus {
  const scope = globalThis as unknown as Partial<OnlineTarget> & { navigator?: { onLine?: boolean } };
  const read = () => scope.navigator?.onLine ?? true;
  const listeners = new Set<(online: boolean) => void>();
  let last = read();
  const notice = (online: boolean): boolean => {
    if (online !== last) {
      last = online;
      // Told in a microtask: `isOnline()` is read in the middle of a runner's round.
      for (const listener of listeners) queueMicrotask(() => listeners.has(listener) && listener(online));
    }
    return online;
  };
  return {
    isOnline: () => notice(read()),
    subscribe(listener) {
      listeners.add(listener);
      const online = () => notice(true);
      const offline = () => notice(false);
      scope.addEventListener?.('online', online);
      scope.addEventListener?.('offline', offline);
      const timer = setInterval(() => notice(read()), pollMs);
      return () => {
        listeners.delete(listener);
        clearInterval(timer);
        scope.removeEventListener?.('online', online);
        scope.removeEventListener?.('offline', offline);
      };
    },
  };
}
