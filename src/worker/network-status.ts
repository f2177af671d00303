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
 */
export function browserNetworkStatus(pollMs = ONLINE_POLL_MS): NetworkStatus {
  const scope = globalThis as unknown as Partial<OnlineTarget> & { navigator?: { onLine?: boolean } };
  const isOnline = () => scope.navigator?.onLine ?? true;
  return {
    isOnline,
    subscribe(listener) {
      let last = isOnline();
      const report = (online: boolean) => {
        if (online === last) return;
        last = online;
        listener(online);
      };
      const online = () => report(true);
      const offline = () => report(false);
      scope.addEventListener?.('online', online);
      scope.addEventListener?.('offline', offline);
      const timer = setInterval(() => report(isOnline()), pollMs);
      return () => {
        clearInterval(timer);
        scope.removeEventListener?.('online', online);
        scope.removeEventListener?.('offline', offline);
      };
    },
  };
}
