import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startRecordedStub } from './helpers/ai-stub';
import { FAULTS, percentiles, runCrashLoop } from './helpers/crash-loop';
import { runSeed } from './helpers/seed';

const ITERATIONS = Number(process.env['RELIABILITY_ITERATIONS'] ?? 20);
const JOBS_PER_ITERATION = Number(process.env['RELIABILITY_JOBS'] ?? 16);

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
  } finally {
    await stub.close();
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined);
  }
});
