import { expect, test, type Page } from '@playwright/test';
import { RUNNER_LOCK } from '../e2e/fixtures';
import { instrumentContext, workerStatus } from './helpers/errand-page';
import { percentiles } from './helpers/crash-loop';
import { readJobs, readSteps, runnerEpoch, type JobRow } from './helpers/store-state';
import { crashTab, enqueueDemo, openConsoleTab, runnerTabs, sampleLocks } from './helpers/tabs';

const starts = (job: JobRow): number => job.history.filter((entry) => entry.status === 'running').length;
const completions = (job: JobRow): number => job.history.filter((entry) => entry.status === 'completed').length;

async function waitAllCompleted(
  page: Page,
  ids: readonly string[],
  timeout: number,
  onPoll?: () => Promise<void>,
  done: (job: JobRow) => boolean = (job) => job.status === 'completed',
): Promise<JobRow[]> {
  let jobs: JobRow[] = [];
  await expect
    .poll(
      async () => {
        await onPoll?.();
        jobs = (await readJobs(page)).filter((job) => ids.includes(job.id));
        return jobs.filter((job) => !done(job)).map((job) => `${job.id} ${job.status} ${job.error?.code ?? ''}`);
      },
      { timeout, intervals: [100] },
    )
    .toEqual([]);
  return jobs;
}

for (const tabCount of [3, 5]) {
  test(`${tabCount} tabs: one runner lock held at every sample, every job runs once`, async ({ context }) => {
    test.setTimeout(120_000);
    await instrumentContext(context);
    const pages: Page[] = [];
    for (let i = 0; i < tabCount; i++) pages.push(await openConsoleTab(context));
    const ids = await enqueueDemo(pages[0] as Page, 12, 3, 60);

    const held: number[] = [];
    const jobs = await waitAllCompleted(pages[tabCount - 1] as Page, ids, 90_000, async () => {
      for (const sample of await sampleLocks(pages)) held.push(sample.held);
    });
    console.log(
      `[tabs] ${tabCount} tabs: ${held.length} lock samples, held counts seen: ${[...new Set(held)].join(', ')}`,
    );
    expect(held.length).toBeGreaterThan(0);
    expect(
      held.filter((count) => count !== 1),
      'samples without exactly one runner lock held',
    ).toEqual([]);
    expect(await runnerTabs(pages)).toHaveLength(1);
    expect(
      jobs.filter((job) => starts(job) !== 1 || completions(job) !== 1).map((job) => job.id),
      'jobs started or completed more than once',
    ).toEqual([]);
    const steps = (await readSteps(pages[0] as Page)).filter((step) => ids.includes(step.jobId));
    expect(steps).toHaveLength(ids.length * 3);
    expect(
      steps.filter((step) => step.runs !== 1),
      'steps that ran more than once',
    ).toEqual([]);
  });
}

test('crashing the running tab again and again: another tab takes over within 2 s, nothing finished runs again', async ({
  context,
}) => {
  test.setTimeout(150_000);
  await instrumentContext(context);
  const pages: Page[] = [];
  for (let i = 0; i < 5; i++) pages.push(await openConsoleTab(context));
  // Work at three at a time, and three more jobs before each crash, so that jobs still run at
  // the fourth crash however long the rounds take (a round once outlasted the work).
  const steps = 8;
  const ids = await enqueueDemo(pages[0] as Page, 12, steps, 300);
  await expect.poll(async () => (await runnerTabs(pages)).length).toBe(1);

  const takeovers: number[] = [];
  for (let round = 0; round < 4; round++) {
    if (round > 0) ids.push(...(await enqueueDemo(pages[0] as Page, 3, steps, 300)));
    await expect
      .poll(async () =>
        (await readJobs(pages[0] as Page)).some((job) => ids.includes(job.id) && job.status === 'running'),
      )
      .toBe(true);
    const [runner] = await runnerTabs(pages);
    if (!runner) throw new Error('No tab runs jobs');
    const survivors = pages.filter((page) => page !== runner);
    const epochBefore = await runnerEpoch(survivors[0] as Page);
    const crashSeenAt = await crashTab(context, runner);
    // The takeover runs from the crash to the commit of the new runner's takeover. The crash is
    // the first sign of it: the lock passing to a surviving tab (its `lockedSince`) or the
    // browser reporting the renderer gone, whichever came first. Looking from here only finds
    // the takeover, and each look may come hundreds of ms after the fact on a loaded machine.
    let since: number | undefined;
    let lockedSince: number | undefined;
    await expect
      .poll(
        async () => {
          for (const page of survivors) {
            const status = await workerStatus(page);
            if (status.isRunner && status.epoch > epochBefore) ({ runnerSince: since, lockedSince } = status);
          }
          return since !== undefined;
        },
        { timeout: 20_000, intervals: [20], message: `round ${round + 1}: a surviving tab takes over` },
      )
      .toBe(true);
    const crashedAt = Math.min(crashSeenAt, lockedSince ?? crashSeenAt);
    const takeover = (since ?? Number.NaN) - crashedAt;
    takeovers.push(takeover);
    expect(takeover, `round ${round + 1}: a surviving tab takes over within 2 s of the crash`).toBeLessThanOrEqual(
      2_000,
    );
    await runner.close();
    pages.splice(pages.indexOf(runner), 1);
    pages.push(await openConsoleTab(context));
  }
  const { p50, p95 } = percentiles(takeovers);
  console.log(`[tabs] takeover after a runner crash: ${takeovers.join(', ')} ms (p50 ${p50}, p95 ${p95})`);

  // A job in flight at crashes that came before it saved any headway uses up its attempts: each such
  // takeover counts as a stalled attempt (one that had finished a step is given back).
  const exhausted = (job: JobRow): boolean =>
    job.status === 'failed' && job.error?.code === 'stalled' && starts(job) >= job.attempts && job.attempts >= 3;
  const jobs = await waitAllCompleted(
    pages[0] as Page,
    ids,
    120_000,
    undefined,
    (job) => job.status === 'completed' || exhausted(job),
  );
  const failed = jobs.filter(exhausted);
  if (failed.length > 0)
    console.log(
      `[tabs] failed as stalled after ${failed.map(starts).join(', ')} interrupted starts: ${failed.map((job) => job.id).join(', ')}`,
    );
  expect(
    jobs.filter((job) => completions(job) > 1).map((job) => job.id),
    'jobs completed more than once',
  ).toEqual([]);
  const journal = (await readSteps(pages[0] as Page)).filter((step) => ids.includes(step.jobId));
  expect(journal.length).toBeLessThanOrEqual(ids.length * steps);
  expect(
    journal.filter((step) => step.runs > 2),
    'steps that ran more than twice',
  ).toEqual([]);
  const interrupted = journal.filter((step) => step.runs === 2).length;
  expect(interrupted, 'at most one step per running job and crash starts again').toBeLessThanOrEqual(4 * 3);
  expect((await sampleLocks(pages)).map((sample) => sample.held)).toEqual(pages.map(() => 1));
});

