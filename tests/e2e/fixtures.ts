import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test as base, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';

/** The Console's IndexedDB database. */
export const CONSOLE_DB = 'errand-console';
/** The Web Lock held by the one worker that runs jobs for every tab of the Console. */
export const RUNNER_LOCK = `errand-runner:${CONSOLE_DB}`;

/** A job record as stored, reduced to what the browser tests look at. */
export interface StoredJob {
  readonly id: string;
  readonly type: string;
  readonly label: string;
  readonly status: 'queued' | 'running' | 'waiting' | 'paused' | 'completed' | 'failed' | 'cancelled';
  readonly progress: number;
  readonly completedSteps: number;
  readonly checkpoint?: { readonly next?: number };
  readonly attempts: number;
  readonly interruptions?: number;
  readonly payload: unknown;
  readonly history: readonly { readonly status: string; readonly at: number; readonly code?: string }[];
  readonly createdAt: number;
}

/** An entry of the step journal: `runs` counts how many times the step body started. */
export interface StoredStep {
  readonly jobId: string;
  readonly name: string;
  readonly status: 'running' | 'completed' | 'failed';
  readonly runs: number;
}

/** What `navigator.locks.query()` shows for one lock name. */
export interface LockCount {
  readonly held: number;
  readonly pending: number;
}

/**
 * Every row of one object store, or only the row with `key`, read in the page with the raw
 * IndexedDB API. The database is opened without a version, so this never upgrades it, and a
 * database that does not exist yet is not created: the rows are then `[]`, as they are for a
 * store that does not exist.
 */
export function readStore<T>(page: Page, dbName: string, storeName: string, key?: string): Promise<T[]> {
  return page.evaluate(
    ({ dbName, storeName, key }) =>
      new Promise<T[]>((resolve, reject) => {
        const request = indexedDB.open(dbName);
        let created = false;
        request.onupgradeneeded = () => {
          created = true;
          request.transaction?.abort();
        };
        request.onerror = (event) => {
          if (created) {
            event.preventDefault();
            resolve([]);
          } else reject(request.error ?? new Error(`Could not open ${dbName}`));
        };
        request.onsuccess = () => {
          const db = request.result;
          db.onversionchange = () => db.close();
          if (!db.objectStoreNames.contains(storeName)) {
            db.close();
            resolve([]);
            return;
          }
          const read = db.transaction(storeName, 'readonly').objectStore(storeName).getAll(key);
          read.onsuccess = () => {
            db.close();
            resolve(read.result as T[]);
          };
          read.onerror = () => {
            db.close();
            reject(read.error ?? new Error(`Could not read ${storeName}`));
          };
        };
      }),
    { dbName, storeName, key },
  );
}

/**
 * Puts rows into one object store of a database the page already opened, with the raw
 * IndexedDB API: records as an earlier session would have left them. The write bypasses
 * Dexie, so live queries do not hear of it: load the page afresh to see the rows.
 */
export function writeStore(page: Page, dbName: string, storeName: string, rows: readonly unknown[]): Promise<void> {
  return page.evaluate(
    async ({ dbName, storeName, rows }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(dbName);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error(`Could not open ${dbName}`));
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(storeName, 'readwrite');
        for (const row of rows) tx.objectStore(storeName).put(row);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error(`Could not write ${storeName}`));
      });
      db.close();
    },
    { dbName, storeName, rows },
  );
}

/** How many locks of this name are held and waited for across the origin (every tab and worker). */
export function countLocks(page: Page, name: string): Promise<LockCount> {
  return page.evaluate(async (name) => {
    const snapshot = await navigator.locks.query();
    return {
      held: (snapshot.held ?? []).filter((lock) => lock.name === name).length,
      pending: (snapshot.pending ?? []).filter((lock) => lock.name === name).length,
    };
  }, name);
}

/** The Console in one tab: its demo form and a view of its store. */
export class ConsoleTab {
  constructor(readonly page: Page) {}

  /** Opens the dashboard and waits until the app is mounted. */
  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByRole('region', { name: 'Background jobs' })).toBeAttached();
    await expect(this.page.getByRole('button', { name: 'Start demo task' })).toBeVisible();
  }

  jobs(): Promise<StoredJob[]> {
    return readStore<StoredJob>(this.page, CONSOLE_DB, 'jobs');
  }

  async job(id: string): Promise<StoredJob | undefined> {
    return (await this.jobs()).find((job) => job.id === id);
  }

  /** The step journal, of one job or of all of them. */
  async steps(jobId?: string): Promise<StoredStep[]> {
    const steps = await readStore<StoredStep>(this.page, CONSOLE_DB, 'steps');
    return jobId === undefined ? steps : steps.filter((step) => step.jobId === jobId);
  }

  /** Starts a demo task through the form and returns its job id once it is stored. */
  async startDemo(steps: number, stepMs: number): Promise<string> {
    const before = new Set((await this.jobs()).map((job) => job.id));
    await this.page.getByLabel('Steps', { exact: true }).fill(String(steps));
    await this.page.getByLabel('Step duration (ms)').fill(String(stepMs));
    await this.page.getByRole('button', { name: 'Start demo task' }).click();
    let id: string | undefined;
    await expect
      .poll(async () => {
        id = (await this.jobs()).find((job) => !before.has(job.id) && job.type === 'demo_steps')?.id;
        return id;
      })
      .toBeDefined();
    return id as string;
  }

  runnerLocks(): Promise<LockCount> {
    return countLocks(this.page, RUNNER_LOCK);
  }
}

