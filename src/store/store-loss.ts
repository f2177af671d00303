import type { Dexie } from 'dexie';
import type { StoreLoss } from '../shared';

/**
 * Calls `listener` once when the connection ends for one of the reasons a `StoreLoss` names,
 * after closing the connection for good: an upgrade or a deletion waits for every open
 * connection to close, and a connection the browser closed must not reopen on its own, which
 * would create a new, empty database under the old one's name while the context still holds
 * leases and state that belonged to the old one.
 *
 * Returns a function that stops listening.
 */
export function watchStoreLoss(db: Dexie, listener: (loss: StoreLoss) => void): () => void {
  let told = false;
  let stopped = false;
  const lose = (loss: StoreLoss) => {
    if (told || stopped) return;
    told = true;
    db.close();
    listener(loss);
  };

  const onVersionChange = (event: IDBVersionChangeEvent) => {
    lose(event.newVersion === null ? 'deleted' : 'upgraded');
    return false;
  };
  db.on('versionchange', onVersionChange);

  // The IndexedDB `close` event fires only when the browser closed the connection, never on
  // `close()`. Dexie's own handler for it lets the connection reopen at its next use, so this
  // one runs after it, whatever order the listeners would run in, and closes it for good.
  type CloseHandler = IDBDatabase['onclose'];
  let attached: { idb: IDBDatabase; handler: CloseHandler; dexieHandler: CloseHandler } | undefined;
  const detach = () => {
    if (attached && attached.idb.onclose === attached.handler) attached.idb.onclose = attached.dexieHandler;
    attached = undefined;
  };
  const attach = () => {
    if (stopped || !db.isOpen()) return;
    const idb = db.backendDB();
    if (attached?.idb === idb) return;
    detach();
    const dexieHandler = idb.onclose;
    const handler = function (this: IDBDatabase, event: Event) {
      dexieHandler?.call(this, event);
      lose('closed');
    };
    idb.onclose = handler;
    attached = { idb, handler, dexieHandler };
  };
  db.on('ready', attach, true);
  attach();

  return () => {
    stopped = true;
    db.on('versionchange').unsubscribe(onVersionChange);
    db.on('ready').unsubscribe(attach);
    detach();
  };
}
