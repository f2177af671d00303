import { join } from 'node:path';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { launchPersistent, type PersistentBrowser } from '../../e2e/fixtures';
import type { RecordedStub } from './ai-stub';
import { callWorker, callWorkerOk, instrumentContext, workerStatus, type EnqueueRequest } from './errand-page';
import {
  checkIteration,
  snapshotBeforeFault,
  violations,
  type Acknowledged,
  type IterationFindings,
} from './invariants';
import type { Random } from './seed';
import { readJobs, readSteps, runnerEpoch, type JobRow } from './store-state';

export const FAULTS = ['close', 'crash', 'reload', 'sigkill'] as const;
export type Fault = (typeof FAULTS)[number];

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Totals of a crash-loop run, as the soak table prints them. */
export interface CrashLoopReport {
  seed: number;
  iterations: number;
  faults: Record<Fault, number>;
  jobs: number;
  lost: number;
  duplicateCompletions: number;
  /** Steps that started again after a fault (each was in flight at the fault). */
  repeatedSteps: number;
  /** Finished steps that ran again: must be 0. */
  rerunFinishedSteps: number;
  /** Steps in flight at a fault that started more than twice (reported, see invariants). */
  stepsStartedThrice: string[];
  extraAiCalls: number;
  unexplainedAiCalls: number;
  /** Fault to the next runner's takeover, per fault kind. */
  takeoverMs: Record<Fault, number[]>;
  /**
   * Stores Chromium deleted on opening them after a SIGKILL, having found them corrupted (its log
   * says so), each with what it said; Errand's part is to report it, which each of these checked.
   */
  storesDeletedByBrowser: string[];
  /** Acknowledged jobs of those iterations, gone with the deleted store (not counted as lost). */
  jobsGoneWithStore: number;
  problems: string[];
}

interface Session {
  browser: PersistentBrowser;
  context: BrowserContext;
  page: Page;
}

/**
 * What Chromium's log of a launch says when it deleted the origin's IndexedDB on opening it
 * because LevelDB reported it corrupted (content/browser/indexed_db, as of Chromium 150), or
 * `undefined` when it says no such thing.
 */
export function storeDeletionInLog(log: string): string | undefined {
  if (!/IndexedDB recovering from a corrupted \(and deleted\) database/.test(log)) return undefined;
  const reason = (/Failed to open LevelDB database from [^\n]*?\.leveldb,\s*([^\n]+)/.exec(log) ??
    /Got corruption for \{[^}\n]*\},\s*([^\n]+)/.exec(log))?.[1]?.trim();
  return `Chromium deleted the store it found corrupted (${reason ?? 'no reason logged'})`;
}

/** Opens the Console and waits until its worker answers. */
async function openConsole(page: Page): Promise<void> {
  await page.goto('/');
  await consoleReady(page);
}

/**
 * Waits until the Console on `page` is up and its worker answers, without navigating: after a
 * reload, a second navigation would be a second fault (it restarts the worker again).
 */
async function consoleReady(page: Page): Promise<void> {
  await expect(page.getByRole('region', { name: 'Background jobs' })).toBeAttached();
  await workerStatus(page);
}

function recipeText(tag: string, random: Random): string {
  const grams = random.int(50, 900);
  return [
    `Soup ${tag}`,
    `${grams} g carrots`,
    `${random.int(1, 4)} cups water`,
    '1 tsp salt',
    'Directions',
    'Boil it all.',
  ].join('\n');
}

function mixedJobs(iteration: number, count: number, random: Random): EnqueueRequest[] {
  return Array.from({ length: count }, (_, i): EnqueueRequest => {
    if (random.next() < 0.35)
      return {
        type: 'recipe_parsing',
        payload: { text: recipeText(`${iteration}-${i}-${random.int(0, 1e9)}`, random) },
      };
    return { type: 'demo_steps', payload: { steps: random.int(2, 4), stepMs: random.int(10, 60) } };
  });
}

/**
 * The crash loop: per iteration, enqueue a few dozen mixed jobs while one random fault hits
 * (tab closed, renderer crashed, reload, or the whole browser SIGKILLed on its on-disk
 * profile), restart, wait until every acknowledged job is terminal, and check the store.
 */
