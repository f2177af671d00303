import { crashTab } from '../reliability/helpers/tabs';
import { expect, test, type ConsoleTab, type LockCount, type StoredJob, type StoredStep } from './fixtures';

const stepNames = (count: number): string[] => Array.from({ length: count }, (_, i) => `step ${i + 1}`);

function runsByStep(steps: readonly StoredStep[]): Record<string, number> {
  return Object.fromEntries(steps.map((step) => [step.name, step.runs]));
}

/** How many times the job was started: once per run, once more after each takeover. */
function startsOf(job: StoredJob): number {
  return job.history.filter((entry) => entry.status === 'running').length;
}

async function waitForCompletion(tab: ConsoleTab, ids: readonly string[], timeout: number): Promise<void> {
  await expect
    .poll(async () => (await tab.jobs()).filter((job) => ids.includes(job.id)).map((job) => job.status), { timeout })
    .toEqual(ids.map(() => 'completed'));
}

test('a reload mid-job resumes from the checkpoint: finished steps do not run again', async ({
  consoleTab: tab,
  page,
}) => {
  const STEPS = 10;
  const id = await tab.startDemo(STEPS, 400);

  await expect
    .poll(async () => (await tab.job(id))?.checkpoint?.next ?? 0, { timeout: 20_000, intervals: [100] })
    .toBeGreaterThanOrEqual(2);
  const atReload = await tab.job(id);
  const finishedBeforeReload = atReload?.checkpoint?.next ?? 0;
  expect(atReload?.status).toBe('running');
  expect(finishedBeforeReload).toBeLessThan(STEPS);

  await page.reload();
  await expect(page.getByRole('button', { name: 'Start demo task' })).toBeVisible();

  await waitForCompletion(tab, [id], 30_000);
  const job = (await tab.job(id)) as StoredJob;
  expect(job.completedSteps).toBe(STEPS);
  expect(job.progress).toBe(1);
  expect(startsOf(job), 'the reload interrupted the run and a new runner took the job over').toBeGreaterThanOrEqual(2);

  const steps = await tab.steps(id);
  expect(steps.map((step) => step.name).sort()).toEqual(stepNames(STEPS).sort());
  expect(steps.every((step) => step.status === 'completed')).toBe(true);
  const runs = runsByStep(steps);
  for (const name of stepNames(finishedBeforeReload)) expect(runs[name], `${name} finished before the reload`).toBe(1);
  for (const name of stepNames(STEPS)) expect(runs[name], name).toBeLessThanOrEqual(2);
  expect(runs[`step ${finishedBeforeReload + 1}`], 'the step in flight at the reload').toBeLessThanOrEqual(2);
});

test('reloads and closed tabs during one long step never use up its attempts; a crash does', async ({
  consoleTab,
  context,
  openTab,
}) => {
  // One step of a minute: no attempt saves anything before it is cut short.
  let tab = consoleTab;
  const id = await tab.startDemo(1, 60_000);
  const runningStart = async (starts: number) =>
    expect
      .poll(async () => {
        const job = await tab.job(id);
        return job === undefined ? undefined : { status: job.status, starts: startsOf(job) };
      })
      .toEqual({ status: 'running', starts });

  // Four page exits, more than the job's 3 attempts: reload, close the tab, in turn.
  for (let exit = 1; exit <= 4; exit++) {
    await runningStart(exit);
    if (exit % 2 === 1) {
      await tab.page.reload();
      await expect(tab.page.getByRole('button', { name: 'Start demo task' })).toBeVisible();
    } else {
      await tab.page.close();
      tab = await openTab();
    }
  }
  await runningStart(5);
  const afterExits = (await tab.job(id)) as StoredJob;
  expect(afterExits).toMatchObject({ status: 'running', attempts: 1, interruptions: 4 });
  expect(afterExits.history.filter((entry) => entry.status === 'queued').map((entry) => entry.code)).toEqual([
    undefined,
    'page-exit',
    'page-exit',
    'page-exit',
    'page-exit',
  ]);
  await tab.page.goto(`/#/jobs/${id}`);
  await expect(tab.page.getByText('after the tab running it closed or reloaded')).toHaveCount(4);

  // A crash leaves no note: the attempt it cut short counts.
  await crashTab(context, tab.page);
  tab = await openTab();
  await runningStart(6);
  const afterCrash = (await tab.job(id)) as StoredJob;
  expect(afterCrash).toMatchObject({ status: 'running', attempts: 2, interruptions: 4 });
  expect(afterCrash.history.at(-2)).toMatchObject({ status: 'queued', code: 'interrupted' });
});

test('three tabs share one runner: every job runs once and one runner lock is held', async ({
  consoleTab: first,
  openTab,
}) => {
  test.setTimeout(120_000);
  const STEPS = 6;
  const STEP_MS = 400;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push(await first.startDemo(STEPS, STEP_MS));
  await expect.poll(async () => (await first.jobs()).some((job) => job.status === 'running')).toBe(true);

  const tabs = [first, await openTab(), await openTab()];
  await expect
    .poll(() => first.runnerLocks(), { message: 'one worker per tab: one holds the runner lock, two wait for it' })
    .toEqual({ held: 1, pending: 2 });
  for (let i = 0; i < 3; i++) ids.push(await first.startDemo(STEPS, STEP_MS));

  const samples: LockCount[] = [];
  let sampled = 0;
  await expect
    .poll(
      async () => {
        const tab = tabs[sampled++ % tabs.length] as ConsoleTab;
        samples.push(await tab.runnerLocks());
        return (await tab.jobs()).filter((job) => ids.includes(job.id) && job.status === 'completed').length;
      },
      { timeout: 90_000, intervals: [150] },
    )
    .toBe(ids.length);

  expect(samples.length).toBeGreaterThan(0);
  expect(
    samples.filter((sample) => sample.held !== 1),
    'samples without exactly one runner lock held',
  ).toEqual([]);

  for (const tab of tabs) {
    const jobs = (await tab.jobs()).filter((job) => ids.includes(job.id));
    expect(jobs.map((job) => job.status)).toEqual(ids.map(() => 'completed'));
  }
  const jobs = (await first.jobs()).filter((job) => ids.includes(job.id));
  for (const job of jobs) {
    expect(job.completedSteps, job.label).toBe(STEPS);
    expect(job.attempts, `${job.label}: attempts`).toBe(1);
    expect(startsOf(job), `${job.label}: starts`).toBe(1);
  }
  const steps = (await first.steps()).filter((step) => ids.includes(step.jobId));
  expect(steps).toHaveLength(ids.length * STEPS);
  expect(
    steps.filter((step) => step.runs !== 1 || step.status !== 'completed'),
    'steps that ran more than once or did not finish',
  ).toEqual([]);
});
