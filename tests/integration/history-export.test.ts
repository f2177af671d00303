import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixtures } from '../fixtures/job-types';
import { createHarness, type Harness } from '../helpers/harness';
import type { JobRecord } from '../../src/shared';
import type { ErrandDb } from '../../src/store';
import type { AnyJobType } from '../../src/worker';
import {
  createHistoryExport,
  historyExport,
  type HistoryExportResult,
  type ReadJobs,
} from '../../src/worker/handlers/history-export';

/** The history read over the store the way a runtime would offer it: keyset pages on `[createdAt, id]`. */
function storeReadJobs(db: ErrandDb): ReadJobs {
  return async ({ status, type, after, limit }) => {
    const from = after?.createdAt ?? -Infinity;
    const range =
      status !== undefined
        ? db.jobs.where('[status+createdAt]').between([status, from], [status, Infinity], true, true)
        : type !== undefined
          ? db.jobs.where('[type+createdAt]').between([type, from], [type, Infinity], true, true)
          : db.jobs.where('createdAt').between(from, Infinity, true, true);
    const matches = (job: JobRecord) =>
      (type === undefined || job.type === type) && (!after || job.createdAt > after.createdAt || job.id > after.id);
    const jobs = await range.filter(matches).limit(limit).toArray();
    const total = after ? undefined : await range.filter(matches).count();
    return total === undefined ? { jobs } : { jobs, total };
  };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setUp(waiting: number): Promise<{ harness: Harness; finished: JobRecord[] }> {
  const { types } = createFixtures();
  const exportType = createHistoryExport(() => storeReadJobs(current().runtime.store.db)) as AnyJobType;
  harness = createHarness({ types: [...types, exportType] });
  await harness.runtime.store.db.settings.put({ key: 'ai', value: { apiKey: 'sk-settings-secret' } });
  const completed = await harness.client.enqueue('sleep', {
    value: { total: 3, apiKey: 'sk-job-secret', nested: [{ password: 'hunter2' }] },
  });
  const failed = await harness.client.enqueue('fail-n-times', { failures: 5, kind: 'permanent' });
  const finished = [await harness.client.waitFor(completed.id), await harness.client.waitFor(failed.id)];
  await harness.client.enqueueMany(
    Array.from({ length: waiting }, (_, i) => ({
      type: 'sleep',
      payload: { value: i },
      options: { delayMs: 3_600_000, label: `Later ${i}` },
    })),
  );
  return { harness, finished };
}

function current(): Harness {
  if (!harness) throw new Error('no harness');
  return harness;
}

async function exported(
  h: Harness,
  format: 'json' | 'csv',
  extra: Record<string, unknown> = {},
): Promise<{ job: JobRecord; text: string }> {
  const job = await h.client.enqueue('history_export', { format, ...extra });
  const done = await h.client.waitFor(job.id);
  expect(done.status).toBe('completed');
  const file = (await h.client.files(job.id))[0];
  expect(file?.name).toBe(`job-history.${format}`);
  expect(file?.id).toBe((done.result as HistoryExportResult).fileId);
  // A CSV begins with a UTF-8 byte order mark (for spreadsheet programs), which decoding drops.
  const head = [...new Uint8Array(await (file as { blob: Blob }).blob.slice(0, 3).arrayBuffer())];
  if (format === 'csv') expect(head).toEqual([0xef, 0xbb, 0xbf]);
  else expect(head[0]).toBe('{'.charCodeAt(0));
  return { job: done, text: await (file as { blob: Blob }).blob.text() };
}

const inOrder = (jobs: JobRecord[]) =>
  [...jobs].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe('history_export', () => {
  it('exports every job as JSON in pages, oldest first, without the export itself or any secret', async () => {
    const { harness: h } = await setUp(1234);
    const { job, text } = await exported(h, 'json');
    const all = inOrder((await h.client.list({ limit: 5000 })).filter((j) => j.id !== job.id));
    expect(all).toHaveLength(1236);

    const parsed = JSON.parse(text) as {
      format: string;
      count: number;
      jobs: { id: string; status: string; result: unknown; error: unknown; createdAt: string }[];
    };
    expect(parsed.format).toBe('errand-job-history');
    expect(parsed.count).toBe(1236);
    expect(parsed.jobs.map((j) => j.id)).toEqual(all.map((j) => j.id));
    expect(job.result).toMatchObject({ format: 'json', jobs: 1236, bytes: new Blob([text]).size });

    const completed = parsed.jobs.find((j) => j.status === 'completed');
    expect(completed?.result).toEqual({ total: 3, apiKey: '[redacted]', nested: [{ password: '[redacted]' }] });
    expect(parsed.jobs.find((j) => j.status === 'failed')?.error).toEqual({
      code: 'permanent',
      message: 'broken for good',
    });
    expect(completed?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(text).not.toMatch(/sk-job-secret|sk-settings-secret|hunter2/);
    expect(text).not.toContain('"payload"');
  });

  it('exports CSV with one row per job, filtered by status', async () => {
    const { harness: h, finished } = await setUp(600);
    const { text } = await exported(h, 'csv', { status: 'waiting' });
    const [header, ...rows] = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' }).data;
    expect(header?.slice(0, 4)).toEqual(['id', 'type', 'label', 'status']);
    expect(rows).toHaveLength(600);
    expect(rows.every((row) => row[3] === 'waiting' && row.length === header?.length)).toBe(true);
    expect(rows.map((row) => row[2])).toEqual(
      inOrder(await h.client.list({ status: 'waiting', limit: 1000 })).map((j) => j.label),
    );

    const { text: all } = await exported(h, 'csv', { includePayloads: true });
    const parsed = Papa.parse<string[]>(all.trimEnd(), { newline: '\r\n' }).data;
    expect(parsed[0]?.at(-1)).toBe('payload');
    expect(parsed).toHaveLength(1 + 600 + finished.length + 1);
    expect(all).not.toMatch(/sk-job-secret|sk-settings-secret|hunter2/);
  });

  it('exports the jobs each job depends on, and its parent', async () => {
    const { harness: h, finished } = await setUp(0);
    const done = finished[0] as JobRecord;
    const after = await h.client.enqueue('sleep', {}, { label: 'After', dependsOn: [done.id], parentId: done.id });
    await h.client.waitFor(after.id);

    const { text } = await exported(h, 'json');
    const { jobs } = JSON.parse(text) as { jobs: { id: string; dependsOn: string[]; parentId: string | null }[] };
    expect(jobs.find((job) => job.id === after.id)).toMatchObject({ dependsOn: [done.id], parentId: done.id });
    expect(jobs.find((job) => job.id === done.id)).toMatchObject({ dependsOn: [], parentId: null });

    const { text: csv } = await exported(h, 'csv');
    const [header = [], ...rows] = Papa.parse<string[]>(csv.trimEnd(), { newline: '\r\n' }).data;
    const column = header.indexOf('dependsOn');
    expect(column).toBe(header.indexOf('parentId') + 1);
    expect(rows.find((row) => row[0] === after.id)?.[column]).toBe(done.id);
    expect(rows.find((row) => row[0] === done.id)?.[column]).toBe('');
  });

  it('exports twenty thousand jobs in pages', { timeout: 60_000 }, async () => {
    const { types } = createFixtures();
    harness = createHarness({
      types: [...types, createHistoryExport(() => storeReadJobs(current().runtime.store.db))],
    });
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      id: `job-${String(i).padStart(6, '0')}`,
      type: 'sleep',
      label: `Job ${i}`,
      status: 'completed' as const,
      priority: 'normal' as const,
      rank: i,
      payload: {},
      result: i,
      progress: 1,
      completedSteps: 0,
      attempts: 1,
      maxAttempts: 3,
      runAt: 0,
      createdAt: 1_000 + i,
      updatedAt: 1_000 + i,
      history: [],
    }));
    await harness.runtime.store.db.jobs.bulkAdd(rows);
    const { job, text } = await exported(harness, 'csv');
    expect(job.result).toMatchObject({ jobs: 20_000 });
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(20_001);
    expect(lines[1]?.startsWith('job-000000,')).toBe(true);
    expect(lines[20_000]?.startsWith('job-019999,')).toBe(true);
  });

  it('refuses an unknown format at enqueue', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types: [...types, historyExport] });
    await expect(harness.client.enqueue('history_export', { format: 'xml' })).rejects.toMatchObject({
      code: 'invalid-payload',
    });
    await expect(harness.client.enqueue('history_export', { format: 'json', status: 'done' })).rejects.toMatchObject({
      code: 'invalid-payload',
    });
    expect(await harness.client.count()).toBe(0);
  });

  it('reads the history through the runtime it runs in', async () => {
    const { types } = createFixtures();
    harness = createHarness({ types: [...types, historyExport] });
    await harness.client.enqueueMany(
      Array.from({ length: 700 }, (_, i) => ({
        type: 'sleep',
        payload: { value: i },
        options: { delayMs: 60_000, label: `Later ${i}` },
      })),
    );
    const { job, text } = await exported(harness, 'json', { status: 'waiting' });
    const parsed = JSON.parse(text) as { count: number; jobs: { label: string }[] };
    expect(parsed.count).toBe(700);
    expect(parsed.jobs.map((j) => j.label)).toEqual(
      inOrder(await harness.client.list({ status: 'waiting', limit: 1000 })).map((j) => j.label),
    );
    expect(job.result).toMatchObject({ jobs: 700 });
  });
});
