/**
 * A call whose message the worker cannot read must not wait for ever. The page serializes a
 * call's arguments on its own stack and the worker reads them on a smaller one: a value nested a
 * few thousand levels deep posts fine and then fails to deserialize in the worker, which gets a
 * `messageerror` event instead of the call (Chromium: a `message` event whose data is null), and
 * nothing says which call it was, so the call is never answered. Each call is therefore preceded
 * by a small marker message with a sequence number; a worker that cannot read the message after
 * a marker answers with that number, and the page turns the answer into a `DataCloneError` for
 * that call.
 *
 * Both sides wrap the endpoint they hand to Comlink: `markedEndpoint` on the page,
 * `answeringEndpoint` in the worker. Messages without a marker (other senders) are left alone.
 */

/** What the wrappers need of a Worker, a worker scope or a MessagePort. */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  removeEventListener(type: string, listener: (event: MessageEvent) => void): void;
  start?: () => void;
}

const MARK = '__errandCall';
const UNREADABLE = '__errandUnreadable';

function numberAt(data: unknown, key: string): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const value = (data as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}

/** The page's side: marks each call, and answers a call the worker could not read with an error. */
export function markedEndpoint(target: MessageEndpoint): MessageEndpoint {
  let sequence = 0;
  const idBySequence = new Map<number, string>();
  const sequenceById = new Map<string, number>();
  const forget = (id: string) => {
    const at = sequenceById.get(id);
    if (at === undefined) return;
    sequenceById.delete(id);
    idBySequence.delete(at);
  };

  return withMessageFilter(
    target,
    (event, listener) => {
      const unreadable = numberAt(event.data, UNREADABLE);
      if (unreadable === undefined) {
        const id = (event.data as { id?: unknown } | null)?.id;
        if (typeof id === 'string') forget(id);
        listener(event);
        return;
      }
      const id = idBySequence.get(unreadable);
      if (id === undefined) return;
      forget(id);
      // Comlink's form of a thrown error, for the call with this id.
      listener({
        data: {
          id,
          type: 'HANDLER',
          name: 'throw',
          value: {
            isError: true,
            value: {
              name: 'DataCloneError',
              message: 'The worker could not read the call (a value nested too deeply?)',
            },
          },
        },
      } as MessageEvent);
    },
    {
      postMessage(message, transfer) {
        const id = (message as { id?: unknown } | null)?.id;
        if (typeof id !== 'string') {
          target.postMessage(message, transfer);
          return;
        }
        sequence += 1;
        idBySequence.set(sequence, id);
        sequenceById.set(id, sequence);
        target.postMessage({ [MARK]: sequence });
        try {
          target.postMessage(message, transfer);
        } catch (error) {
          forget(id);
          throw unsentError(error);
        }
      },
    },
  );
}

/**
 * A call the page could not post was never sent. The browser throws `DataCloneError` for a value
 * it cannot copy, but a `RangeError` for one nested deeper than the page's stack allows (Chromium
 * and Node alike, from a few thousand levels down): both are a `DataCloneError` to the caller.
 */
function unsentError(error: unknown): unknown {
  if (!(error instanceof Error) || error.name === 'DataCloneError') return error;
  const deep = error instanceof RangeError ? ' (a value nested too deeply to copy)' : '';
  const unsent = new Error(`${error.message}${deep}`, { cause: error });
  unsent.name = 'DataCloneError';
  return unsent;
}

/** The worker's side: keeps markers from Comlink, and answers a marked call it could not read. */
export function answeringEndpoint(target: MessageEndpoint): MessageEndpoint {
  let marked: number | undefined;
  const answer = () => {
    if (marked !== undefined) target.postMessage({ [UNREADABLE]: marked });
    marked = undefined;
  };
  target.addEventListener('message', (event) => {
    // Chromium delivers a message it could not read as a `message` event whose data is null.
    if (event.data === null) answer();
    marked = numberAt(event.data, MARK);
  });
  // Node (and the HTML standard) fire `messageerror` instead.
  target.addEventListener('messageerror', answer);
  // Markers are for this wrapper only: Comlink never sees them.
  return withMessageFilter(target, (event, listener) => {
    if (numberAt(event.data, MARK) === undefined) listener(event);
  });
}

/**
 * `target` with its `message` listeners called through `filter` (which may drop, pass or
 * replace each event), and `postMessage` replaced where `overrides` says.
 */
function withMessageFilter(
  target: MessageEndpoint,
  filter: (event: MessageEvent, listener: (event: MessageEvent) => void) => void,
  overrides: Pick<MessageEndpoint, 'postMessage'> = {
    postMessage: (message, transfer) => target.postMessage(message, transfer),
  },
): MessageEndpoint {
  const wrapped = new Map<(event: MessageEvent) => void, (event: MessageEvent) => void>();
  return {
    postMessage: overrides.postMessage,
    addEventListener(type, listener) {
      if (type !== 'message') {
        target.addEventListener(type, listener);
        return;
      }
      const onMessage = (event: MessageEvent) => filter(event, listener);
      wrapped.set(listener, onMessage);
      target.addEventListener('message', onMessage);
    },
    removeEventListener(type, listener) {
      const onMessage = type === 'message' ? wrapped.get(listener) : undefined;
      if (onMessage) wrapped.delete(listener);
      target.removeEventListener(type, onMessage ?? listener);
    },
    ...(target.start ? { start: () => target.start?.() } : {}),
  };
}