export async function runCrashLoop(options: {
  readonly baseURL: string;
  readonly userDataDir: string;
  readonly iterations: number;
  readonly jobsPerIteration: number;
  readonly random: Random;
  /** The faults to pick from (all of `FAULTS` unless given). */
  readonly faults?: readonly Fault[];
  readonly stub?: RecordedStub;
  readonly log?: (line: string) => void;
  /** Called with the totals so far after each iteration (a long run can be stopped and still report). */
  readonly onIteration?: (report: CrashLoopReport) => Promise<void>;
}): Promise<CrashLoopReport> {
  const { random, stub } = options;
  const faults = options.faults ?? FAULTS;
  if (faults.length === 0) throw new Error('runCrashLoop needs at least one fault to pick');
  const log = options.log ?? (() => undefined);
  const report: CrashLoopReport = {
    seed: random.seed,
    iterations: 0,
    faults: { close: 0, crash: 0, reload: 0, sigkill: 0 },
    jobs: 0,
    lost: 0,
    duplicateCompletions: 0,
    repeatedSteps: 0,
    rerunFinishedSteps: 0,
    stepsStartedThrice: [],
    extraAiCalls: 0,
    unexplainedAiCalls: 0,
    takeoverMs: { close: [], crash: [], reload: [], sigkill: [] },
    storesDeletedByBrowser: [],
    jobsGoneWithStore: 0,
    problems: [],
  };

  let launches = 0;
  const launch = async (): Promise<Session> => {
    // Chromium's own log of each launch: the only witness of a store it deletes on opening it.
    launches += 1;
    const logFile = join(options.userDataDir, `chromium-${launches}.log`);
    const browser = await launchPersistent(options.userDataDir, options.baseURL, { logFile });
    await instrumentContext(browser.context);
    if (stub) await stub.attach(browser.context);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await openConsole(page);
    return { browser, context: browser.context, page };
  };

  let session = await launch();
  if (stub) await callWorkerOk(session.page, 'putSetting', ['ai', stub.setting]);
  try {
    for (let iteration = 1; iteration <= options.iterations; iteration++) {
      const fault = random.pick(faults);
      const requests = mixedJobs(iteration, options.jobsPerIteration, random);
      const chunks: EnqueueRequest[][] = [];
      for (let at = 0; at < requests.length;) {
        const size = random.int(1, 6);
        chunks.push(requests.slice(at, at + size));
        at += size;
      }
      const faultDelayMs = random.int(0, 900);
      const acknowledged: Acknowledged[] = [];
      const epochBefore = await runnerEpoch(session.page);
      const page = session.page;

      let faulting = false;
      const enqueueing = (async () => {
        for (const chunk of chunks) {
          if (faulting) return;
          const result = await callWorker<{ id: string; type: string; payload: unknown }[]>(page, 'enqueueMany', [
            chunk,
          ]).catch(() => undefined);
          if (!result) return;
          if (!result.ok) {
            report.problems.push(`iteration ${iteration}: enqueue refused: ${result.error.code}`);
            return;
          }
          for (const job of result.value) acknowledged.push({ id: job.id, type: job.type, payload: job.payload });
        }
      })();

      await new Promise((resolve) => setTimeout(resolve, faultDelayMs));
      const [jobsAtFault, stepsAtFault] = await Promise.all([readJobs(page), readSteps(page)]);
      const before = snapshotBeforeFault(jobsAtFault, stepsAtFault);
      faulting = true;
      const faultAt = Date.now();
      let faultEndedAt = faultAt;
      log(`iteration ${iteration}: ${fault} after ${faultDelayMs} ms`);
      switch (fault) {
        case 'reload':
          await page.reload();
          faultEndedAt = Date.now();
          await consoleReady(page);
          break;
        case 'close':
          await page.close();
          faultEndedAt = Date.now();
          session.page = await session.context.newPage();
          await openConsole(session.page);
          break;
        case 'crash': {
          const cdp = await session.context.newCDPSession(page);
          const crashed = page.waitForEvent('crash', { timeout: 15_000 });
          // The renderer dies before it can answer, so the command never resolves.
          void cdp.send('Page.crash').catch(() => undefined);
          await crashed;
          faultEndedAt = Date.now();
          await page.close().catch(() => undefined);
          session.page = await session.context.newPage();
          await openConsole(session.page);
          break;
        }
        case 'sigkill': {
          // Every process of the browser at once, as a power cut would; it starts again only
          // once they are all gone, as a restart by the user does.
          await session.browser.kill();
          faultEndedAt = Date.now();
          session = await launch();
          break;
        }
      }
      await enqueueing;
      report.faults[fault] += 1;

      let epoch = epochBefore;
      await expect
        .poll(async () => (epoch = await runnerEpoch(session.page)), {
          timeout: 20_000,
          intervals: [20],
          message: `iteration ${iteration}: a runner takes over after ${fault}`,
        })
        .not.toBe(epochBefore);
      // Only a database created anew starts its epochs again, and nothing of Errand deletes one.
      // Chromium does, on opening a store LevelDB reports corrupted, and a killed browser can
      // leave one so (see the README's limits): a torn last record at the end of LevelDB's log is
      // skipped on the next start, which then appends to that log after it, so the start after
      // that reads a bad checksum mid-log. Then Errand's part is to say so, and this checks it.
      if (epoch < epochBefore) {
        const empty =
          `seed ${random.seed} iteration ${iteration}: after ${fault} the browser opened an empty database ` +
          `(runner epoch ${epochBefore} before, ${epoch} after): everything stored was gone`;
        let deletion: string | undefined;
        if (fault === 'sigkill') {
          await expect
            .poll(async () => (deletion = storeDeletionInLog(await session.browser.log())), {
              timeout: 5_000,
              message: `${empty}, and Chromium's log of the launch does not say it deleted a corrupted store`,
            })
            .toBeDefined();
        }
        if (deletion === undefined) throw new Error(`${empty}, with no browser restart that could have deleted it`);
        const notice = session.page.getByRole('alert').filter({ hasText: 'Saved jobs were lost' });
        await expect(notice, `iteration ${iteration}: the Console reports the store the browser deleted`).toBeVisible();
        await notice.getByRole('button', { name: 'Dismiss' }).click();
        await expect(notice).toHaveCount(0);
        log(`iteration ${iteration}: ${deletion}`);
        report.storesDeletedByBrowser.push(
          `seed ${random.seed} iteration ${iteration}: ${deletion}; ${acknowledged.length} acknowledged jobs went with it`,
        );
        report.jobsGoneWithStore += acknowledged.length;
        report.iterations += 1;
        // Settings went with the store too.
        if (stub) {
          await callWorkerOk(session.page, 'putSetting', ['ai', stub.setting]);
          for (const job of acknowledged) stub.callsByJob.delete(job.id);
        }
        await options.onIteration?.(report);
        continue;
      }
      report.takeoverMs[fault].push(Date.now() - faultAt);

      const ids = new Set(acknowledged.map((job) => job.id));
      let jobs: JobRow[] = [];
      await expect
        .poll(
          async () => {
            jobs = (await readJobs(session.page)).filter((job) => ids.has(job.id));
            return jobs
              .filter((job) => !TERMINAL.has(job.status))
              .map((job) => `${job.id} ${job.type} ${job.status} ${job.waitReason ?? ''}`);
          },
          {
            timeout: 60_000,
            intervals: [100],
            message: `seed ${random.seed} iteration ${iteration} (${fault}): every acknowledged job becomes terminal`,
          },
        )
        .toEqual([]);

      const findings: IterationFindings = checkIteration({
        acknowledged,
        jobs,
        steps: await readSteps(session.page),
        before,
        faultAt,
        faultEndedAt,
        ...(stub ? { aiCalls: stub.callsByJob } : {}),
      });
      report.iterations += 1;
      report.jobs += acknowledged.length;
      report.lost += findings.lost.length;
      report.duplicateCompletions += findings.duplicateCompletions.length;
      report.repeatedSteps += findings.repeatedSteps;
      report.rerunFinishedSteps += findings.rerunFinishedSteps.length;
      report.stepsStartedThrice.push(
        ...findings.stepsStartedThrice.map((finding) => `iteration ${iteration}: ${finding}`),
      );
      report.extraAiCalls += findings.extraAiCalls;
      report.unexplainedAiCalls += findings.unexplainedAiCalls.length;
      for (const problem of violations(findings))
        report.problems.push(
          `seed ${random.seed} iteration ${iteration} (${fault} after ${faultDelayMs} ms): ${problem}`,
        );

      if (ids.size > 0) await callWorkerOk(session.page, 'remove', [[...ids]]);
      for (const id of ids) stub?.callsByJob.delete(id);
      await options.onIteration?.(report);
    }
  } finally {
    await session.context.close().catch(() => undefined);
  }
  return report;
}

/** The median and 95th percentile of some durations. */
export function percentiles(values: readonly number[]): { p50: number; p95: number } {
  if (values.length === 0) return { p50: Number.NaN, p95: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { p50: at(0.5), p95: at(0.95) };
}
