import { describe, expect, it } from 'vitest';
import { FEED_MESSAGE_JOBS, feedMessages, summarizeJob, type JobRecord } from '../../src/shared';
import { jobRecord } from '../fixtures/job-record';

const jobs = (count: number): JobRecord[] =>
  Array.from({ length: count }, (_, i) => jobRecord(`j${i}`, 'running', { payload: { big: i }, updatedAt: i }));

describe('feedMessages', () => {
  it('tells a small transaction in one message, without payloads', () => {
    const changed = jobs(3);
    expect(feedMessages(changed, ['gone'], 42)).toEqual([
      { kind: 'jobs', committedAt: 42, jobs: changed.map(summarizeJob), removed: ['gone'] },
    ]);
  });

  it(`splits a large one into messages of at most ${FEED_MESSAGE_JOBS} jobs, in order, removals in the last`, () => {
    const changed = jobs(FEED_MESSAGE_JOBS * 2 + 1);
    const messages = feedMessages(changed, ['x', 'y'], 7);
    expect(messages.map((message) => message.jobs.length)).toEqual([FEED_MESSAGE_JOBS, FEED_MESSAGE_JOBS, 1]);
    expect(messages.flatMap((message) => message.jobs)).toEqual(changed.map(summarizeJob));
    expect(messages.map((message) => message.removed)).toEqual([[], [], ['x', 'y']]);
    expect(new Set(messages.map((message) => message.committedAt))).toEqual(new Set([7]));
  });

  it('tells removals alone in one message', () => {
    expect(feedMessages([], ['a'], 1)).toEqual([{ kind: 'jobs', committedAt: 1, jobs: [], removed: ['a'] }]);
  });
});
