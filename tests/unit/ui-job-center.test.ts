import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src/client';
import { summarize } from '../../src/ui/routes/bulk-summary';
import { compareRunOrder, placement } from '../../src/ui/routes/run-order';
import { queuedJob } from '../helpers/queued-job';

const job = queuedJob;

describe('run order', () => {
  const list = [job('a', 'high', 5), job('b', 'normal', 1), job('c', 'normal', 2), job('d', 'low', 0)];

  it('sorts by priority, then rank, then age', () => {
    expect(
      [...list]
        .reverse()
        .sort(compareRunOrder)
        .map((j) => j.id),
    ).toEqual(['a', 'b', 'c', 'd']);
  });

  it('places a moved job between its new neighbours, taking their priority', () => {
    expect(placement(list, 2, 1)).toEqual({ priority: 'normal', rank: 0 });
    expect(placement(list, 3, 2)).toEqual({ priority: 'normal', rank: 1.5 });
    expect(placement(list, 3, 0)).toEqual({ priority: 'high', rank: 4 });
    expect(placement(list, 0, 4)).toEqual({ priority: 'low', rank: 1 });
    expect(placement(list, 1, 1)).toBeUndefined();
    expect(placement(list, 1, 2)).toBeUndefined();
  });
});

describe('bulk summary', () => {
  it('says what changed and why the rest were skipped', () => {
    const changed = [job('a', 'normal', 1)];
    expect(summarize('Retry', { changed, skipped: [] })).toBe('Retried 1 job.');
    expect(
      summarize('Pause', {
        changed: [],
        skipped: [
          { id: 'x', code: 'invalid-transition' },
          { id: 'y', code: 'invalid-transition' },
        ],
      }),
    ).toBe('Paused 0 jobs. Skipped 2: not in a state that allows it.');
    expect(
      summarize('Remove', {
        changed,
        skipped: [
          { id: 'x', code: 'invalid-transition' },
          { id: 'y', code: 'not-found' },
        ],
      }),
    ).toBe('Removed 1 job. Skipped 2: 1 not in a state that allows it; 1 no longer exists.');
  });

  it('writes large counts with their thousands separated, as the confirmation before them does', () => {
    const many = (n: number, code: string) => Array.from({ length: n }, (_, i) => ({ id: `${code}-${i}`, code }));
    const changed = Array.from({ length: 10_000 }, (_, i) => job(`c${i}`, 'normal', i));
    expect(
      summarize('Remove', { changed, skipped: [...many(1_200, 'invalid-transition'), ...many(1_500, 'not-found')] }),
    ).toBe('Removed 10,000 jobs. Skipped 2,700: 1,200 not in a state that allows it; 1,500 no longer exist.');
  });

  it('says which statuses refused the command, when the statuses of the skipped jobs are known', () => {
    const statuses: Record<string, JobStatus> = { a: 'completed', b: 'completed', c: 'failed' };
    const statusOf = (id: string) => statuses[id];
    expect(
      summarize(
        'Pause',
        {
          changed: [],
          skipped: ['a', 'b', 'c'].map((id) => ({ id, code: 'invalid-transition' })),
        },
        statusOf,
      ),
    ).toBe('Paused 0 jobs. Skipped 3: 2 completed, 1 failed.');
    expect(
      summarize(
        'Pause',
        {
          changed: [],
          skipped: [
            { id: 'a', code: 'invalid-transition' },
            { id: 'gone', code: 'not-found' },
          ],
        },
        statusOf,
      ),
    ).toBe('Paused 0 jobs. Skipped 2: 1 completed; 1 no longer exists.');
    // A status this tab does not know: the general reason.
    expect(
      summarize('Pause', { changed: [], skipped: [{ id: 'unknown', code: 'invalid-transition' }] }, statusOf),
    ).toBe('Paused 0 jobs. Skipped 1: not in a state that allows it.');
  });
});
