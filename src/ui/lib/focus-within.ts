/*
 * Keeping the focus of a control that the page's own update takes away (a command replaced by
 * the next, a row that leaves its list): the page remembers the control while the focus is on
 * it, and places the focus again once the control is gone and the focus fell to the page.
 */

/**
 * Calls `listener` each time the focus moves, or a pointer presses, anywhere in the document:
 * with the element reached, when it is inside `container()`, or undefined when it is not (the
 * person moved on, and the focus is theirs to place). Returns the stop.
 */
export function followFocusWithin(
  container: () => Element | undefined,
  listener: (inside: Element | undefined) => void,
): () => void {
  const follow = (event: Event) => {
    const target = event.target;
    listener(target instanceof Element && container()?.contains(target) ? target : undefined);
  };
  document.addEventListener('focusin', follow, true);
  document.addEventListener('pointerdown', follow, true);
  return () => {
    document.removeEventListener('focusin', follow, true);
    document.removeEventListener('pointerdown', follow, true);
  };
}

/** Whether the focus is on nothing of the page's: its element was removed, or it is on the body. */
export function focusFellToPage(): boolean {
  const focused = document.activeElement;
  return !focused || focused === document.body || !focused.isConnected;
}
