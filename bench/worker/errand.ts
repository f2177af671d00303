/**
 * Errand measured where it runs: `createRuntime` inside this dedicated worker, on the real
 * IndexedDB, called directly (no Comlink hop, so the figures compare with the raw limit).
 */
import type { EnqueueRequest, JobRecord, Result, WorkerApi } from '../../src/shared';
import { createRuntime, defineJobType, type AnyJobType, type Runtime } from '../../src/worker';
import {
  deleteDatabase,
  payloadOf,
  perSecond,
  quantile,
  scaled,
  timedStep,
  timeInto,
  within,
  type Figures,
  type ScenarioOptions,
} from './measure';
import { openRaw, openWithErrandIndexes, rawJobPut, rawPut } from './limit';
import { jobPages, stepWindows } from './list-windows';

const noop = defineJobType<unknown, null>({
  type: 'bench_noop',
  label: 'No-op',
  run: () => Promise.resolve(null),
});

const progressTen = defineJobType<unknown, null>({
  type: 'bench_progress',
  label: 'Progress ×10',
  async run(_payload, ctx) {
    for (let i = 1; i <= 10; i++) {
      ctx.progress(i / 10, `Part ${i} of 10`);
      await Promise.resolve();
    }
    return null;
  },
});

/** Checkpointed steps each `bench_steps` job runs. */
const STEPS_PER_JOB = 10;

const stepsTen = defineJobType<unknown, null>({
  type: 'bench_steps',
  label: 'Steps ×10',
  async run(_payload, ctx) {
    for (let i = 1; i <= STEPS_PER_JOB; i++) await ctx.step(`part ${i}`, () => Promise.resolve(i));
    return null;
  },
});

const cached = defineJobType<unknown, { readonly answer: number }>({
  type: 'bench_cached',
  label: 'Cached',
  cache: {},
  run: () => Promise.resolve({ answer: 42 }),
});

function batchedType(counter: { calls: number; singles: number }): AnyJobType {
  return defineJobType<unknown, { readonly ok: true }>({
    type: 'bench_batched',
    label: 'Batched',
    batch: { windowMs: 250, maxSize: 10 },
    run: () => {
      counter.singles += 1;
      return Promise.resolve({ ok: true });
    },
    runBatch: (items) => {
      counter.calls += 1;
      return Promise.resolve(items.map(() => ({ ok: true as const, value: { ok: true as const } })));
    },
  });
}

const baseTypes: readonly AnyJobType[] = [noop, progressTen, stepsTen, cached];

function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new Error(`${result.error.code}: ${result.error.message}`);
}

function requests(type: string, count: number): EnqueueRequest[] {
  return Array.from({ length: count }, (_, i) => ({ type, payload: payloadOf(i) }));
}

/** Jobs run at once in the drain scenarios: quick jobs are where a queue's own cost shows. */
const WIDE_CONCURRENCY = 100;

/** Opens a runtime on a fresh database and waits until it runs jobs. */
async function freshRuntime(
  dbName: string,
  jobTypes: readonly AnyJobType[] = baseTypes,
  concurrency?: number,
): Promise<Runtime> {
  await deleteDatabase(dbName);
  const runtime = createRuntime({ jobTypes, dbName, ...(concurrency === undefined ? {} : { concurrency }) });
  await runtime.becameRunner;
  return runtime;
}

async function withRuntime<T>(
  dbName: string,
  jobTypes: readonly AnyJobType[],
  fn: (api: WorkerApi, runtime: Runtime) => Promise<T>,
  concurrency?: number,
): Promise<T> {
  const runtime = await freshRuntime(dbName, jobTypes, concurrency);
  try {
    return await fn(runtime.api, runtime);
  } finally {
    await runtime.close();
    await deleteDatabase(dbName);
  }
}

/** Counts completed jobs, to check a drain really completed everything it was given. */
async function completedCount(runtime: Runtime, type: string): Promise<number> {
  return runtime.store.db.jobs.where('[type+status]').equals([type, 'completed']).count();
}

/**
 * Single enqueues, each awaited (acknowledged = committed), interleaved with raw strict puts of
 * the same payload into a store without indexes, and with raw strict puts of the record Errand
 * stores into a store with Errand's indexes (the three take turns going first): the latencies
 * are sampled in the same moments, so a drift of the machine moves them alike.
 */
