/** Hears whether a text fits the room it is given. */
export type FitListener = (fits: boolean) => void;

/** Overflow this small clips no more than a glyph's side bearing: it still counts as fitting. */
const FIT_SLACK_PX = 0.5;

/**
 * A Svelte action on a text laid out whole (an `inline-block` that does not wrap) inside a box
 * that clips it, its parent: calls `listener` with whether the whole text fits the box, first
 * once both are laid out, then each time the answer changes as the text or the box changes size.
 * Sizes are read from the `ResizeObserver`'s entries, as in `observeSize`: nothing asks the
 * browser for a layout, and a change the listener makes is painted in the same frame.
 */
export function observeFit(
  text: HTMLElement,
  listener: FitListener,
): { update(next: FitListener): void; destroy(): void } {
  const box = text.parentElement;
  let current = listener;
  let textWidth: number | undefined;
  let boxWidth: number | undefined;
  let told: boolean | undefined;
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const width = entry.borderBoxSize[0]?.inlineSize ?? entry.contentRect.width;
      if (entry.target === text) textWidth = width;
      else boxWidth = width;
    }
    if (textWidth === undefined || boxWidth === undefined) return;
    const fits = textWidth <= boxWidth + FIT_SLACK_PX;
    if (fits === told) return;
    told = fits;
    current(fits);
  });
  observer.observe(text);
  if (box) observer.observe(box);
  return {
    update(next) {
      current = next;
    },
    destroy() {
      observer.disconnect();
    },
  };
}
