import { availableParallelism } from 'node:os';

/**
 * Every figure the bench prints: what it is, its unit, what it is compared with and the
 * target. `ratio` is always value ÷ reference. Targets read the medians of the same run.
 *
 * @typedef {{ median: number, min: number, max: number, runs: number[] }} Summary
 * @typedef {(id: string) => number | undefined} Median
 * @typedef {{
 *   id: string, of?: string, group: string, label: string, unit: string, digits?: number,
 *   ref?: string, refLabel?: string,
 *   target?: { text: string, pass: (value: number, ref: number | undefined, median: Median) => boolean },
 * }} Metric
 */

/** @type {Metric[]} */
export const METRICS = [
  { id: 'limit.put', group: 'limit', label: 'Raw put, 1 per transaction', unit: 'rec/s' },
  { id: 'limit.putP50', group: 'limit', label: 'Raw put latency p50', unit: 'ms', digits: 3 },
  { id: 'limit.putStrict', group: 'limit', label: 'Raw put, 1 per transaction (strict)', unit: 'rec/s' },
  { id: 'limit.putStrictP50', group: 'limit', label: 'Raw put latency p50 (strict)', unit: 'ms', digits: 3 },
  { id: 'limit.putStrictP95', group: 'limit', label: 'Raw put latency p95 (strict)', unit: 'ms', digits: 3 },
  { id: 'limit.bulk', group: 'limit', label: 'Raw bulk add of 10,000, 1 transaction', unit: 'rec/s' },
  { id: 'limit.bulkStrict', group: 'limit', label: 'Raw bulk add of 10,000 (strict)', unit: 'rec/s' },
  { id: 'limit.life1', group: 'limit', label: 'Raw lifecycle (3 puts), 1 job per tx', unit: 'jobs/s' },
  { id: 'limit.life100', group: 'limit', label: 'Raw lifecycle (3 puts), 100 jobs per tx', unit: 'jobs/s' },
  { id: 'limit.life100Strict', group: 'limit', label: 'Raw lifecycle, 100 jobs per tx (strict)', unit: 'jobs/s' },
  {
    id: 'limit.bulkQueueIndexStrict',
    group: 'limit',
    label: 'Raw bulk add of 10,000 job records, one queue index (strict)',
    unit: 'rec/s',
    ref: 'limit.bulkStrict',
    refLabel: 'raw strict bulk add',
  },
  {
    id: 'limit.bulkIndexedStrict',
    group: 'limit',
    label: "Raw bulk add of 10,000 job records, Errand's indexes (strict)",
    unit: 'rec/s',
    ref: 'limit.bulkStrict',
    refLabel: 'raw strict bulk add',
  },
  {
    id: 'limit.bulkJobsStrict',
    group: 'limit',
    label: 'Raw bulk add of 10,000 job records, no index (strict)',
    unit: 'rec/s',
    ref: 'limit.bulkStrict',
    refLabel: 'raw strict bulk add',
  },
  {
    id: 'limit.lifeJobsStrict',
    group: 'limit',
    label: 'Raw lifecycle, 100 job records per tx, no index (strict)',
    unit: 'jobs/s',
    ref: 'limit.life100Strict',
    refLabel: 'raw strict lifecycle 100/tx',
  },
  {
    id: 'limit.bulkUnindexedStrict',
    group: 'limit',
    label: "Raw bulk add of 10,000 job records no index lists, Errand's indexes (strict)",
    unit: 'rec/s',
    ref: 'limit.bulkStrict',
    refLabel: 'raw strict bulk add',
  },
  {
    id: 'limit.lifeUnindexedStrict',
    group: 'limit',
    label: "Raw lifecycle, 100 job records no index lists per tx, Errand's indexes (strict)",
    unit: 'jobs/s',
    ref: 'limit.life100Strict',
    refLabel: 'raw strict lifecycle 100/tx',
  },
  {
    id: 'limit.life100IndexedStrict',
    group: 'limit',
    label: "Raw lifecycle, 100 jobs per tx, Errand's indexes (strict)",
    unit: 'jobs/s',
    ref: 'limit.life100Strict',
    refLabel: 'raw strict lifecycle 100/tx',
  },

  {
    id: 'errand.rawPutP50',
    group: 'errand',
    label: 'Raw strict put p50, interleaved with the enqueues below',
    unit: 'ms',
    digits: 3,
  },
  {
    id: 'errand.rawPutP95',
    group: 'errand',
    label: 'Raw strict put p95, interleaved with the enqueues below',
    unit: 'ms',
    digits: 3,
  },
  {
    id: 'errand.rawJobPutP50',
    group: 'errand',
    label: "Raw strict put of a job record, Errand's indexes, p50, interleaved",
    unit: 'ms',
    digits: 3,
  },
  {
    id: 'errand.rawJobPutP95',
    group: 'errand',
    label: "Raw strict put of a job record, Errand's indexes, p95, interleaved",
    unit: 'ms',
    digits: 3,
  },
  {
    id: 'errand.enqueueP50',
    group: 'errand',
    label: 'Errand single enqueue acknowledged p50',
    unit: 'ms',
    digits: 3,
    ref: 'errand.rawPutP50',
    refLabel: 'raw strict put p50, interleaved',
    target: { text: '≤ 2× raw put', pass: (v, r) => r !== undefined && v <= 2 * r },
  },
  {
    id: 'errand.enqueueVsLimit',
    of: 'errand.enqueueP50',
    group: 'errand',
    label: "  the same, beside the limit group's raw strict put p50",
    unit: 'ms',
    digits: 3,
    ref: 'limit.putStrictP50',
    refLabel: 'raw strict put p50',
  },
  {
    id: 'errand.enqueueVsJobPut',
    of: 'errand.enqueueP50',
    group: 'errand',
    label: "  the same, beside the raw put of a job record with Errand's indexes",
    unit: 'ms',
    digits: 3,
    ref: 'errand.rawJobPutP50',
    refLabel: 'raw strict job put p50, same indexes',
  },
  {
    id: 'errand.enqueueP95',
    group: 'errand',
    label: 'Errand single enqueue acknowledged p95',
    unit: 'ms',
    digits: 3,
    ref: 'errand.rawPutP95',
    refLabel: 'raw strict put p95, interleaved',
  },
  {
    id: 'errand.bulk',
    group: 'errand',
    label: 'Errand bulk enqueue of 10,000 (enqueueMany)',
    unit: 'rec/s',
    ref: 'limit.bulkStrict',
    refLabel: 'raw strict bulk add',
    target: { text: '≥ 0.80× raw bulk', pass: (v, r) => r !== undefined && v >= 0.8 * r },
  },
  {
    id: 'errand.bulkVsIndexed',
    of: 'errand.bulk',
    group: 'errand',
    label: "  the same, beside raw IndexedDB with Errand's indexes",
    unit: 'rec/s',
    ref: 'limit.bulkIndexedStrict',
    refLabel: 'raw strict bulk, same indexes',
  },
  {
    id: 'errand.noop',
    group: 'errand',
    label: 'Errand 10,000 no-op jobs, enqueue→completed (concurrency 100)',
    unit: 'jobs/s',
    ref: 'limit.life100Strict',
    refLabel: 'raw strict lifecycle 100/tx',
    target: { text: '≥ 0.75× limit', pass: (v, r) => r !== undefined && v >= 0.75 * r },
  },
  {
    id: 'errand.noopVsIndexed',
    of: 'errand.noop',
    group: 'errand',
    label: "  the same, beside raw IndexedDB with Errand's indexes",
    unit: 'jobs/s',
    ref: 'limit.life100IndexedStrict',
    refLabel: 'raw strict lifecycle, same indexes',
  },
  {
    id: 'errand.noopDone',
    group: 'errand',
    label: '  no-op jobs completed (of 10,000) within the cap',
    unit: 'jobs',
    digits: 0,
  },
  {
    id: 'errand.noopDefault',
    group: 'errand',
    label: 'Errand 10,000 no-op jobs, default concurrency (3)',
    unit: 'jobs/s',
    ref: 'limit.life100Strict',
    refLabel: 'raw strict lifecycle 100/tx',
  },
  {
    id: 'errand.noopDefaultDone',
    group: 'errand',
    label: '  no-op jobs completed (of 10,000) within the cap',
    unit: 'jobs',
    digits: 0,
  },
  {
    id: 'errand.progress',
    group: 'errand',
    label: 'Errand 10,000 jobs, 10 progress reports each (concurrency 100)',
    unit: 'jobs/s',
    ref: 'limit.life100Strict',
    refLabel: 'raw strict lifecycle 100/tx',
  },
  {
    id: 'errand.progressDone',
    group: 'errand',
    label: '  progress jobs completed (of 10,000) within the cap',
    unit: 'jobs',
    digits: 0,
  },
  {
    id: 'errand.steps',
    group: 'errand',
    label: 'Errand 1,000 jobs × 10 checkpointed steps (concurrency 100)',
    unit: 'steps/s',
  },
  {
    id: 'errand.stepsDone',
    group: 'errand',
    label: '  step jobs completed (of 1,000) within the cap',
    unit: 'jobs',
    digits: 0,
  },
  {
    id: 'errand.firstJob',
    group: 'errand',
    label: 'Errand first job running, 10,000 incomplete stored',
    unit: 'ms',
    digits: 1,
    target: { text: '≤ 250 ms', pass: (v) => v <= 250 },
  },
  { id: 'errand.cacheP50', group: 'errand', label: 'Errand cache-hit enqueue→completed p50', unit: 'ms', digits: 3 },
  {
    id: 'errand.cacheP95',
    group: 'errand',
    label: 'Errand cache-hit enqueue→completed p95',
    unit: 'ms',
    digits: 3,
    ref: 'limit.putStrictP95',
    refLabel: 'raw strict put p95',
    target: { text: '< 5 ms', pass: (v) => v < 5 },
  },
  {
    id: 'errand.batchCalls',
    group: 'errand',
    label: 'Errand 100 batched jobs (window 250 ms, max 10): calls',
    unit: 'calls',
    digits: 0,
    refLabel: 'ideal 10',
  },
  {
    id: 'errand.batchMs',
    group: 'errand',
    label: 'Errand 100 batched jobs, enqueue→all completed',
    unit: 'ms',
    digits: 0,
  },
  {
    id: 'errand.stepWindowCursor',
    group: 'errand',
    label: 'A window of 100 steps (8 KB each) of a 5,000-step journal, by a cursor (p50)',
    unit: 'ms',
    digits: 1,
  },
  {
    id: 'errand.stepWindow',
    group: 'errand',
    label: "The same window by Errand's stepRange (keys, then the records) (p50)",
    unit: 'ms',
    digits: 1,
    ref: 'errand.stepWindowCursor',
    refLabel: 'by a cursor',
  },

  {
    id: 'page.rawPutP50',
    group: 'page',
    label: 'Raw strict put issued from the page p50, interleaved with the enqueues below',
    unit: 'ms',
    digits: 3,
  },
  {
    id: 'page.rawPutP95',
    group: 'page',
    label: 'Raw strict put issued from the page p95, interleaved',
    unit: 'ms',
    digits: 3,
  },
  {
    id: 'page.enqueueP50',
    group: 'page',
    label: 'Errand single enqueue from the page (client → worker → committed → answer) p50',
    unit: 'ms',
    digits: 3,
    ref: 'page.rawPutP50',
    refLabel: 'raw strict put from the page p50',
    target: { text: '≤ 2× raw put', pass: (v, r) => r !== undefined && v <= 2 * r },
  },
  {
    id: 'page.enqueueP95',
    group: 'page',
    label: 'Errand single enqueue from the page p95',
    unit: 'ms',
    digits: 3,
    ref: 'page.rawPutP95',
    refLabel: 'raw strict put from the page p95',
  },

  ...peer('tanstack', '@tanstack/offline-transactions'),
  ...peer('workbox', 'workbox-background-sync Queue'),

  {
    id: 'ui.longTasks',
    group: 'ui',
    label: 'Console main-thread tasks > 50 ms',
    unit: 'count',
    digits: 0,
    target: { text: '0', pass: (v) => v === 0 },
  },
  beforeScripts('ui.longTasksBeforeScripts', 'ui'),
  { id: 'ui.worstTask', group: 'ui', label: 'Console worst main-thread task', unit: 'ms', digits: 0 },
  {
    id: 'ui.jobPageLongTasks',
    group: 'ui',
    label: 'Job page with 5,000 steps: main-thread tasks > 50 ms',
    unit: 'count',
    digits: 0,
    target: { text: '0', pass: (v) => v === 0 },
  },
  beforeScripts('ui.jobPageLongTasksBeforeScripts', 'ui'),
  {
    id: 'ui.fps',
    group: 'ui',
    label: 'Console job center scrolling',
    unit: 'fps',
    digits: 1,
    target: { text: '≥ 55 fps', pass: (v) => v >= 55 },
  },
  { id: 'ui.worstFrame', group: 'ui', label: 'Console worst frame while scrolling', unit: 'ms', digits: 1 },
  {
    id: 'ui.scrollCpu',
    group: 'ui',
    label: "Chromium's CPU while the list scrolled",
    unit: 'cores',
    digits: 2,
    refLabel: `of the machine's ${availableParallelism()}`,
  },
  ...[
    ['storage', "  IndexedDB: the browser's thread pool"],
    ['page', "  the page's main thread"],
    ['worker', "  the Console's worker"],
    ['compositing', '  compositing and raster'],
    ['other', '  other threads'],
  ].map(([kind, label]) => ({ id: `ui.scrollCpu.${kind}`, group: 'ui', label, unit: 'cores', digits: 2 })),
  {
    id: 'ui.pillP95',
    group: 'ui',
    label: 'Console committed change → pill update p95',
    unit: 'ms',
    digits: 1,
    target: { text: '< 50 ms', pass: (v) => v < 50 },
  },
  {
    id: 'ui.pillStampP95',
    group: 'ui',
    label: 'Console change made (updatedAt) → pill update p95',
    unit: 'ms',
    digits: 1,
  },
  { id: 'ui.pillSamples', group: 'ui', label: 'Console pill updates sampled', unit: 'count', digits: 0 },
  {
    id: 'ui.pillUnannounced',
    group: 'ui',
    label: '  of them not announced on the feed (timed from updatedAt)',
    unit: 'count',
    digits: 0,
  },
  { id: 'ui.pillSkipped', group: 'ui', label: '  pill updates skipped (record moved on)', unit: 'count', digits: 0 },
  {
    id: 'ui.pillWhileScrolling',
    group: 'ui',
    label: '  pill updates not timed (seen while the list scrolled)',
    unit: 'count',
    digits: 0,
  },

  {
    id: 'cold.longTasks',
    group: 'cold',
    label: 'Console in a new browser session: main-thread tasks > 50 ms',
    unit: 'count',
    digits: 0,
    target: { text: '0', pass: (v) => v === 0 },
  },
  beforeScripts('cold.longTasksBeforeScripts', 'cold'),
  { id: 'cold.worstTask', group: 'cold', label: '  worst main-thread task', unit: 'ms', digits: 0 },

  {
    id: 'size.initialJs',
    group: 'size',
    label: 'Console initial JavaScript, gzipped',
    unit: 'KB',
    digits: 1,
    target: { text: '< 80 KB', pass: (v) => v < 80 },
  },
];