async function singleEnqueue(
  api: WorkerApi,
  rawName: string,
  count: number,
): Promise<{ p50: number; p95: number; rawP50: number; rawP95: number; jobPutP50: number; jobPutP95: number }> {
  const raw = await openRaw(rawName);
  const indexed = await openWithErrandIndexes(`${rawName}-indexed`);
  const options = { delayMs: 3_600_000 };
  const latencies: number[] = [];
  const rawLatencies: number[] = [];
  const jobPutLatencies: number[] = [];
  // The three take turns in each of three orders, so none is always first after the others.
  const ops = [
    (i: number) =>
      timeInto(latencies, async () =>
        unwrap(await api.enqueue({ type: 'bench_noop', payload: payloadOf(i), options })),
      ),
    (i: number) => timeInto(rawLatencies, () => rawPut(raw, i, 'strict')),
    (i: number) => timeInto(jobPutLatencies, () => rawJobPut(indexed, i, options)),
  ];
  try {
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < ops.length; k++) await ops[(i + k) % ops.length]?.(i);
    }
  } finally {
    raw.close();
    indexed.close();
    await deleteDatabase(rawName);
    await deleteDatabase(`${rawName}-indexed`);
  }
  return {
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    rawP50: quantile(rawLatencies, 0.5),
    rawP95: quantile(rawLatencies, 0.95),
    jobPutP50: quantile(jobPutLatencies, 0.5),
    jobPutP95: quantile(jobPutLatencies, 0.95),
  };
}

/** No-op jobs delayed an hour, so that the runner leaves them alone while they are measured. */
function delayedNoops(count: number): EnqueueRequest[] {
  return requests('bench_noop', count).map((request) => ({ ...request, options: { delayMs: 3_600_000 } }));
}

async function bulkEnqueue(api: WorkerApi, count: number): Promise<number> {
  const batch = delayedNoops(count);
  const t0 = performance.now();
  unwrap(await api.enqueueMany(batch));
  return perSecond(count, performance.now() - t0);
}

/** Enqueue (one bulk call) through every job completed, or as many as completed within `maxMs`. */
async function drain(
  api: WorkerApi,
  runtime: Runtime,
  type: string,
  count: number,
  maxMs: number,
): Promise<{ rate: number; done: number }> {
  const t0 = performance.now();
  unwrap(await api.enqueueMany(requests(type, count)));
  const idle = await within(api.onIdle(), maxMs);
  const elapsed = performance.now() - t0;
  const done = await completedCount(runtime, type);
  if (idle && done !== count) throw new Error(`${type}: ${done} of ${count} jobs completed after onIdle()`);
  return { rate: perSecond(done, elapsed), done };
}

/**
 * A runtime stops with `count` incomplete jobs stored (three of them mid-run), and a new
 * runtime opens the same database: milliseconds from `createRuntime` to the first handler call.
 */
async function firstJobAfterReload(dbName: string, count: number): Promise<number> {
  await deleteDatabase(dbName);
  let mode: 'hang' | 'measure' = 'hang';
  let firstCall: (() => void) | undefined;
  const reload = defineJobType<unknown, null>({
    type: 'bench_reload',
    label: 'Reload',
    run: (_payload, ctx) => {
      if (mode === 'measure') {
        firstCall?.();
        return Promise.resolve(null);
      }
      return new Promise<null>((_resolve, reject) =>
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
      );
    },
  });
  const types = [reload as AnyJobType];
  const before = createRuntime({ jobTypes: types, dbName });
  await before.becameRunner;
  unwrap(await before.api.enqueueMany(requests('bench_reload', count)));
  for (let i = 0; i < 500 && (await before.api.status()).running < 3; i++) await new Promise((r) => setTimeout(r, 10));
  await before.close();

  mode = 'measure';
  const invoked = new Promise<number>((resolve) => (firstCall = () => resolve(performance.now())));
  const t0 = performance.now();
  const after = createRuntime({ jobTypes: types, dbName });
  const elapsed = (await invoked) - t0;
  await after.close();
  await deleteDatabase(dbName);
  return elapsed;
}

/** The cache is filled by one run; then each enqueue of the same request until its job is completed. */
async function cacheHits(
  api: WorkerApi,
  runtime: Runtime,
  count: number,
): Promise<{ p50: number; p95: number; hits: number }> {
  const payload = payloadOf(0);
  unwrap(await api.enqueue({ type: 'bench_cached', payload }));
  await api.onIdle();
  const latencies: number[] = [];
  let hits = 0;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const job: JobRecord = unwrap(await api.enqueue({ type: 'bench_cached', payload }));
    if (job.status !== 'completed') {
      await api.onIdle();
      const stored = await runtime.store.db.jobs.get(job.id);
      if (stored?.status !== 'completed') throw new Error(`cache: job ${job.id} is ${stored?.status ?? 'missing'}`);
    }
    latencies.push(performance.now() - t0);
    if (job.cacheHit === true) hits += 1;
  }
  return { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), hits };
}

