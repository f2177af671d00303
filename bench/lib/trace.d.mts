import type { CDPSession } from 'playwright-core';

/** A named phase of a long task: its wall and CPU time summed over its occurrences. */
export interface TracePhase {
  name: string;
  wallMs: number;
  cpuMs: number;
  count: number;
}

/** A main-thread task over the threshold, from a trace of one load. */
export interface TracedTask {
  /** Milliseconds from the load's navigationStart. */
  at: number;
  /** Wall time. */
  ms: number;
  /** Time the main thread was on the CPU during the task. */
  cpuMs: number;
  phases: TracePhase[];
  /** The busiest other threads of the browser in the task's window, by CPU time. */
  otherThreads: { thread: string; cpuMs: number }[];
}

/** A Chromium trace event, as the DevTools protocol reports it. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

/** Starts tracing on a page's session; the returned function ends it and resolves to the events. */
export function startTrace(cdp: CDPSession): Promise<() => Promise<TraceEvent[]>>;

/** The main-thread tasks over `overMs` (default 50) of the renderer that loaded `url`. */
export function longTasksOfLoad(events: readonly TraceEvent[], url: string, overMs?: number): TracedTask[];