/**
 * The row beneath a count of tasks over 50 ms: those that ended before the page had parsed its
 * document, so before any of its scripts ran (see long-tasks.mjs).
 * @param {string} id
 * @param {string} group
 * @returns {Metric}
 */
function beforeScripts(id, group) {
  return {
    id,
    group,
    label: "  of them before the page's scripts ran (the browser's navigation)",
    unit: 'count',
    digits: 0,
  };
}

/**
 * A peer's rows, compared with Errand's. Latency rows: ratio = peer ÷ Errand, Errand ahead
 * when above 1. Rate rows: ratio = peer ÷ Errand, Errand ahead when below 1.
 * @param {string} id
 * @param {string} name
 * @returns {Metric[]}
 */
function peer(id, name) {
  const faster = { text: 'Errand ahead', pass: (v, r) => r !== undefined && r < v };
  const more = { text: 'Errand ahead', pass: (v, r) => r !== undefined && r > v };
  return [
    {
      id: `${id}.enqueueP50`,
      group: id,
      label: `${name}: single enqueue p50`,
      unit: 'ms',
      digits: 3,
      ref: 'errand.enqueueP50',
      refLabel: 'Errand',
      target: faster,
    },
    {
      id: `${id}.enqueueP95`,
      group: id,
      label: `${name}: single enqueue p95`,
      unit: 'ms',
      digits: 3,
      ref: 'errand.enqueueP95',
      refLabel: 'Errand',
    },
    {
      id: `${id}.bulk`,
      group: id,
      label: `${name}: enqueue of 10,000`,
      unit: 'rec/s',
      ref: 'errand.bulk',
      refLabel: 'Errand',
      target: more,
    },
    { id: `${id}.bulkDone`, group: id, label: `  ${name}: stored (of 10,000) within the cap`, unit: 'jobs', digits: 0 },
    {
      id: `${id}.drain`,
      group: id,
      label: `${name}: 10,000 no-op, enqueue→done`,
      unit: 'jobs/s',
      ref: 'errand.noop',
      refLabel: 'Errand',
      target: more,
    },
    {
      id: `${id}.drainDone`,
      group: id,
      label: `  ${name}: completed (of 10,000) within the cap`,
      unit: 'jobs',
      digits: 0,
    },
  ];
}
