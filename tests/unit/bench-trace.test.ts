import { describe, expect, it } from 'vitest';
import { longTasksOfLoad, type TraceEvent } from '../../bench/lib/trace.mjs';

const URL_OF_APP = 'http://127.0.0.1:4000/';
const PAGE = 20;
const BROWSER = 10;
const NAV = 1_000_000;

const meta = (pid: number, tid: number, name: string): TraceEvent[] => [
  { name: 'thread_name', ph: 'M', pid, tid, ts: 0, args: { name } },
  { name: 'process_name', ph: 'M', pid, tid, ts: 0, args: { name: pid === PAGE ? 'Renderer' : 'Browser' } },
];
const task = (pid: number, tid: number, ts: number, dur: number, tdur: number, name = 'RunTask'): TraceEvent => ({
  name,
  ph: 'X',
  pid,
  tid,
  ts,
  dur,
  tdur,
});
const navigationStart = (pid: number, ts: number, url: string): TraceEvent => ({
  name: 'navigationStart',
  ph: 'R',
  pid,
  tid: pid,
  ts,
  args: { data: { documentLoaderURL: url } },
});

function traceOfLoad(): TraceEvent[] {
  return [
    ...meta(PAGE, PAGE, 'CrRendererMain'),
    ...meta(BROWSER, BROWSER, 'CrBrowserMain'),
    ...meta(BROWSER, 11, 'Chrome_IOThread'),
    // The blank page the load replaced, in another renderer: not the measured thread.
    navigationStart(30, NAV - 500_000, ''),
    task(30, 30, NAV - 400_000, 90_000, 80_000),
    navigationStart(PAGE, NAV, `${URL_OF_APP}#/jobs`),
    // 60 ms of wall time, 17 ms on the CPU; a nested RunTask is not a task of its own.
    task(PAGE, PAGE, NAV + 110_000, 60_000, 17_000),
    task(PAGE, PAGE, NAV + 111_000, 58_000, 16_000),
    task(PAGE, PAGE, NAV + 112_000, 50_000, 13_000, 'DocumentLoader::CommitNavigation'),
    task(PAGE, PAGE, NAV + 130_000, 15_000, 5_000, 'LocalWindowProxy::CreateContext'),
    task(PAGE, PAGE, NAV + 146_000, 1_000, 600, 'HTMLDocumentParser::append'),
    task(PAGE, PAGE, NAV + 147_000, 500, 400, 'SomethingNotAPhase'),
    // A short task, and one of exactly 50 ms: neither is over 50 ms.
    task(PAGE, PAGE, NAV + 200_000, 20_000, 19_000),
    task(PAGE, PAGE, NAV + 300_000, 50_000, 50_000),
    // A long script task later in the load.
    task(PAGE, PAGE, NAV + 1_000_000, 70_000, 65_000),
    task(PAGE, PAGE, NAV + 1_001_000, 60_000, 60_000, 'FunctionCall'),
    // The browser meanwhile: one task inside the first long task, one half in it.
    task(BROWSER, BROWSER, NAV + 115_000, 20_000, 10_000),
    task(BROWSER, BROWSER, NAV + 160_000, 20_000, 8_000),
    task(BROWSER, 11, NAV + 120_000, 5_000, 3_000),
  ];
}

describe('longTasksOfLoad', () => {
  it('finds the tasks over 50 ms of the renderer that loaded the URL, timed from its navigation', () => {
    const tasks = longTasksOfLoad(traceOfLoad(), URL_OF_APP);
    expect(tasks.map(({ at, ms, cpuMs }) => ({ at, ms, cpuMs }))).toEqual([
      { at: 110, ms: 60, cpuMs: 17 },
      { at: 1000, ms: 70, cpuMs: 65 },
    ]);
  });

  it("names a task's phases and the other threads busy in its window", () => {
    const [commit, script] = longTasksOfLoad(traceOfLoad(), URL_OF_APP);
    expect(commit?.phases).toEqual([
      { name: 'DocumentLoader::CommitNavigation', wallMs: 50, cpuMs: 13, count: 1 },
      { name: 'LocalWindowProxy::CreateContext', wallMs: 15, cpuMs: 5, count: 1 },
      { name: 'HTMLDocumentParser::append', wallMs: 1, cpuMs: 0.6, count: 1 },
    ]);
    // The browser's second task lies half in the window: half its CPU time counts.
    expect(commit?.otherThreads).toEqual([
      { thread: 'Browser CrBrowserMain', cpuMs: 14 },
      { thread: 'Browser Chrome_IOThread', cpuMs: 3 },
    ]);
    expect(script?.phases.map((phase) => phase.name)).toEqual(['FunctionCall']);
    expect(script?.otherThreads).toEqual([]);
  });

  it('finds nothing when the URL was not loaded, or with a higher threshold', () => {
    expect(longTasksOfLoad(traceOfLoad(), 'http://127.0.0.1:5000/')).toEqual([]);
    expect(longTasksOfLoad(traceOfLoad(), URL_OF_APP, 65)).toEqual([expect.objectContaining({ at: 1000, ms: 70 })]);
  });
});
