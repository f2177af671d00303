#!/usr/bin/env node
/**
 * The long crash loop: runs tests/reliability/crash-loop.spec.ts with many iterations against
 * the built Console and prints its figures as a table.
 *
 * Usage: npm run soak -- [--iterations 500] [--seed N] [--jobs 24] [--faults close,crash,reload,sigkill]
 * Environment: E2E_PORT (default 4187) and E2E_OUTDIR (default dist-rel), as for the browser tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '500' },
    seed: { type: 'string' },
    jobs: { type: 'string', default: '24' },
    faults: { type: 'string' },
  },
});
for (const [name, value] of Object.entries(values)) {
  if (name === 'faults') {
    if (value !== undefined && !/^(close|crash|reload|sigkill)(,(close|crash|reload|sigkill))*$/.test(value)) {
      console.error(`--faults takes close, crash, reload and sigkill, comma-separated, got "${value}"`);
      process.exit(2);
    }
    continue;
  }
  if (value !== undefined && !/^\d+$/.test(value)) {
    console.error(`--${name} must be a whole number, got "${value}"`);
    process.exit(2);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'errand-soak-'));
const reportPath = join(dir, 'report.json');
const env = {
  ...process.env,
  E2E_PORT: process.env.E2E_PORT ?? '4187',
  E2E_OUTDIR: process.env.E2E_OUTDIR ?? 'dist-rel',
  RELIABILITY_ITERATIONS: values.iterations,
  RELIABILITY_JOBS: values.jobs,
  RELIABILITY_REPORT: reportPath,
  ...(values.seed !== undefined ? { RELIABILITY_SEED: values.seed } : {}),
  ...(values.faults !== undefined ? { RELIABILITY_FAULTS: values.faults } : {}),
};
const run = spawnSync(
  process.execPath,
  [
    'node_modules/@playwright/test/cli.js',
    'test',
    'tests/reliability/crash-loop.spec.ts',
    '--workers',
    '1',
    '--reporter',
    'line',
  ],
  { env, stdio: 'inherit' },
);

let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch {
  console.error('The crash loop wrote no report (see its output above).');
  process.exit(run.status ?? 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** @param {number[]} values */
function percentile(values, q) {
  if (values.length === 0) return '–';
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]} ms`;
}

const takeovers = Object.values(report.takeoverMs).flat();
const rows = [
  ['seed', report.seed],
  ['iterations', report.iterations],
  [
    'faults',
    Object.entries(report.faults)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', '),
  ],
  ['jobs', report.jobs],
  ['lost', report.lost],
  ['duplicate completions', report.duplicateCompletions],
  ['duplicate step runs (in flight at a fault)', report.repeatedSteps],
  ['finished steps run again', report.rerunFinishedSteps],
  ['steps in flight started 3+ times', report.stepsStartedThrice?.length ?? 0],
  ['extra AI calls (in flight at a fault)', report.extraAiCalls],
  ['extra AI calls not explained by a fault', report.unexplainedAiCalls],
  [
    'stores Chromium deleted as corrupted (reported)',
    `${report.storesDeletedByBrowser?.length ?? 0}, with ${report.jobsGoneWithStore ?? 0} acknowledged jobs`,
  ],
  ['takeover p50 / p95 (all faults)', `${percentile(takeovers, 0.5)} / ${percentile(takeovers, 0.95)}`],
  ...Object.entries(report.takeoverMs).map(([kind, list]) => [
    `  after ${kind}`,
    `${percentile(list, 0.5)} / ${percentile(list, 0.95)}`,
  ]),
];
const width = Math.max(...rows.map(([label]) => String(label).length));
console.log('');
for (const [label, value] of rows) console.log(`${String(label).padEnd(width)}  ${value}`);
for (const deletion of report.storesDeletedByBrowser ?? []) console.log(`  ${deletion}`);
if (report.problems.length > 0) {
  console.log(`\n${report.problems.length} problems:`);
  for (const problem of report.problems) console.log(`  ${problem}`);
}
process.exit(run.status ?? 1);
