import { getContext, setContext } from 'svelte';
import type { ErrandClient } from '../../client';

const key = Symbol('errand-client');

/** Makes the client available to every component below the caller. */
export function provideClient(client: ErrandClient): void {
  setContext(key, client);
}

/** The client provided by the app root. */
export function useClient(): ErrandClient {
  const client = getContext<ErrandClient | undefined>(key);
  if (!client) throw new Error('useClient() needs provideClient() in an ancestor');
  return client;
}
