import { describe, expect, it } from 'vitest';
import type { ProgressUpdate } from '../../src/store';
import { ProgressReporter } from '../../src/worker/progress-reporter';
import { ManualClock } from '../helpers/manual-clock';

/** Lets writes queued behind earlier ones run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

function reporter(clock: ManualClock) {
  const writes: ProgressUpdate[] = [];
  const progress = new ProgressReporter(clock, 250, (update) => {
    writes.push(update);
    return Promise.resolve();
  });
  return { progress, writes };
}

describe('progress reporter', () => {
  it('writes nothing for an attempt that ends within the first interval', async () => {
    const clock = new ManualClock();
    const { progress, writes } = reporter(clock);
    for (let i = 1; i <= 10; i++) progress.report({ progress: i / 10 });
    clock.advance(249);
    await progress.stop();
    expect(writes).toEqual([]);
  });

  it('writes the latest value once per interval, the first one interval after the start', async () => {
    const clock = new ManualClock();
    const { progress, writes } = reporter(clock);
    progress.report({ progress: 0.1 });
    progress.report({ progress: 0.2, step: 'b' });
    expect(writes).toEqual([]);
    clock.advance(250);
    await settled();
    expect(writes).toEqual([{ progress: 0.2, step: 'b' }]);
    progress.report({ progress: 0.3 });
    clock.advance(100);
    progress.report({ progress: 0.4 });
    await settled();
    expect(writes).toHaveLength(1);
    clock.advance(150);
    await settled();
    expect(writes).toEqual([{ progress: 0.2, step: 'b' }, { progress: 0.4 }]);
    await progress.stop();
  });
});
