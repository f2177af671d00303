/** A page's long task: when it began and how long it took (ms from navigation), and when it ended. */
export interface LongTask {
  at: number;
  ms: number;
  end: number;
}

/** The long tasks that ended before the page had parsed its document (none without a parse time). */
export function tasksBeforeScripts(state: { longTaskLog: readonly LongTask[]; parsedAt: number }): number;