/** A browser with an on-disk profile, which survives closing and relaunching it. */
export interface PersistentBrowser {
  readonly context: BrowserContext;
  /** Closes the browser; the profile stays on disk for the next launch. */
  close(): Promise<void>;
  /**
   * Kills the browser's processes with SIGKILL, as a crash or a power cut would: no unload, no
   * shutdown. Resolves once Playwright has seen the browser go and no process of it is left on
   * the profile (none then holds its files when the browser starts again on it).
   */
  kill(): Promise<void>;
  /** Chromium's own log of this launch, when asked for (`logFile`); empty until it writes one. */
  log(): Promise<string>;
}

/** The ids of the processes running Chromium on this profile directory (Linux: read from /proc). */
async function browserProcesses(userDataDir: string): Promise<number[]> {
  const flag = `--user-data-dir=${userDataDir}`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.split('\0').includes(flag)) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Launches Chromium on a profile directory, with the command line of every other test. A
 * context from `browser.newContext()` is incognito: its IndexedDB lives in memory and does not
 * survive the browser, so tests that close or kill the browser need this one.
 */
export async function launchPersistent(
  userDataDir: string,
  baseURL: string,
  options: {
    /** A file for Chromium's own log of this launch (what its storage says on opening a store). */
    readonly logFile?: string;
  } = {},
): Promise<PersistentBrowser> {
  const executablePath = findChromium();
  if (executablePath === undefined) throw new Error('No Chromium found: run `node scripts/ensure-chromium.mjs`');
  const { logFile } = options;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    args: [...CHROMIUM_ARGS, ...(logFile === undefined ? [] : ['--enable-logging', `--log-file=${logFile}`])],
    headless: true,
    baseURL,
  });
  const closed = new Promise<void>((resolve) => context.once('close', () => resolve()));
  return {
    context,
    close: () => context.close(),
    async kill() {
      const pids = await browserProcesses(userDataDir);
      if (pids.length === 0) throw new Error(`No browser process found on ${userDataDir}`);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone with its parent.
        }
      }
      await closed;
      for (let polls = 0; (await browserProcesses(userDataDir)).length > 0; polls++) {
        if (polls >= 200) throw new Error(`The killed browser's processes on ${userDataDir} did not exit`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    log: async () => (logFile === undefined ? '' : await readFile(logFile, 'utf8').catch(() => '')),
  };
}

interface Fixtures {
  /** The Console opened in the test's page. */
  consoleTab: ConsoleTab;
  /** Opens the Console in another tab of the test's browser context (same origin, same store). */
  openTab: () => Promise<ConsoleTab>;
  /** An empty profile directory, removed after the test. */
  userDataDir: string;
  /** Launches a browser on `userDataDir`; every browser launched this way is closed after the test. */
  launchOnProfile: () => Promise<PersistentBrowser>;
}

export const test = base.extend<Fixtures>({
  consoleTab: async ({ page }, use) => {
    const tab = new ConsoleTab(page);
    await tab.open();
    await use(tab);
  },
  openTab: async ({ context }, use) => {
    await use(async () => {
      const tab = new ConsoleTab(await context.newPage());
      await tab.open();
      return tab;
    });
  },
  userDataDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'errand-profile-'));
    try {
      await use(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  launchOnProfile: async ({ userDataDir, baseURL }, use) => {
    const launched: PersistentBrowser[] = [];
    await use(async () => {
      const browser = await launchPersistent(userDataDir, baseURL ?? '/');
      launched.push(browser);
      return browser;
    });
    await Promise.all(launched.map((browser) => browser.close().catch(() => undefined)));
  },
});

export { expect };

/** Where the card named `name` and the sticky header and pill bar above the page are on screen (px). */
export function cardPlace(page: Page, name: string) {
  return page.evaluate((name) => {
    const card = document.querySelector(`section[aria-label="${name}"]`)!.getBoundingClientRect();
    return {
      top: card.top,
      bottom: card.bottom,
      barBottom: document.querySelector('.app-top')!.getBoundingClientRect().bottom,
      height: window.innerHeight,
      scrollY: window.scrollY,
    };
  }, name);
}

/** True when the whole card named `name` is on screen, clear of the header and pill bar where they stay. */
export async function cardInSight(page: Page, name: string): Promise<boolean> {
  const place = await cardPlace(page, name);
  // A header scrolled away with the page (a short window) covers nothing.
  return place.top >= Math.max(place.barBottom, 0) && place.bottom <= place.height;
}

/** Writes job records straight into the store, as a previous session of the app would have left them. */
export function seedJobs(page: Page, rows: readonly Record<string, unknown>[]): Promise<void> {
  return writeStore(page, CONSOLE_DB, 'jobs', rows);
}

/** A demo job's record as a previous session would have stored it, with `fields` laid over it. */
export function seededJob(id: string, label: string, fields: Record<string, unknown>): Record<string, unknown> {
  const at = Date.now() - 5_000;
  return {
    id,
    type: 'demo_steps',
    label,
    priority: 'normal',
    rank: at,
    payload: { steps: 10, stepMs: 1000 },
    progress: 0.3,
    step: 'Step 3 of 10',
    completedSteps: 3,
    attempts: 1,
    maxAttempts: 3,
    runAt: at,
    createdAt: at,
    updatedAt: at,
    history: [{ status: 'queued', at }],
    ...fields,
  };
}