test('a frozen runner that wakes after another tab took over changes nothing (fenced)', async ({ context }) => {
  test.setTimeout(120_000);
  await instrumentContext(context);
  const first = await openConsoleTab(context);
  const ids = await enqueueDemo(first, 3, 10, 600);
  await expect.poll(async () => (await workerStatus(first)).isRunner).toBe(true);
  const second = await openConsoleTab(context);
  await expect
    .poll(async () => (await readJobs(second)).filter((job) => job.status === 'running').length)
    .toBeGreaterThan(0);

  const cdp = await context.newCDPSession(first);
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  const frozenAt = await readJobs(second);
  const epochBefore = await runnerEpoch(second);

  // A frozen page keeps its locks; take the lock from it as a browser would from a discarded tab.
  await second.evaluate((name) => navigator.locks.request(name, { steal: true }, () => undefined), RUNNER_LOCK);
  await expect.poll(() => runnerEpoch(second), { message: 'the second tab takes over' }).toBeGreaterThan(epochBefore);
  await expect.poll(async () => (await workerStatus(second)).isRunner).toBe(true);
  // The second tab runs the jobs: the takeover re-queued the running ones in the transaction that
  // bumped the epoch, so a job running now is its own; one that was unfinished at the freeze and
  // is completed now was completed by it (the frozen tab cannot). Its last steps may be over
  // between two looks, so both count.
  const unfinishedAtFreeze = new Set(
    frozenAt.filter((job) => ids.includes(job.id) && job.status !== 'completed').map((job) => job.id),
  );
  await expect
    .poll(
      async () =>
        (await readJobs(second)).filter(
          (job) => unfinishedAtFreeze.has(job.id) && ['running', 'completed'].includes(job.status),
        ).length,
    )
    .toBeGreaterThan(0);

  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  const jobs = await waitAllCompleted(second, ids, 60_000);
  await expect
    .poll(async () => (await workerStatus(first)).isRunner, { message: 'the woken tab stops running' })
    .toBe(false);

  expect(
    jobs.filter((job) => completions(job) !== 1).map((job) => job.id),
    'jobs completed more than once',
  ).toEqual([]);
  expect(jobs.map((job) => job.result)).toEqual(ids.map(() => ({ steps: 10 })));
  const steps = (await readSteps(second)).filter((step) => ids.includes(step.jobId));
  const finishedWhenFrozen = new Set(
    frozenAt.flatMap((job) =>
      ids.includes(job.id) ? Array.from({ length: job.completedSteps }, (_, i) => `${job.id}|step ${i + 1}`) : [],
    ),
  );
  expect(
    steps.filter((step) => finishedWhenFrozen.has(`${step.jobId}|${step.name}`) && step.runs !== 1),
    'steps finished before the freeze that ran again',
  ).toEqual([]);
  expect(steps.filter((step) => step.runs > 2)).toEqual([]);
  expect((await sampleLocks([first, second])).map((sample) => sample.held)).toEqual([1, 1]);
});
