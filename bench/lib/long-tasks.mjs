/**
 * Which of a page's long tasks its own code could have shortened. A page's module scripts run
 * only once its document is parsed (`domInteractive` of its navigation entry), so a task that
 * ended by then ran none of them: it was the browser's own work of the navigation (committing
 * it, creating the page's context, parsing the document).
 */

/**
 * The long tasks that ended before the page had parsed its document. Without a parse time
 * (`parsedAt` 0: no navigation entry), none.
 * @param {{ longTaskLog: { at: number, ms: number, end: number }[], parsedAt: number }} state
 */
export function tasksBeforeScripts(state) {
  return state.longTaskLog.filter((task) => task.end <= state.parsedAt).length;
}
