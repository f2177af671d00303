import { afterEach, describe, expect, it, vi } from 'vitest';
import { observeSize } from '../../src/ui/lib/observe-size';

/** A ResizeObserver the test fires by hand, as the browser does after its layout. */
class HandResizeObserver {
  static last: HandResizeObserver | undefined;
  observed: unknown[] = [];
  disconnected = false;
  constructor(readonly callback: () => void) {
    HandResizeObserver.last = this;
  }
  observe(node: unknown): void {
    this.observed.push(node);
  }
  disconnect(): void {
    this.disconnected = true;
  }
}

/** An element that counts reads of its size, each of which would make a browser lay out the page. */
function element(width: number) {
  const node = {
    reads: 0,
    get clientWidth() {
      node.reads += 1;
      return width;
    },
  };
  return node;
}

describe('observeSize', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('reads no size when mounted; hears the element after each layout that resized it', () => {
    vi.stubGlobal('ResizeObserver', HandResizeObserver);
    const node = element(640);
    const widths: number[] = [];
    const action = observeSize(node as unknown as HTMLElement, (el) => widths.push(el.clientWidth));
    const observer = HandResizeObserver.last as HandResizeObserver;
    expect(observer.observed).toEqual([node]);
    expect(node.reads).toBe(0);
    expect(widths).toEqual([]);

    observer.callback();
    expect(widths).toEqual([640]);

    const heard: unknown[] = [];
    action.update((el) => heard.push(el));
    observer.callback();
    expect(heard).toEqual([node]);
    expect(widths).toEqual([640]);

    action.destroy();
    expect(observer.disconnected).toBe(true);
  });
});
