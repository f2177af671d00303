/**
 * The built Console under load: 100,000 stored jobs (history) while 1,000 demo_steps jobs run,
 * all at once (the Console's limit of jobs running at once is set to 1,000 for the run; each
 * job has 10 steps of 2 s, so all of them run through the whole measurement), measured on the
 * main thread of the page. Every measured run starts from a new database. The measured page is
 * driven over the DevTools protocol alone (see `measureConsole`).
 *
 * - Long tasks: a PerformanceObserver('longtask') installed before the app's scripts, counted
 *   from navigation to the end of the run (load, rendering #/jobs, scrolling, live updates).
 * - Scrolling: requestAnimationFrame counts frames while the job list's viewport is scrolled by
 *   40 px every frame for 4 s.
 * - Pill update: a MutationObserver on the pill bar sees a pill's aria-valuenow or data-state
 *   change (or a pill appear); the job's record is read from IndexedDB right after, and when it
 *   still shows the same percent and status, the sample is the observation time minus the time
 *   that version of the record was committed, as the worker announced it on the change feed
 *   (its `committedAt`; both epoch ms), matched after the run, since an announcement can reach
 *   the page after the pill showed its version. A second figure counts from the record's
 *   `updatedAt`, when the worker made the change: the difference is the time the change waited
 *   in the worker for its transaction.
 */

import { browserCpu, coresBusy, CPU_KINDS } from './cpu.mjs';
import { tasksBeforeScripts } from './long-tasks.mjs';
import { serveStatic } from './server.mjs';

export const UI_JOBS = 100_000;
export const UI_RUNNING = 1_000;
/** Jobs the Console runs at once during the run: all of them. */
export const UI_CONCURRENCY = UI_RUNNING;
/** Jobs queued: as many as run at once. */
export const UI_QUEUED = UI_RUNNING;
/**
 * How long the pills are watched after scrolling, for more samples of their updates. The pills
 * in view move together (their jobs started together), so a run's samples come from about five
 * updates of the bar; its p95 is the slowest of them (`ui.pillLog` in the JSON has each one).
 */
const PILL_WATCH_MS = 10_000;
/** How long each of a demo job's 10 steps lasts. */
export const UI_STEP_MS = 2_000;
/** Steps journaled for the running job whose page is measured: a CSV import of 500,000 rows. */
export const UI_JOB_STEPS = 5_000;
/** How long that page is watched after its journal shows, while its job and the others run. */
const JOB_PAGE_WATCH_MS = 8_000;

