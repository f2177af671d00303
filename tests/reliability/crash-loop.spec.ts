import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startRecordedStub } from './helpers/ai-stub';
import { FAULTS, percentiles, runCrashLoop, type Fault } from './helpers/crash-loop';
import { runSeed } from './helpers/seed';

const ITERATIONS = Number(process.env['RELIABILITY_ITERATIONS'] ?? 20);
const JOBS_PER_ITERATION = Number(process.env['RELIABILITY_JOBS'] ?? 16);

/** `RELIABILITY_FAULTS`: the faults to pick from, comma-separated (all of them unless set). */
function chosenFaults(): readonly Fault[] {
  const given = process.env['RELIABILITY_FAULTS'];
  if (given === undefined || given === '') return FAULTS;
  const names = given.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(FAULTS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`RELIABILITY_FAULTS takes ${FAULTS.join(', ')} (comma-separated), got "${given}"`);
  return names as Fault[];
}

/**
 * Keeps what the browser said about its stores: Chromium's log of each launch and LevelDB's own
 * logs of the IndexedDB and localStorage stores (recoveries, corruption), for a failed run.
 */
async function keepBrowserLogs(userDataDir: string, into: string): Promise<void> {
  await mkdir(into, { recursive: true });
  const copy = (from: string, name: string) => cp(join(userDataDir, from), join(into, name)).catch(() => undefined);
  for (const file of await readdir(userDataDir).catch(() => [])) if (file.endsWith('.log')) await copy(file, file);
  for (const store of await readdir(join(userDataDir, 'Default', 'IndexedDB')).catch(() => []))
    for (const file of ['LOG', 'LOG.old']) await copy(join('Default', 'IndexedDB', store, file), `indexeddb-${file}`);
  for (const file of ['LOG', 'LOG.old'])
    await copy(join('Default', 'Local Storage', 'leveldb', file), `local-storage-${file}`);
}

test('crash loop: no acknowledged job lost or completed twice, finished steps and answers kept', async ({
  baseURL,
}) => {
  // Each iteration's own bounds (a takeover within 20 s, every job terminal within 60 s) are the
  // checks; the whole test's bound only catches a hang. 15 s an iteration was too tight for a
  // loaded machine running the 100,000-job test beside it (runs took 4.5 min and more there).
  test.setTimeout(Math.max(120_000, ITERATIONS * 25_000));
  const random = runSeed('crash-loop');
  const userDataDir = await mkdtemp(join(tmpdir(), 'errand-crash-loop-'));
  const stub = await startRecordedStub();
  const reportPath = process.env['RELIABILITY_REPORT'];
  try {
    const report = await runCrashLoop({
      baseURL: baseURL ?? '/',
      userDataDir,
      iterations: ITERATIONS,
      jobsPerIteration: JOBS_PER_ITERATION,
      random,
      faults: chosenFaults(),
      stub,
      log: process.env['RELIABILITY_VERBOSE'] === '1' ? (line) => console.log(line) : undefined,
      onIteration: async (soFar) => {
        if (reportPath) await writeFile(reportPath, JSON.stringify(soFar));
      },
    });
    const takeover = Object.fromEntries(FAULTS.map((fault) => [fault, percentiles(report.takeoverMs[fault])]));
    console.log(`[crash-loop] ${JSON.stringify({ ...report, takeoverMs: takeover })}`);
    expect(report.iterations).toBe(ITERATIONS);
    expect(report.problems, `seed ${random.seed}`).toEqual([]);
  } catch (error) {
    await keepBrowserLogs(userDataDir, test.info().outputPath('browser-logs'));
    throw error;
  } finally {
    await stub.close();
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined);
  }
});
