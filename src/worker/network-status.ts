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

/** `navigator.onLine` and the `online`/`offline` events of the global scope (window or worker). */
export function browserNetworkStatus(): NetworkStatus {
  const scope = globalThis as unknown as Partial<OnlineTarget> & { navigator?: { onLine?: boolean } };
  return {
    isOnline: () => scope.navigator?.onLine ?? true,
    subscribe(listener) {
      if (!scope.addEventListener || !scope.removeEventListener) return () => undefined;
      const online = () => listener(true);
      const offline = () => listener(false);
      scope.addEventListener('online', online);
      scope.addEventListener('offline', offline);
      return () => {
        scope.removeEventListener?.('online', online);
        scope.removeEventListener?.('offline', offline);
      };
    },
  };
}