/** Runs in the page: writes the history and the queued jobs straight into the Console's store. */
function seedInPage({ history, queued, concurrency, stepMs }) {
  const types = [
    ['demo_steps', 'Demo task (10 steps)'],
    ['csv_categorization', 'Categorize bank statement'],
    ['history_export', 'Export job history'],
  ];
  const statuses = [
    'completed',
    'completed',
    'completed',
    'completed',
    'completed',
    'completed',
    'completed',
    'completed',
    'failed',
    'cancelled',
  ];
  const note = ''.padEnd(440, 'abcdefghijklmnopqrstuvwxyz0123456789');
  const start = Date.now() - history * 1000;
  const historyRecord = (i) => {
    const [type, label] = types[i % types.length];
    const status = statuses[i % statuses.length];
    const createdAt = start + i * 1000;
    const completedAt = createdAt + 800;
    return {
      id: `seed-${String(i).padStart(6, '0')}`,
      type,
      label,
      status,
      priority: 'normal',
      rank: createdAt,
      payload: { steps: 10, stepMs: 80, note },
      progress: status === 'completed' ? 1 : 0.4,
      completedSteps: status === 'completed' ? 10 : 4,
      totalSteps: 10,
      attempts: 1,
      maxAttempts: 3,
      runAt: createdAt,
      createdAt,
      startedAt: createdAt + 10,
      updatedAt: completedAt,
      completedAt,
      ...(status === 'completed' ? { result: { steps: 10 } } : {}),
      ...(status === 'failed'
        ? { error: { name: 'PermanentJobError', code: 'permanent', message: 'Seeded failure', retryable: false } }
        : {}),
      history: [
        { status: 'queued', at: createdAt },
        { status: 'running', at: createdAt + 10 },
        { status, at: completedAt },
      ],
    };
  };
  const now = Date.now();
  const queuedRecord = (i) => {
    const rank = now + i * 0.001;
    return {
      id: `run-${String(i).padStart(5, '0')}`,
      type: 'demo_steps',
      label: 'Demo task (10 steps)',
      status: 'queued',
      priority: 'normal',
      rank,
      payload: { steps: 10, stepMs, note },
      progress: 0,
      completedSteps: 0,
      attempts: 0,
      maxAttempts: 3,
      runAt: now,
      createdAt: now,
      updatedAt: now,
      history: [{ status: 'queued', at: now }],
      // Index key of a queued job (src/store/index-keys.ts): [type, priorityOrder, rank, createdAt].
      queueKey: ['demo_steps', 1, rank, now],
    };
  };
  const open = () =>
    new Promise((resolve, reject) => {
      const request = indexedDB.open('errand-console');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const write = (db, records) =>
    new Promise((resolve, reject) => {
      const tx = db.transaction('jobs', 'readwrite');
      const store = tx.objectStore('jobs');
      for (const record of records) store.put(record);
      tx.oncomplete = () => resolve(undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  return (async () => {
    const db = await open();
    if (!db.objectStoreNames.contains('jobs')) throw new Error('errand-console has no jobs store yet');
    const chunk = 5000;
    for (let first = 0; first < history; first += chunk) {
      await write(
        db,
        Array.from({ length: Math.min(chunk, history - first) }, (_, k) => historyRecord(first + k)),
      );
    }
    await write(
      db,
      Array.from({ length: queued }, (_, i) => queuedRecord(i)),
    );
    if (concurrency !== undefined) {
      await new Promise((resolve, reject) => {
        const tx = db.transaction('settings', 'readwrite');
        tx.objectStore('settings').put({ key: 'limits', value: { concurrency } });
        tx.oncomplete = () => resolve(undefined);
        tx.onerror = () => reject(tx.error);
      });
    }
    db.close();
  })();
}

/**
 * Where the measured page's feed listener is served: a dedicated worker that hears the
 * Console's change feed and keeps when each version of a job (id and updatedAt) was committed.
 * Every listener of a BroadcastChannel deserializes each message for itself; heard on the page's
 * main thread, as before, the bench doubled the main thread's work for the feed (with 1,000
 * jobs running, a few thousand announced changes a second). Served by `serveConsole`.
 */
const FEED_LISTENER_PATH = '/__bench/feed-listener.js';
const FEED_LISTENER = `
const committedAt = new Map();
let channel;
const listen = () => {
  channel = new BroadcastChannel('errand-jobs:errand-console');
  channel.addEventListener('message', (event) => {
    const message = event.data;
    if (message?.kind !== 'jobs') return;
    // The first commit of a version: a later write may leave updatedAt as it was.
    for (const job of message.jobs) {
      const key = job.id + ':' + job.updatedAt;
      if (!committedAt.has(key)) committedAt.set(key, message.committedAt);
    }
  });
};
listen();
addEventListener('message', (event) => {
  // Deaf while the job list scrolls: its deserializing would take CPU from the frames counted.
  if (event.data === 'pause') channel.close();
  else if (event.data === 'resume') listen();
  // Asked with a list of "id:updatedAt" keys: answers when each was committed (null: never heard).
  else postMessage(event.data.map((key) => committedAt.get(key) ?? null));
});
`;

/**
 * Serves the built Console in `dir` for the UI rows, with the bench's feed listener.
 * @param {string} dir
 */
export function serveConsole(dir) {
  return serveStatic(dir, { [FEED_LISTENER_PATH]: FEED_LISTENER });
}

/** Installed before the app's own scripts on every navigation. */
export function installObservers() {
  const state = {
    longTasks: [],
    longTaskLog: [],
    longFrames: [],
    pillSeen: [],
    pillSkipped: 0,
    pillWhileScrolling: 0,
    scrolling: false,
    // The feed listener (see FEED_LISTENER_PATH, which this function, run in the page, cannot
    // read: it is serialized without its module).
    feed: new Worker('/__bench/feed-listener.js'),
  };
  Object.defineProperty(window, '__benchUi', { value: state });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      state.longTasks.push(entry.duration);
      state.longTaskLog.push({
        at: Math.round(entry.startTime),
        ms: Math.round(entry.duration),
        end: Math.round((entry.startTime + entry.duration) * 10) / 10,
      });
    }
  }).observe({ type: 'longtask', buffered: true });
  // What the long tasks were: the frames that held them, with the scripts they ran.
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
    new PerformanceObserver((list) => {
      for (const frame of list.getEntries()) {
        if (frame.duration <= 50) continue;
        state.longFrames.push({
          at: Math.round(frame.startTime),
          ms: Math.round(frame.duration),
          blockingMs: Math.round(frame.blockingDuration),
          renderMs: frame.renderStart > 0 ? Math.round(frame.startTime + frame.duration - frame.renderStart) : 0,
          layoutMs:
            frame.styleAndLayoutStart > 0
              ? Math.round(frame.startTime + frame.duration - frame.styleAndLayoutStart)
              : 0,
          scripts: frame.scripts.map((script) => ({
            invoker: script.invoker,
            source: `${script.sourceURL.split('/').pop()}:${script.sourceFunctionName}@${script.sourceCharPosition}`,
            ms: Math.round(script.duration),
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  }
}

/**
 * In the page: its long tasks and long frames so far, and when its parsing ended
 * (`domInteractive`), before which none of its scripts can have run: the Console's scripts are
 * modules, which run only once the document is parsed.
 */
export function readLongTasks() {
  const { longTaskLog, longFrames } = window.__benchUi;
  const navigation = performance.getEntriesByType('navigation')[0];
  return { longTaskLog: [...longTaskLog], longFrames: [...longFrames], parsedAt: navigation?.domInteractive ?? 0 };
}

/** In the page: watches the pill bar and compares each pill change with its record. */
function watchPills() {
  const state = window.__benchUi;
  const bar = document.querySelector('section[aria-label="Background jobs"]');
  if (!bar) throw new Error('No pill bar');
  let db;
  const opened = new Promise((resolve, reject) => {
    const request = indexedDB.open('errand-console');
    request.onsuccess = () => resolve((db = request.result));
    request.onerror = () => reject(request.error);
  });
  const check = async (pill, seenAt, appeared) => {
    if (state.scrolling) {
      state.pillWhileScrolling += 1;
      return;
    }
    await opened;
    const id = pill.getAttribute('data-job-id');
    const shown = Number(pill.getAttribute('aria-valuenow'));
    const status = pill.getAttribute('data-state');
    if (!id) return;
    const record = await new Promise((resolve) => {
      const request = db.transaction('jobs', 'readonly').objectStore('jobs').get(id);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(undefined);
    });
    const percent = record ? Math.min(100, Math.max(0, Math.round(record.progress * 100))) : -1;
    if (!record || percent !== shown || record.status !== status) {
      state.pillSkipped += 1;
      return;
    }
    // Matched with the feed's announcements after the run: the announcement of the version read
    // here may still be on its way to this page when the pill shows it.
    state.pillSeen.push({ id, status, percent, updatedAt: record.updatedAt, seenAt, appeared });
  };
  new MutationObserver((mutations) => {
    // Date.now, the clock the worker stamps with: performance.timeOrigin differs per context
    // and drifts from it by milliseconds over a run.
    const seenAt = Date.now();
    const pills = new Map();
    for (const mutation of mutations) {
      if (mutation.type === 'attributes') pills.set(mutation.target, pills.get(mutation.target) ?? false);
      for (const node of mutation.addedNodes) {
        if (node instanceof Element)
          for (const pill of node.querySelectorAll('[role="progressbar"]')) pills.set(pill, true);
      }
    }
    for (const [pill, appeared] of pills)
      if (pill instanceof Element && pill.getAttribute('role') === 'progressbar') void check(pill, seenAt, appeared);
  }).observe(bar, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['aria-valuenow', 'data-state'],
  });
}

/** In the page: scrolls the job list for `ms`, counting animation frames. */
function scrollJobList(ms) {
  const viewport = document.querySelector('[aria-label="Jobs"] [role="rowgroup"]');
  if (!viewport) throw new Error('No job list viewport');
  return new Promise((resolve) => {
    let frames = 0;
    let worstGap = 0;
    let last = 0;
    const start = performance.now();
    const step = (now) => {
      if (last > 0) worstGap = Math.max(worstGap, now - last);
      last = now;
      frames += 1;
      viewport.scrollTop += 40;
      if (now - start < ms) requestAnimationFrame(step);
      else resolve({ fps: (frames * 1000) / (now - start), worstGap, scrolledTo: viewport.scrollTop });
    };
    requestAnimationFrame(step);
  });
}

/**
 * Seeds a new Console database: deletes the one there is and the page's memory of it (from a
 * page of the origin that does not open it), opens the app so its worker creates the schema,
 * writes the jobs and the Console's limit of jobs running at once, and closes the page.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} url
 * @param {{ history?: number, queued?: number, concurrency?: number, stepMs?: number }} [load]
 */
export async function seedConsole(context, url, load = {}) {
  const counts = { history: UI_JOBS, queued: UI_QUEUED, stepMs: UI_STEP_MS, concurrency: UI_CONCURRENCY, ...load };
  const page = await context.newPage();
  await page.goto(`${url}manifest.webmanifest`);
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        // The bench replaces the database on purpose: the page is not to report it as lost.
        localStorage.removeItem('errand:store:errand-console');
        const request = indexedDB.deleteDatabase('errand-console');
        request.onsuccess = () => resolve(undefined);
        // A closed page's worker may hold its connection a moment longer: blocked, then success.
        request.onerror = () => reject(request.error);
      }),
  );
  await page.goto(url);
  await page.waitForSelector('section[aria-label="Background jobs"]', { state: 'attached' });
  for (let i = 0; i < 100; i++) {
    const ready = await page.evaluate(async () =>
      (await indexedDB.databases()).some((db) => db.name === 'errand-console'),
    );
    if (ready) break;
    await page.waitForTimeout(100);
  }
  await page.evaluate(seedInPage, counts);
  await page.close();
}

/**
 * One measured run of the Console on a newly seeded database: returns the figures of this run.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} url
 * @param {{ concurrency?: number, stepMs?: number }} [load]
 */
export async function measureConsole(context, url, load = {}) {
  await seedConsole(context, url, load);
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.addInitScript(installObservers);
  // The measured page is driven over the DevTools protocol only: Playwright's selector waits
  // load its injected script into the page, and compiling it was itself a task of about 50 ms
  // on this machine (in 4 of 16 loads of a blank page), which would count as the app's.
  const cdp = await context.newCDPSession(page);
  const run = (fn, arg) => inPage(cdp, fn, arg);
  await page.goto(`${url}#/jobs`);
  await waitInPage(run, '[aria-label="Jobs"] [role="row"][data-job-id]', 60_000, true);
  await waitInPage(run, 'section[aria-label="Background jobs"] [role="progressbar"]', 30_000, false);
  await run(watchPills);
  await page.waitForTimeout(3000);
  // The feed listener is paused while the list scrolls; pill updates seen then are not timed.
  await run(() => {
    window.__benchUi.scrolling = true;
    window.__benchUi.feed.postMessage('pause');
  });
  // The CPU read around the scrolling: the page's 4 s and the protocol's round trips.
  const cpuBefore = await browserCpu();
  const cpuFrom = performance.now();
  const scroll = await run(scrollJobList, 4000);
  const cpuSeconds = (performance.now() - cpuFrom) / 1000;
  const cpuAfter = await browserCpu();
  await run(() => {
    window.__benchUi.feed.postMessage('resume');
    window.__benchUi.scrolling = false;
  });
  await page.waitForTimeout(PILL_WATCH_MS);
  const state = await run(async () => {
    const { longTasks, longTaskLog, longFrames, pillSeen, pillSkipped, pillWhileScrolling, feed } = window.__benchUi;
    const navigation = performance.getEntriesByType('navigation')[0];
    const committedAt = await new Promise((resolve) => {
      feed.onmessage = (event) => resolve(event.data);
      feed.postMessage(pillSeen.map((seen) => `${seen.id}:${seen.updatedAt}`));
    });
    return {
      longTasks: [...longTasks],
      longTaskLog: [...longTaskLog],
      longFrames: [...longFrames],
      parsedAt: navigation?.domInteractive ?? 0,
      // From the commit when the feed announced this version; a version never announced counts
      // from its updatedAt, which is earlier than its commit.
      pillSeen: pillSeen.map((seen, i) => ({ ...seen, committedAt: committedAt[i] ?? undefined })),
      timeOrigin: performance.timeOrigin,
      pillSkipped,
      pillWhileScrolling,
    };
  });
  await page.close();
  const jobPage = await measureJobPage(context, url);
  const pillSamples = state.pillSeen.map((seen) => seen.seenAt - (seen.committedAt ?? seen.updatedAt));
  const stampSamples = state.pillSeen.map((seen) => seen.seenAt - seen.updatedAt);
  const unannounced = state.pillSeen.filter((seen) => seen.committedAt === undefined);
  const sorted = [...pillSamples].sort((a, b) => a - b);
  const p95 = percentile(sorted, 0.95);
  return {
    'ui.longTasks': state.longTasks.length,
    'ui.longTasksBeforeScripts': tasksBeforeScripts(state),
    'ui.worstTask': state.longTasks.length > 0 ? Math.max(...state.longTasks) : 0,
    'ui.fps': scroll.fps,
    'ui.worstFrame': scroll.worstGap,
    ...scrollCpu(coresBusy(cpuBefore, cpuAfter, cpuSeconds)),
    'ui.pillP95': p95,
    'ui.pillStampP95': percentile(
      [...stampSamples].sort((a, b) => a - b),
      0.95,
    ),
    'ui.pillSamples': sorted.length,
    'ui.pillUnannounced': unannounced.length,
    'ui.pillSkipped': state.pillSkipped,
    'ui.pillWhileScrolling': state.pillWhileScrolling,
    // Not in the table: when each long task came (ms after navigation) and the long frames that
    // held them, with their scripts, for reading in the JSON.
    'ui.longTaskLog': state.longTaskLog,
    'ui.longFrames': state.longFrames,
    // The pill updates of versions the feed never announced, timed from their updatedAt.
    'ui.pillUnannouncedLog': unannounced,
    'ui.jobPageLongTasks': jobPage.longTasks.length,
    'ui.jobPageLongTasksBeforeScripts': tasksBeforeScripts(jobPage),
    'ui.jobPageLongTaskLog': jobPage.longTaskLog,
    'ui.jobPageLongFrames': jobPage.longFrames,
    // Every pill sample: when it was seen (ms after navigation), its time from the commit (or
    // from updatedAt, unannounced) and from updatedAt, and what the pill showed.
    'ui.pillLog': state.pillSeen.map((seen) => ({
      at: Math.round(seen.seenAt - state.timeOrigin),
      ms: seen.seenAt - (seen.committedAt ?? seen.updatedAt),
      fromUpdatedMs: seen.seenAt - seen.updatedAt,
      status: seen.status,
      percent: seen.percent,
      appeared: seen.appeared,
    })),
  };
}

/** The figures of where the CPU went while the list scrolled: cores busy in all and by kind. */
function scrollCpu(busy) {
  if (!busy) return {};
  return {
    'ui.scrollCpu': busy.total,
    ...Object.fromEntries(CPU_KINDS.map((kind) => [`ui.scrollCpu.${kind}`, busy[kind]])),
  };
}

/** In the page: gives one running demo job `count` finished steps begun before its own, with outputs. */
function seedSteps(count) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('errand-console');
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(['jobs', 'steps'], 'readwrite');
      const running = IDBKeyRange.bound(['running', -Infinity], ['running', Infinity]);
      const first = tx.objectStore('jobs').index('[status+createdAt]').getKey(running);
      first.onsuccess = () => {
        const jobId = first.result;
        if (jobId === undefined) {
          tx.abort();
          reject(new Error('No running job to journal steps for'));
          return;
        }
        // Each as a CSV batch's step: its name, and 100 categorized rows as its output.
        const csv = ''.padEnd(8_000, '2026-12-01,Coffee,-3.50,Food\r\n');
        const start = Date.now() - count * 1_000;
        for (let i = 0; i < count; i++) {
          tx.objectStore('steps').put({
            jobId,
            name: `Rows ${i * 100 + 1}–${(i + 1) * 100}`,
            status: 'completed',
            runs: 1,
            output: { csv, categorized: 100 },
            startedAt: start + i * 1_000,
            finishedAt: start + i * 1_000 + 200,
          });
        }
        tx.oncomplete = () => {
          db.close();
          resolve(jobId);
        };
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

/**
 * The page of one of the running jobs, with `UI_JOB_STEPS` steps journaled, opened in a new page
 * and watched while its job (and the others) run: its main-thread tasks over 50 ms, from
 * navigation on.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} url
 */
async function measureJobPage(context, url) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${url}manifest.webmanifest`);
  const jobId = await page.evaluate(seedSteps, UI_JOB_STEPS);
  await page.addInitScript(installObservers);
  const cdp = await context.newCDPSession(page);
  const run = (fn, arg) => inPage(cdp, fn, arg);
  await page.goto(`${url}#/jobs/${encodeURIComponent(jobId)}`);
  await waitInPage(run, '[aria-label="Step journal"] [data-step-index]', 30_000, true);
  await page.waitForTimeout(JOB_PAGE_WATCH_MS);
  const state = await run(readLongTasks);
  await page.close();
  return { longTasks: state.longTaskLog.map((task) => task.ms), ...state };
}

/**
 * Runs `fn(arg)` in the page's main world through the DevTools protocol and returns its
 * (awaited) value, as JSON.
 * @param {import('playwright-core').CDPSession} cdp
 * @param {Function} fn
 * @param {unknown} [arg]
 */
export async function inPage(cdp, fn, arg) {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression: `(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`,
    awaitPromise: true,
    returnByValue: true,
  });
  if (exceptionDetails) {
    throw new Error(`In the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  }
  return result.value;
}

/**
 * Waits for an element matching `selector`, looking every 50 ms with `document.querySelector`.
 * @param {(fn: Function, arg?: unknown) => Promise<unknown>} run
 * @param {string} selector
 * @param {number} timeoutMs
 * @param {boolean} required throw when it does not come in time, rather than go on
 */
export async function waitInPage(run, selector, timeoutMs, required) {
  const until = Date.now() + timeoutMs;
  while (!(await run((s) => document.querySelector(s) !== null, selector))) {
    if (Date.now() > until) {
      if (required) throw new Error(`No ${selector} within ${timeoutMs} ms`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The `p` quantile of ascending `sorted` (nearest rank), or NaN when it is empty. */
function percentile(sorted, p) {
  return sorted.length > 0 ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : Number.NaN;
}
