/** What a toast is about: a job that completed, one that failed, or news about the app. */
export type ToastKind = 'success' | 'error' | 'info';

export interface ToastAction {
  readonly label: string;
  readonly run: () => void;
}

export interface ToastInput {
  readonly kind: ToastKind;
  readonly title: string;
  readonly body?: string;
  /** A link shown as "View". */
  readonly href?: string;
  readonly action?: ToastAction;
  /** Milliseconds before it goes by itself; 0 keeps it until dismissed. @default 6000, errors 10000 */
  readonly timeoutMs?: number;
}

export interface Toast extends ToastInput {
  readonly id: number;
}

interface ToastTimer {
  left: number;
  started: number;
  handle?: ReturnType<typeof setTimeout>;
}

/** How many toasts are on screen at most; the oldest goes first. */
const MAX_TOASTS = 4;

/** The toasts on screen. Timers stop while the pointer or focus is on the region. */
export class ToastsState {
  items: readonly Toast[] = $state.raw([]);
  #nextId = 1;
  #held = false;
  /** Time left per toast id, not reactive: only the list is shown. */
  #timers: Record<number, ToastTimer> = {};

  /** Shows a toast; returns its id. */
  push(input: ToastInput): number {
    const id = this.#nextId++;
    this.items = [...this.items, { ...input, id }].slice(-MAX_TOASTS);
    for (const timerId of Object.keys(this.#timers).map(Number)) {
      if (!this.items.some((toast) => toast.id === timerId)) this.#clear(timerId);
    }
    this.#time(id, input);
    return id;
  }

  /**
   * Puts `input` in place of toast `id`, where it stood, and starts its time again; false where
   * that toast is gone (timed out or dismissed).
   */
  update(id: number, input: ToastInput): boolean {
    if (!this.items.some((toast) => toast.id === id)) return false;
    this.items = this.items.map((toast) => (toast.id === id ? { ...input, id } : toast));
    this.#clear(id);
    this.#time(id, input);
    return true;
  }

  dismiss(id: number): void {
    this.#clear(id);
    this.items = this.items.filter((toast) => toast.id !== id);
  }

  /** Stops the timers, while someone reads or reaches a toast. */
  hold(): void {
    if (this.#held) return;
    this.#held = true;
    const now = Date.now();
    for (const timer of Object.values(this.#timers)) {
      if (timer.handle !== undefined) clearTimeout(timer.handle);
      delete timer.handle;
      timer.left = Math.max(1_500, timer.left - (now - timer.started));
    }
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    for (const id of Object.keys(this.#timers).map(Number)) this.#arm(id);
  }

  destroy(): void {
    for (const id of Object.keys(this.#timers).map(Number)) this.#clear(id);
  }

  /** Starts toast `id`'s time, unless it stays until dismissed. */
  #time(id: number, input: ToastInput): void {
    const timeout = input.timeoutMs ?? (input.kind === 'error' ? 10_000 : 6_000);
    if (timeout <= 0) return;
    this.#timers[id] = { left: timeout, started: Date.now() };
    if (!this.#held) this.#arm(id);
  }

  #arm(id: number): void {
    const timer = this.#timers[id];
    if (!timer) return;
    timer.started = Date.now();
    timer.handle = setTimeout(() => this.dismiss(id), timer.left);
  }

  #clear(id: number): void {
    const timer = this.#timers[id];
    if (timer?.handle !== undefined) clearTimeout(timer.handle);
    delete this.#timers[id];
  }
}
