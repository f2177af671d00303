/** Space kept between a focused control and the toasts above which it is scrolled (px). */
const GAP = 8;

/**
 * A Svelte action for the toasts' region: the control the keyboard focuses is kept clear of the
 * toasts, which cover the bottom of the window for a few seconds each (WCAG 2.4.11). When the
 * focus lands under a toast, or a toast comes over the focused control, the page scrolls up by
 * the overlap. Chromium's own scroll on focus leaves a control where it is once any of it is in
 * the window, whatever its `scroll-margin`, so the overlap is measured here instead.
 *
 * Where the page ends too soon to scroll that far, `--toasts-room` on the document is set to the
 * height missing, for the page to add to the room at its foot; it goes back to 0 when the focus
 * leaves that control. Growing the foot for every toast would shorten the page each time one
 * goes, and make what is in view at its end jump.
 */
export function keepFocusClear(section: HTMLElement): { destroy(): void } {
  const root = document.documentElement;
  let roomFor: Element | undefined;
  let frame = 0;

  const setRoom = (px: number, control?: Element) => {
    roomFor = px > 0 ? control : undefined;
    root.style.setProperty('--toasts-room', `${Math.ceil(px)}px`);
  };

  const check = () => {
    frame = 0;
    const focused = document.activeElement;
    if (!(focused instanceof HTMLElement) || section.contains(focused) || !focused.matches(':focus-visible')) return;
    const box = focused.getBoundingClientRect();
    if (box.height === 0) return;
    // Where each toast rests: a toast sliding in is drawn lower than it will stay, so its place
    // is read from layout (offsets ignore the slide's transform), not from where it is drawn.
    const area = section.getBoundingClientRect();
    let coverTop = Infinity;
    for (const toast of section.querySelectorAll<HTMLElement>('.toast')) {
      if (toast.offsetHeight === 0 || toast.offsetParent !== section) continue;
      const top = area.top + toast.offsetTop;
      const left = area.left + toast.offsetLeft;
      const overlaps =
        left < box.right &&
        left + toast.offsetWidth > box.left &&
        top < box.bottom &&
        top + toast.offsetHeight > box.top;
      if (overlaps) coverTop = Math.min(coverTop, top);
    }
    if (coverTop === Infinity) return;
    const needed = box.bottom + GAP - coverTop;
    // A control too tall to fit between the toasts and what covers the top of the window (a
    // sticky header, kept clear by the control's `scroll-margin-top`) stays in place.
    if (box.top - needed < (Number.parseFloat(getComputedStyle(focused).scrollMarginTop) || 0)) return;
    const scroller = document.scrollingElement ?? root;
    const canScroll = scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop;
    if (canScroll < needed) setRoom(needed - canScroll + readRoom(root), focused);
    window.scrollBy({ top: needed, behavior: 'instant' });
  };
  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(check);
  };
  const onFocusOut = (event: FocusEvent) => {
    if (roomFor !== undefined && event.target === roomFor) setRoom(0);
  };

  // After the focus moves, and after the browser's own scroll to it.
  document.addEventListener('focusin', schedule);
  document.addEventListener('focusout', onFocusOut);
  // A toast that comes, grows or goes; the page growing above the focused control (a list read
  // in, a preview shown), which moves the control down under a toast.
  const observer = new ResizeObserver(schedule);
  observer.observe(section);
  observer.observe(document.body);
  return {
    destroy() {
      cancelAnimationFrame(frame);
      observer.disconnect();
      document.removeEventListener('focusin', schedule);
      document.removeEventListener('focusout', onFocusOut);
      setRoom(0);
    },
  };
}

/** The room added now (px). */
function readRoom(root: HTMLElement): number {
  return Number.parseFloat(root.style.getPropertyValue('--toasts-room')) || 0;
}
