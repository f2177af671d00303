/** Hears an element whose size changed; reading its size here costs no layout. */
export type SizeListener = (node: HTMLElement) => void;

/**
 * A Svelte action that calls `listener` with the element each time its size changes, the first
 * time once the browser has laid it out. `bind:clientWidth`, or reading `clientHeight` in an
 * effect, asks for the size as soon as the element is mounted, which makes the browser lay out
 * the whole page in the middle of drawing it: 41 ms of the Console's first task on a slow
 * device. A `ResizeObserver` callback runs after the browser's own layout, and before the frame
 * is painted, so a size read there costs nothing and a change it makes is painted at once.
 */
export function observeSize(
  node: HTMLElement,
  listener: SizeListener,
): { update(next: SizeListener): void; destroy(): void } {
  let current = listener;
  const observer = new ResizeObserver(() => current(node));
  observer.observe(node);
  return {
    update(next) {
      current = next;
    },
    destroy() {
      observer.disconnect();
    },
  };
}