/** 100 similar jobs enqueued one by one without waiting: how many handler calls run them. */
async function batching(dbName: string, count: number): Promise<{ calls: number; ms: number }> {
  const counter = { calls: 0, singles: 0 };
  return withRuntime(dbName, [batchedType(counter)], async (api, runtime) => {
    const t0 = performance.now();
    const results = await Promise.all(requests('bench_batched', count).map((request) => api.enqueue(request)));
    results.forEach(unwrap);
    await api.onIdle();
    const ms = performance.now() - t0;
    const done = await completedCount(runtime, 'bench_batched');
    if (done !== count) throw new Error(`batch: ${done} of ${count} jobs completed`);
    return { calls: counter.calls + counter.singles, ms };
  });
}

export async function runErrand(options: ScenarioOptions): Promise<Figures> {
  const { scale, dbPrefix } = options;
  const name = (part: string) => `${dbPrefix}-errand-${part}`;
  const single = await timedStep('errand single enqueue', () =>
    withRuntime(name('single'), baseTypes, (api) => singleEnqueue(api, name('single-raw'), scaled(500, scale))),
  );
  const bulk = await timedStep('errand bulk enqueue', () =>
    withRuntime(name('bulk'), baseTypes, (api) => bulkEnqueue(api, scaled(10_000, scale))),
  );
  const jobs = scaled(10_000, scale);
  const maxMs = options.maxDrainMs;
  const drainOf = (label: string, part: string, type: string, concurrency?: number) =>
    timedStep(label, () =>
      withRuntime(name(part), baseTypes, (api, runtime) => drain(api, runtime, type, jobs, maxMs), concurrency),
    );
  const noop = await drainOf('errand no-op drain', 'noop', 'bench_noop', WIDE_CONCURRENCY);
  const noopDefault = await drainOf('errand no-op drain, default concurrency', 'noop3', 'bench_noop');
  const progress = await drainOf('errand progress drain', 'progress', 'bench_progress', WIDE_CONCURRENCY);
  const stepJobs = scaled(1_000, scale);
  const steps = await timedStep('errand steps drain', () =>
    withRuntime(
      name('steps'),
      baseTypes,
      (api, runtime) => drain(api, runtime, 'bench_steps', stepJobs, maxMs),
      WIDE_CONCURRENCY,
    ),
  );
  // Before the reload scenario: deleting its 10,000 jobs keeps the disk busy for a while after,
  // and single hits timed then measured that (8–24 ms) rather than the cache.
  const cache = await timedStep('errand cache hits', () =>
    withRuntime(name('cache'), baseTypes, (api, runtime) => cacheHits(api, runtime, scaled(200, scale))),
  );
  const firstJob = await timedStep('errand first job after reload', () =>
    firstJobAfterReload(name('reload'), scaled(10_000, scale)),
  );
  const batch = await timedStep('errand batching', () => batching(name('batch'), 100));
  const stepWindow = await timedStep('errand step journal windows', () =>
    stepWindows(name('journal'), scaled(20, scale, 4)),
  );
  const listed = scaled(5_000, scale, 500);
  const jobPage = await timedStep('errand job list pages', () =>
    withRuntime(name('pages'), baseTypes, async (api, runtime) => {
      unwrap(await api.enqueueMany(delayedNoops(listed)));
      return jobPages(runtime.store.db, listed, scaled(20, scale, 4));
    }),
  );
  return {
    'errand.enqueueP50': single.p50,
    'errand.enqueueP95': single.p95,
    'errand.rawPutP50': single.rawP50,
    'errand.rawPutP95': single.rawP95,
    'errand.rawJobPutP50': single.jobPutP50,
    'errand.rawJobPutP95': single.jobPutP95,
    'errand.bulk': bulk,
    'errand.noop': noop.rate,
    'errand.noopDone': noop.done,
    'errand.noopDefault': noopDefault.rate,
    'errand.noopDefaultDone': noopDefault.done,
    'errand.progress': progress.rate,
    'errand.progressDone': progress.done,
    'errand.steps': steps.rate * STEPS_PER_JOB,
    'errand.stepsDone': steps.done,
    'errand.firstJob': firstJob,
    'errand.cacheP50': cache.p50,
    'errand.cacheP95': cache.p95,
    'errand.cacheHits': cache.hits,
    'errand.batchCalls': batch.calls,
    'errand.batchMs': batch.ms,
    'errand.stepWindow': stepWindow.errandP50,
    'errand.stepWindowCursor': stepWindow.cursorP50,
    'errand.jobPage': jobPage.errandP50,
    'errand.jobPageCursor': jobPage.cursorP50,
  };
}
