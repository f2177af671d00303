import { expect, test } from '@playwright/test';
import { callWorkerOk, instrumentContext } from './helpers/errand-page';
import { readJobs } from './helpers/store-state';
import { openConsoleTab } from './helpers/tabs';

/**
 * A call the worker cannot read: Chromium serializes a value nested 2,500 deep on the page's
 * stack and then fails to read it on the worker's smaller one, delivering a message without data.
 * The worker answers the marked call with its number instead of leaving it unanswered.
 */
test('a call nested too deeply for the worker to read is answered as unreadable, and the worker goes on', async ({
  context,
}) => {
  await instrumentContext(context);
  const page = await openConsoleTab(context);

  const answer = await page.evaluate(
    () =>
      new Promise<unknown>((resolve, reject) => {
        const worker = (window as unknown as { __errandWorkers: Worker[] }).__errandWorkers[0];
        if (!worker) {
          reject(new Error('The Console started no worker'));
          return;
        }
        let deep: unknown = 'bottom';
        for (let i = 0; i < 2_500; i++) deep = { a: deep };
        const onMessage = (event: MessageEvent<unknown>) => {
          const data = event.data as Record<string, unknown> | null;
          if (data && '__errandUnreadable' in data) {
            worker.removeEventListener('message', onMessage);
            resolve(data);
          }
        };
        worker.addEventListener('message', onMessage);
        worker.postMessage({ __errandCall: 4_242 });
        worker.postMessage({
          id: 'unreadable-call',
          type: 'APPLY',
          path: ['enqueue'],
          argumentList: [{ type: 'RAW', value: { type: 'demo_steps', payload: deep } }],
        });
      }),
  );
  expect(answer).toEqual({ __errandUnreadable: 4_242 });

  // Nothing was stored, and the worker answers the next call.
  expect(await readJobs(page)).toEqual([]);
  const job = await callWorkerOk<{ id: string; status: string }>(page, 'enqueue', [
    { type: 'demo_steps', payload: { steps: 1, stepMs: 10 } },
  ]);
  expect(job.status).toBe('queued');
});
