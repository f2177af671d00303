import type { BrowserContext, Locator, Page } from '@playwright/test';
import { CONSOLE_DB, ConsoleTab, RUNNER_LOCK, expect, seededJob, test, writeStore } from './fixtures';

// The words name times of day and days: the page's clock, zone and language are fixed, so each
// case reads the same whatever the day the test runs.
test.use({ timezoneId: 'UTC', locale: 'en-US' });

/** A Wednesday morning, the page's "now". */
const NOW = Date.UTC(2026, 5, 10, 9, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

interface WaitCase {
  readonly name: string;
  readonly fields: Record<string, unknown>;
  readonly long: string;
  readonly short: string;
  /** The full text is far wider than a 320 px phone's pill beside a "+1 more" pill. */
  readonly tooLongAt320?: true;
}

const waiting = (waitReason: string | undefined, runAt: number): Record<string, unknown> => ({
  status: 'waiting',
  runAt,
  wakeAt: runAt,
  ...(waitReason === undefined ? {} : { waitReason }),
});

/** Running for 5 minutes at 30%: 700 s more at that rate. */
const RUNNING: Record<string, unknown> = {
  status: 'running',
  updatedAt: NOW,
  history: [
    { status: 'queued', at: NOW - 10 * MINUTE },
    { status: 'running', at: NOW - 5 * MINUTE },
  ],
};

const CASES: readonly WaitCase[] = [
  {
    name: 'a retry within the hour',
    fields: waiting('retry', NOW + 95 * SECOND),
    long: 'Retrying in 1:35',
    short: 'Retry in 1:35',
  },
  {
    name: 'a retry hours away',
    fields: waiting('retry', NOW + 3 * HOUR),
    long: 'Retrying in 3:00:00',
    short: 'Retry 12:00',
  },
  { name: 'a retry due', fields: waiting('retry', NOW - SECOND), long: 'Retrying now', short: 'Retrying now' },
  {
    name: 'a rate limit lifting within two minutes',
    fields: waiting('rate_limit', NOW + 30 * SECOND),
    long: 'Rate limited until 09:00:30',
    short: 'Limit · 09:00',
    tooLongAt320: true,
  },
  {
    name: 'a rate limit lifting later today',
    fields: waiting('rate_limit', NOW + 5 * HOUR),
    long: 'Rate limited until 14:00',
    short: 'Limit · 14:00',
  },
  {
    name: 'a rate limit lifting tomorrow',
    fields: waiting('rate_limit', Date.UTC(2026, 5, 11, 7, 39)),
    long: 'Rate limited until tomorrow 07:39',
    short: 'Limit · Jun 11',
    tooLongAt320: true,
  },
  {
    name: 'a rate limit lifting on a later day',
    fields: waiting('rate_limit', Date.UTC(2026, 5, 19, 7, 39)),
    long: 'Rate limited until Jun 19, 07:39',
    short: 'Limit · Jun 19',
    tooLongAt320: true,
  },
  {
    name: 'a rate limit lifting now',
    fields: waiting('rate_limit', NOW - SECOND),
    long: 'Rate limit lifting',
    short: 'Limit lifting',
  },
  { name: 'the network', fields: waiting('offline', NOW), long: 'Offline', short: 'Offline' },
  {
    name: 'other jobs',
    fields: waiting('dependencies', NOW),
    long: 'Waiting for other jobs',
    short: 'Waits for jobs',
  },
  {
    name: 'a start within the hour',
    fields: waiting('scheduled', NOW + 30 * MINUTE),
    long: 'Starts in 30:00',
    short: 'Starts in 30:00',
  },
  {
    name: 'a start later today',
    fields: waiting('scheduled', NOW + 3 * HOUR),
    long: 'Scheduled for 12:00',
    short: 'Starts 12:00',
  },
  {
    name: 'a start tomorrow',
    fields: waiting('scheduled', Date.UTC(2026, 5, 11, 7, 39)),
    long: 'Scheduled for tomorrow 07:39',
    short: 'Starts Jun 11',
    tooLongAt320: true,
  },
  {
    name: 'a start on a later day',
    fields: waiting('scheduled', Date.UTC(2026, 5, 19, 7, 39)),
    long: 'Scheduled for Jun 19, 07:39',
    short: 'Starts Jun 19',
    tooLongAt320: true,
  },
  {
    name: 'a start next year',
    fields: waiting('scheduled', Date.UTC(2027, 0, 2, 7, 39)),
    long: 'Scheduled for Jan 2, 2027, 07:39',
    short: 'Starts Jan 2',
    tooLongAt320: true,
  },
  { name: 'a start due', fields: waiting('scheduled', NOW - SECOND), long: 'Starting', short: 'Starting' },
  { name: 'no reason given', fields: waiting(undefined, NOW + HOUR), long: 'Waiting', short: 'Waiting' },
  { name: 'a resume', fields: { status: 'paused' }, long: 'Paused', short: 'Paused' },
  { name: 'the time a running job has left', fields: RUNNING, long: 'about 12 min left', short: '~12 min left' },
];

/** A demo job created at `createdAt`, with `fields` laid over it. */
function job(id: string, label: string, createdAt: number, fields: Record<string, unknown>): Record<string, unknown> {
  const at = { rank: createdAt, runAt: createdAt, createdAt, updatedAt: createdAt };
  return seededJob(id, label, { ...at, history: [{ status: 'queued', at: createdAt }], ...fields });
}

/**
 * Holds the runner's lock from a page of its own: no tab runs jobs, so each seeded wait stays as
 * written (a due one is not started, one for the network is not woken).
 */
async function holdRunnerLock(context: BrowserContext): Promise<void> {
  const holder = await context.newPage();
  await holder.goto('/favicon.svg');
  await holder.evaluate(
    (name) =>
      new Promise<void>((resolve) => {
        void navigator.locks.request(name, () => {
          resolve();
          return new Promise<never>(() => undefined);
        });
      }),
    RUNNER_LOCK,
  );
}

/** What a pill's detail shows on screen: the one text a sighted user sees, and whether it is whole. */
interface ShownDetail {
  readonly texts: readonly string[];
  /** Every clipping box around the text holds it whole (no ellipsis, nothing cut). */
  readonly whole: boolean;
}

function shownDetail(pill: Locator): Promise<ShownDetail> {
  return pill.evaluate((body) => {
    const detail = body.querySelector('.pill-detail');
    if (!detail) return { texts: [], whole: false };
    const texts: string[] = [];
    let whole = true;
    const walker = document.createTreeWalker(detail, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim() ?? '';
      if (!parent || text === '' || !parent.checkVisibility({ visibilityProperty: true })) continue;
      texts.push(text);
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      for (let clip: Element | null = parent; clip && clip !== body; clip = clip.parentElement) {
        if (getComputedStyle(clip).overflowX === 'visible') continue;
        const room = clip.getBoundingClientRect();
        if (box.left < room.left - 0.5 || box.right > room.right + 0.5) whole = false;
        if (clip.scrollWidth > clip.clientWidth + 1) whole = false;
      }
    }
    return { texts, whole };
  });
}

/** The natural width of a text in the detail's font, and the room the pill gives the detail. */
function longFits(pill: Locator, long: string): Promise<boolean> {
  return pill.evaluate((body, long) => {
    const detail = body.querySelector('.pill-detail') as HTMLElement;
    const probe = document.createElement('span');
    probe.className = 'pill-detail';
    probe.style.cssText = 'position:absolute;visibility:hidden;overflow:visible';
    probe.textContent = long;
    detail.parentElement?.append(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width <= detail.getBoundingClientRect().width + 0.5;
  }, long);
}

async function openWith(page: Page, rows: readonly Record<string, unknown>[]): Promise<void> {
  const tab = new ConsoleTab(page);
  await writeStore(page, CONSOLE_DB, 'jobs', rows);
  await tab.open();
}

test('on a narrow phone a pill says why it waits, or the time it has left, in a short form that fits, in full where there is room', async ({
  context,
  page,
}) => {
  test.setTimeout(120_000);
  await holdRunnerLock(context);
  await page.clock.setFixedTime(NOW);
  await page.setViewportSize({ width: 320, height: 700 });
  await new ConsoleTab(page).open();
  for (const [index, each] of CASES.entries()) {
    // The case's job is the oldest active one, the first pill; a paused job beside it brings the
    // "+1 more" pill, as a phone shows with more than one job; the other cases' jobs are done.
    const rows = CASES.map((other, at) =>
      job(`wait-${at}`, 'Upload receipts', NOW - HOUR + at, at === index ? other.fields : { status: 'completed' }),
    );
    rows.push(job('beside', 'Import March', NOW - 30 * MINUTE, { status: 'paused' }));
    await page.setViewportSize({ width: 320, height: 700 });
    await openWith(page, rows);
    const pill = page.locator(`[role="progressbar"][data-job-id="wait-${index}"]`);
    await expect(page.getByRole('link', { name: '1 more background job' })).toBeVisible();
    await expect(pill, each.name).toHaveAttribute('aria-valuetext', `30%, Step 3 of 10, ${each.long}`);

    for (const width of [320, 360]) {
      await page.setViewportSize({ width, height: 700 });
      const fits = await longFits(pill, each.long);
      const expected = fits ? each.long : each.short;
      await expect
        .poll(() => shownDetail(pill), `${each.name} at ${width} px`)
        .toEqual({ texts: [expected], whole: true });
      if (width === 320 && each.tooLongAt320) expect(fits, `${each.name} at 320 px`).toBe(false);
      // The full text stays the pill's value and its link's name, whichever form shows.
      await expect(pill).toHaveAttribute('aria-valuetext', `30%, Step 3 of 10, ${each.long}`);
      await expect(
        page.getByRole('link', { name: `Upload receipts, 30%, Step 3 of 10, ${each.long}`, exact: true }),
      ).toBeVisible();
    }

    await page.setViewportSize({ width: 1280, height: 700 });
    await expect.poll(() => shownDetail(pill), `${each.name} at 1280 px`).toEqual({ texts: [each.long], whole: true });
  }
});

test('on a 320 px phone with jobs queued, "+1 more" says "+1" and the running pill beside it its time left, whole', async ({
  context,
  page,
}) => {
  await holdRunnerLock(context);
  await page.clock.setFixedTime(NOW);
  await page.setViewportSize({ width: 320, height: 700 });
  await new ConsoleTab(page).open();
  const queued = Array.from({ length: 12 }, (_, i) => {
    const at = NOW - 30 * MINUTE + i;
    return job(`queued-${i}`, `Queued ${i}`, at, {
      status: 'queued',
      progress: 0,
      step: undefined,
      completedSteps: 0,
      attempts: 0,
      queueKey: ['demo_steps', 1, at, at],
    });
  });
  await openWith(page, [
    job('run-1', 'Import March statements', NOW - HOUR, RUNNING),
    job('run-2', 'Export receipts', NOW - HOUR + 1, RUNNING),
    ...queued,
  ]);
  await expect(page.getByRole('link', { name: '12 queued jobs' })).toBeVisible();
  const more = page.getByRole('link', { name: '1 more background job' });
  await expect(more).toHaveText('+1', { useInnerText: true });
  const pill = page.locator('[role="progressbar"][data-job-id="run-1"]');
  await expect.poll(() => shownDetail(pill)).toEqual({ texts: ['~12 min left'], whole: true });
  // Where the bar has room the pill says it in full, and "+N more" too.
  await page.setViewportSize({ width: 720, height: 700 });
  await expect.poll(() => shownDetail(pill)).toEqual({ texts: ['about 12 min left'], whole: true });
  await page.setViewportSize({ width: 560, height: 700 });
  await expect(more).toHaveText('+1 more', { useInnerText: true });
});
