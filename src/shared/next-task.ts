/** Callers waiting for the next task, and the channel (made once) whose message wakes them. */
let taskWaiters: (() => void)[] = [];
let taskChannel: MessageChannel | undefined;

/**
 * Resolves in a later task, after every microtask queued before it: `setImmediate` where it
 * exists (Node), else a message to itself (browsers; timers would be clamped). Work that many
 * callers start together (attempts ending, steps finishing) waits for it to share one
 * transaction.
 */
export function nextTask(): Promise<void> {
  const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => unknown };
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(() => resolve()));
  if (!taskChannel) {
    taskChannel = new MessageChannel();
    taskChannel.port1.onmessage = () => {
      const waiters = taskWaiters;
      taskWaiters = [];
      for (const wake of waiters) wake();
    };
  }
  const channel = taskChannel;
  return new Promise((resolve) => {
    taskWaiters.push(resolve);
    if (taskWaiters.length === 1) channel.port2.postMessage(undefined);
  });
}
