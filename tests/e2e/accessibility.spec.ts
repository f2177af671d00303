import { createRequire } from 'node:module';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { expect, seededJob, seedJobs, test, type ConsoleTab } from './fixtures';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** What axe reports for one rule, reduced to what a reader of the test output needs. */
interface AxeViolation {
  readonly id: string;
  readonly impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

interface AxeWindow {
  axe?: {
    run(context: Document, options: { resultTypes: string[] }): Promise<{ violations: AxeViolation[] }>;
  };
}

const BLOCKING = new Set<AxeViolation['impact']>(['serious', 'critical']);

const VIEWPORTS = [
  { name: 'phone', size: { width: 390, height: 844 } },
  { name: 'desktop', size: { width: 1280, height: 800 } },
] as const;

const SCHEMES = ['light', 'dark'] as const;

/** The jobs every page is checked with: one running, one paused, one completed, a recipe and a CSV import. */
interface Jobs {
  readonly running: string;
  readonly paused: string;
  readonly completed: string;
}

/** The Console's pages, each with what shows it is ready to check. */
function pages(jobs: Jobs): readonly {
  readonly name: string;
  readonly hash: string;
  readonly heading: string | RegExp;
  /** What else shows once the page is ready to check. */
  readonly ready?: (page: Page) => Locator;
}[] {
  return [
    { name: 'dashboard', hash: '#/', heading: 'Dashboard' },
    { name: 'jobs', hash: '#/jobs', heading: 'Jobs' },
    { name: 'job (running)', hash: `#/jobs/${jobs.running}`, heading: /Demo task/ },
    { name: 'job (completed)', hash: `#/jobs/${jobs.completed}`, heading: /Demo task/ },
    // With related jobs: the job that waits for it, and the list of its dependents.
    {
      name: 'job (paused, needed by another)',
      hash: `#/jobs/${jobs.paused}`,
      heading: /Demo task/,
      ready: (page) => page.getByRole('list', { name: 'Needed by (1)' }),
    },
    {
      name: 'jobs (dependents of one)',
      hash: `#/jobs?dependsOn=${jobs.paused}`,
      heading: 'Jobs',
      ready: (page) => page.locator('[role="row"][data-job-id="a11y-dependent"]'),
    },
    { name: 'recipes', hash: '#/recipes', heading: 'Recipes' },
    { name: 'import', hash: '#/import', heading: 'Import a bank statement' },
    { name: 'export', hash: '#/export', heading: 'Export job history' },
    { name: 'schedules', hash: '#/schedules', heading: 'Schedules' },
    // Read once its settings are: until then its fieldset is disabled and its buttons faded,
    // and a check begun then saw "Test connection" faded but no longer disabled (one CI run).
    {
      name: 'settings',
      hash: '#/settings',
      heading: 'Settings',
      ready: (page) => page.locator('form[aria-label="Settings"][aria-busy="false"]'),
    },
  ];
}

function describe(violation: AxeViolation): string {
  const targets = violation.nodes
    .slice(0, 5)
    .map((node) => `    ${node.target.map(String).join(' ')}`)
    .join('\n');
  const more = violation.nodes.length > 5 ? `\n    … and ${violation.nodes.length - 5} more` : '';
  const summary = violation.nodes[0]?.failureSummary?.replace(/\s+/g, ' ').trim();
  const why = summary === undefined ? '' : `\n    first: ${summary}`;
  return `${violation.impact ?? 'unknown'} ${violation.id}: ${violation.help} (${violation.helpUrl})\n${targets}${more}${why}`;
}

/** Runs axe on the page as it is now and returns its violations. */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => (window as unknown as AxeWindow).axe !== undefined);
  if (!loaded) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const axe = (window as unknown as AxeWindow).axe;
    if (axe === undefined) throw new Error('axe-core did not load');
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.map(({ id, impact, help, helpUrl, nodes }) => ({
      id,
      impact,
      help,
      helpUrl,
      nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
    }));
  });
}

