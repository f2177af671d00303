import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { CONSOLE_DB, readStore, type StoredJob } from './fixtures';

/**
 * The README's first command: `npm start` builds the Console, serves it and prints its address,
 * and nothing else on the way; the page it names opens and runs a job; Ctrl+C stops it.
 * It builds and serves beside the suite's own server: on the port after the example app's, into
 * a directory of its own.
 */
const port = Number(process.env['E2E_PORT'] ?? 4173) + 2;
const outDir = `${process.env['E2E_OUTDIR'] ?? 'dist'}-start`;

/** Everything the process printed so far, on both streams. */
function collectOutput(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return () => output;
}

test('npm start prints only that it builds and then the address, serves a Console that runs a job, and stops on SIGINT', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const start = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, PORT: String(port), OUT_DIR: outDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(start);
  const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
  try {
    const address = `http://127.0.0.1:${port}/`;
    // Its last line: the lines before it may come in chunks of their own.
    await expect.poll(output, { timeout: 150_000 }).toContain('Press Ctrl+C to stop.');
    // The build says nothing but that it builds: no warning buries the address.
    const lines = output()
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    expect(lines).toEqual(['Building the Job Console…', `Errand Job Console: ${address}`, 'Press Ctrl+C to stop.']);

    await page.goto(address);
    const panel = page.getByRole('region', { name: 'Try a demo task' });
    await panel.getByLabel('Steps', { exact: true }).fill('1');
    await panel.getByLabel('Step duration (ms)').fill('250');
    await panel.getByRole('button', { name: 'Start demo task' }).click();
    await expect(panel.getByRole('status')).toHaveText('Started Demo task (1 step).');
    await expect
      .poll(async () => (await readStore<StoredJob>(page, CONSOLE_DB, 'jobs')).map((job) => job.status))
      .toEqual(['completed']);
    await page.close();

    start.kill('SIGINT');
    expect(await exited).toBe(0);
  } finally {
    start.kill('SIGKILL');
    await rm(outDir, { recursive: true, force: true });
  }
});
