import { describe, expect, it } from 'vitest';
import { tasksBeforeScripts } from '../../bench/lib/long-tasks.mjs';

describe("which long tasks the bench puts down to the browser's navigation", () => {
  it('counts the tasks that ended by the time the document was parsed', () => {
    const longTaskLog = [
      { at: 162, ms: 64, end: 226.4 },
      { at: 230, ms: 51, end: 281 },
      { at: 501, ms: 78, end: 579.4 },
    ];
    expect(tasksBeforeScripts({ longTaskLog, parsedAt: 260.6 })).toBe(1);
    expect(tasksBeforeScripts({ longTaskLog, parsedAt: 281 })).toBe(2);
  });

  it('leaves to the page a task still running when parsing ended, where its scripts may run', () => {
    expect(tasksBeforeScripts({ longTaskLog: [{ at: 200, ms: 80, end: 280 }], parsedAt: 240 })).toBe(0);
  });

  it('counts none without a parse time', () => {
    expect(tasksBeforeScripts({ longTaskLog: [{ at: 10, ms: 60, end: 70 }], parsedAt: 0 })).toBe(0);
    expect(tasksBeforeScripts({ longTaskLog: [], parsedAt: 300 })).toBe(0);
  });
});
