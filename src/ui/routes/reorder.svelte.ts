import type { ErrandClient, JobRecord } from '../../client';
import { placement } from './run-order';

/** A job being dragged to a new place in the run order. */
export interface Drag {
  readonly id: string;
  readonly from: number;
  /** The gap the job would land in: 0 is above the first row. */
  readonly to: number;
}

/** Where a pointer drag asks for rows: the gap under the pointer, and scrolling near the edges. */
export interface DragSurface {
  indexAt(clientY: number): number;
  autoScroll(clientY: number): void;
}

/** The run order being reordered: read and replaced as jobs move, until the store confirms. */
export interface RunOrderItems {
  get(): readonly JobRecord[];
  set(items: readonly JobRecord[]): void;
}

/**
 * Reordering of the queued jobs in run order, by pointer drag or one place at a time from the
 * keyboard: the list changes at once, and the runtime persists the job's new priority and rank.
 */
export class Reorder {
  /** The drag under way, shown as a drop marker; while it lasts, store updates wait. */
  drag: Drag | undefined = $state();
  /** Spoken after a keyboard move. */
  announcement = $state('');

  constructor(
    private readonly items: RunOrderItems,
    private readonly client: Pick<ErrandClient, 'reprioritize'>,
    private readonly enabled: () => boolean,
    private readonly failed: (text: string) => void,
  ) {}

  startDrag(id: string, from: number): void {
    if (this.enabled()) this.drag = { id, from, to: from };
  }

  dragTo(gap: number): void {
    if (this.drag && gap !== this.drag.to) this.drag = { ...this.drag, to: gap };
  }

  cancelDrag(): void {
    this.drag = undefined;
  }

  async drop(): Promise<boolean> {
    const drag = this.drag;
    this.drag = undefined;
    return drag ? this.move(drag.id, drag.from, drag.to) : false;
  }

  /**
   * A drag from a handle: follows the pointer over `surface` until it is released (the job moves)
   * or cancelled (it stays).
   */
  followPointer(id: string, from: number, surface: () => DragSurface | undefined): void {
    this.startDrag(id, from);
    if (!this.drag) return;
    const move = (e: PointerEvent) => {
      const target = surface();
      if (!target) return;
      this.dragTo(target.indexAt(e.clientY));
      target.autoScroll(e.clientY);
    };
    const stop = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
    };
    const up = () => {
      stop();
      void this.drop();
    };
    const cancel = () => {
      stop();
      this.cancelDrag();
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
  }

  /** Keyboard reordering: one place up or down. */
  async step(id: string, index: number, by: -1 | 1): Promise<boolean> {
    const label = this.items.get().find((item) => item.id === id)?.label;
    const moved = await this.move(id, index, by < 0 ? index - 1 : index + 2);
    // Named, so that two moves in a row to the same place still change what is read out.
    const what = label === undefined ? 'the job' : `“${label}”`;
    if (moved) this.announcement = `Moved ${what} to position ${index + by + 1} of ${this.items.get().length}`;
    return moved;
  }

  /** Moves a queued job to gap `to` and persists its new place through the runtime. */
  async move(id: string, from: number, to: number): Promise<boolean> {
    if (!this.enabled()) return false;
    const list = this.items.get();
    if (list[from]?.id !== id || to < 0 || to > list.length) return false;
    const change = placement(list, from, to);
    const moving = list[from];
    if (!change || !moving) return false;
    const reordered = list.filter((_, i) => i !== from);
    reordered.splice(to > from ? to - 1 : to, 0, { ...moving, ...change });
    this.items.set(reordered);
    try {
      await this.client.reprioritize(id, change);
      return true;
    } catch (error) {
      // It stays where the store has it, unless the store has been read again since.
      if (this.items.get() === reordered) this.items.set(list);
      this.failed(`Could not move the job: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }
}
