/**
 * A Chromium trace of one page load, read for its long tasks: how much of each task's wall time
 * the page's main thread spent on the CPU, what it did, and which other threads of the browser
 * were busy meanwhile. A task over 50 ms on a 2-core machine can be mostly time the main thread
 * waited for a core; the Long Tasks API cannot tell the two apart, the trace's thread time can.
 */

const CATEGORIES = [
  'toplevel',
  'blink',
  'blink.user_timing',
  'loading',
  'v8',
  'v8.execute',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
];

/** Phases of a task worth naming in the breakdown: what the browser or the page's code did. */
const PHASES = new Set([
  'DocumentLoader::CommitNavigation',
  'HTMLDocumentParser::append',
  'LocalWindowProxy::CreateContext',
  'ContextCreatedNotification',
  'V8.DeserializeContext',
  'V8.CompileCode',
  'v8.compile',
  'EvaluateScript',
  'v8.evaluateModule',
  'FunctionCall',
  'RunMicrotasks',
  'UpdateLayoutTree',
  'Layout',
  'LocalFrameView::layout',
  'Paint',
  'MinorGC',
  'MajorGC',
  'ParseHTML',
  'TimerFire',
  'FireAnimationFrame',
]);

/**
 * Starts tracing on a page's DevTools session; the returned function ends it and resolves to
 * the trace's events.
 * @param {import('playwright-core').CDPSession} cdp
 */
export async function startTrace(cdp) {
  const events = [];
  const collect = (message) => events.push(...message.value);
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: CATEGORIES },
  });
  return async () => {
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', collect);
    return events;
  };
}

const ms = (us) => Math.round(us / 100) / 10;

/**
 * The tasks over `overMs` of wall time on the main thread of the renderer that loaded `url`,
 * each with its thread time (`cpuMs`), its named phases, and the busiest other threads in its
 * window. `at` counts from that load's navigationStart, as the Long Tasks API's startTime does.
 * @param {any[]} events
 * @param {string} url
 */
export function longTasksOfLoad(events, url, overMs = 50) {
  const start = events.find(
    (e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith(url.replace(/#.*$/, '')),
  );
  if (!start) return [];
  const threadName = new Map();
  const processName = new Map();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args.name);
    if (e.name === 'process_name') processName.set(e.pid, e.args.name);
  }
  const main = `${start.pid}:${start.tid}`;
  const complete = events.filter((e) => e.ph === 'X' && typeof e.dur === 'number');
  const onMain = complete.filter((e) => `${e.pid}:${e.tid}` === main);
  // Top-level tasks: the scheduler's RunTask events, not nested in another.
  const tasks = [];
  let topEnd = -Infinity;
  for (const e of onMain
    .filter((e) => e.name === 'RunTask' && e.ts >= start.ts)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur)) {
    if (e.ts < topEnd) continue;
    tasks.push(e);
    topEnd = e.ts + e.dur;
  }
  return tasks
    .filter((task) => task.dur > overMs * 1000)
    .map((task) => {
      const end = task.ts + task.dur;
      const phases = new Map();
      for (const e of onMain) {
        if (e.ts < task.ts || e.ts + e.dur > end || !PHASES.has(e.name)) continue;
        const phase = phases.get(e.name) ?? { wallUs: 0, cpuUs: 0, count: 0 };
        phase.wallUs += e.dur;
        phase.cpuUs += e.tdur ?? 0;
        phase.count++;
        phases.set(e.name, phase);
      }
      const busy = new Map();
      for (const e of complete) {
        if (e.name !== 'RunTask' || `${e.pid}:${e.tid}` === main) continue;
        const from = Math.max(task.ts, e.ts);
        const to = Math.min(end, e.ts + e.dur);
        if (to <= from) continue;
        const thread = `${processName.get(e.pid) ?? e.pid} ${threadName.get(`${e.pid}:${e.tid}`) ?? e.tid}`;
        busy.set(thread, (busy.get(thread) ?? 0) + ((e.tdur ?? 0) * (to - from)) / e.dur);
      }
      return {
        at: ms(task.ts - start.ts),
        ms: ms(task.dur),
        cpuMs: ms(task.tdur ?? 0),
        phases: [...phases]
          .map(([name, p]) => ({ name, wallMs: ms(p.wallUs), cpuMs: ms(p.cpuUs), count: p.count }))
          .sort((a, b) => b.wallMs - a.wallMs),
        otherThreads: [...busy]
          .map(([thread, cpu]) => ({ thread, cpuMs: ms(cpu) }))
          .sort((a, b) => b.cpuMs - a.cpuMs)
          .slice(0, 4),
      };
    });
}