async function openPage(page: Page, hash: string, heading: string | RegExp): Promise<void> {
  await page.evaluate((target) => (window.location.hash = target), hash);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/** Starts the jobs the pages are checked with and waits until each is in the state it is shown in. */
async function startJobs(tab: ConsoleTab): Promise<Jobs> {
  const { page } = tab;
  const completed = await tab.startDemo(2, 200);
  await expect.poll(async () => (await tab.job(completed))?.status).toBe('completed');
  const paused = await tab.startDemo(40, 1_500);
  const running = await tab.startDemo(40, 1_500);

  await openPage(page, `#/jobs/${paused}`, /Demo task/);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect.poll(async () => (await tab.job(paused))?.status).toBe('paused');
  // A job that waits for the paused one, enqueued by the completed one: both pages list it.
  await seedJobs(page, [
    seededJob('a11y-dependent', 'Merge the paused output', {
      status: 'waiting',
      waitReason: 'dependencies',
      dependsOn: [paused],
      parentId: completed,
    }),
  ]);

  await openPage(page, '#/recipes', 'Recipes');
  await page.getByRole('button', { name: 'Paste an example' }).click();
  await page.getByRole('button', { name: 'Parse recipe' }).click();
  await expect(page.getByRole('region', { name: 'Recipe', exact: true })).toHaveAttribute('data-state', 'completed');

  await openPage(page, '#/schedules', 'Schedules');
  await page.getByLabel('Label').fill('Nightly export');
  await page.getByLabel('Job type').selectOption({ label: 'Export job history' });
  // Mid-screen, clear of the toasts the jobs above left at the bottom.
  const save = page.getByRole('button', { name: 'Save schedule' });
  await save.evaluate((button) => button.scrollIntoView({ block: 'center' }));
  await save.click();
  await expect(page.getByRole('table', { name: 'Schedules' })).toBeVisible();

  await openPage(page, '#/import', 'Import a bank statement');
  await page.getByRole('button', { name: 'Use sample statement' }).click();
  await page.getByRole('button', { name: 'Start categorization' }).click();
  await expect(
    page.getByRole('region', { name: 'Background jobs' }).locator('[role="progressbar"][data-state="running"]'),
  ).not.toHaveCount(0);
  return { running, paused, completed };
}

function annotate(testInfo: TestInfo, where: string, violations: readonly AxeViolation[]): void {
  for (const violation of violations) {
    testInfo.annotations.push({
      type: `axe ${violation.impact ?? 'unknown'}`,
      description: `${where}: ${describe(violation)}`,
    });
  }
}

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.name} width`, () => {
    test.use({ viewport: viewport.size, bypassCSP: true });

    for (const colorScheme of SCHEMES) {
      test(`axe finds no serious or critical violation on any page, ${colorScheme} scheme`, async ({
        consoleTab,
        page,
      }, testInfo) => {
        test.setTimeout(120_000);
        await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
        const jobs = await startJobs(consoleTab);

        for (const { name, hash, heading, ready } of pages(jobs)) {
          await test.step(name, async () => {
            await openPage(page, hash, heading);
            if (ready) await expect(ready(page)).toBeVisible();
            const violations = await axeViolations(page);
            const where = `${name} (${viewport.name}, ${colorScheme})`;
            annotate(
              testInfo,
              where,
              violations.filter((violation) => !BLOCKING.has(violation.impact)),
            );
            const blocking = violations.filter((violation) => BLOCKING.has(violation.impact));
            expect.soft(blocking.map(describe), `serious or critical axe violations on ${where}`).toEqual([]);
          });
        }
      });
    }
  });
}

/** Presses Tab until `target` has focus; fails after `limit` presses. */
async function tabTo(page: Page, target: Locator, limit = 80): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  expect(
    await target.evaluate((element) => element === document.activeElement),
    `Tab reaches ${target.toString()}`,
  ).toBe(true);
}

/** The focus indicator the focused element draws: its outline or a box shadow. */
async function focusIndicator(target: Locator): Promise<{ outline: string; boxShadow: string }> {
  return target.evaluate((element) => {
    const style = getComputedStyle(element);
    const outline =
      style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0
        ? 'none'
        : `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`;
    return { outline, boxShadow: style.boxShadow };
  });
}

async function expectReachableWithIndicator(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target);
  const indicator = await focusIndicator(target);
  expect(
    indicator.outline !== 'none' || indicator.boxShadow !== 'none',
    `${target.toString()} shows where the focus is (outline ${indicator.outline}, box-shadow ${indicator.boxShadow})`,
  ).toBe(true);
}

test.describe('keyboard', () => {
  test.use({ viewport: VIEWPORTS[1].size });

  for (const colorScheme of SCHEMES) {
    test(`Tab reaches the nav, the demo form, the pills and the job buttons with a visible focus, ${colorScheme} scheme`, async ({
      consoleTab,
      page,
    }) => {
      await page.emulateMedia({ colorScheme });
      const running = await consoleTab.startDemo(40, 1_500);
      const pill = page.getByRole('region', { name: 'Background jobs' }).locator(`a:has([data-job-id="${running}"])`);
      await expect(pill).toBeVisible();

      await page.reload();
      await expect(pill).toBeVisible();
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const name of ['Dashboard', 'Jobs', 'Recipes', 'Import CSV', 'Export', 'Settings']) {
        await expectReachableWithIndicator(page, nav.getByRole('link', { name, exact: true }));
      }
      await expectReachableWithIndicator(page, pill);
      await expectReachableWithIndicator(page, page.getByLabel('Steps', { exact: true }));
      await expectReachableWithIndicator(page, page.getByLabel('Step duration (ms)'));
      await expectReachableWithIndicator(page, page.getByRole('button', { name: 'Start demo task' }));

      await pill.focus();
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(new RegExp(`#/jobs/${running}$`));
      await expect(page.getByRole('heading', { level: 1, name: /Demo task/ })).toBeVisible();

      for (const name of ['Pause', 'Cancel', 'Remove']) {
        await expectReachableWithIndicator(page, page.getByRole('button', { name, exact: true }));
      }
      await page.getByRole('button', { name: 'Pause', exact: true }).focus();
      await page.keyboard.press('Enter');
      const resume = page.getByRole('button', { name: 'Resume', exact: true });
      await expect(resume).toBeVisible();
      await page.locator('main').focus();
      await expectReachableWithIndicator(page, resume);
    });
  }
});
