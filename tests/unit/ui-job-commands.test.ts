import { describe, expect, it } from 'vitest';
import { JOB_STATUSES, type JobStatus } from '../../src/client';
import {
  COMMAND_LABELS,
  JOB_COMMANDS,
  commandsFor,
  stepCountsText,
  stepInterrupted,
  type JobCommand,
} from '../../src/ui/routes/job-detail.svelte';

describe('commandsFor', () => {
  const expected: Readonly<Record<JobStatus, readonly JobCommand[]>> = {
    queued: ['pause', 'cancel', 'remove'],
    running: ['pause', 'cancel', 'remove'],
    waiting: ['pause', 'cancel', 'remove'],
    paused: ['resume', 'cancel', 'remove'],
    completed: ['remove'],
    failed: ['retry', 'remove'],
    cancelled: ['retry', 'remove'],
  };

  it.each(JOB_STATUSES.map((status) => [status, expected[status]] as const))(
    'a %s job offers %j',
    (status, commands) => {
      expect(commandsFor(status)).toEqual(commands);
    },
  );

  it('offers remove for every status, and the commands in a stable order', () => {
    for (const status of JOB_STATUSES) {
      const commands = commandsFor(status);
      expect(commands).toContain('remove');
      expect([...commands].sort((a, b) => JOB_COMMANDS.indexOf(a) - JOB_COMMANDS.indexOf(b))).toEqual(commands);
    }
  });
});

describe('COMMAND_LABELS', () => {
  it('names the buttons as the UI contract does', () => {
    expect(JOB_COMMANDS.map((command) => COMMAND_LABELS[command])).toEqual([
      'Pause',
      'Resume',
      'Cancel',
      'Retry',
      'Remove',
    ]);
  });
});

describe('stepInterrupted', () => {
  it('is a running step of a job not running, or begun before the attempt under way', () => {
    const running = { status: 'running' as const, startedAt: 1_000 };
    expect(stepInterrupted(running, { status: 'running', startedAt: 900 })).toBe(false);
    expect(stepInterrupted(running, { status: 'running', startedAt: 1_000 })).toBe(false);
    expect(stepInterrupted(running, { status: 'queued', startedAt: 900 })).toBe(true);
    expect(stepInterrupted(running, { status: 'paused' })).toBe(true);
    // Right after a reload: the job runs again, and has not begun this step again yet.
    expect(stepInterrupted(running, { status: 'running', startedAt: 5_000 })).toBe(true);
    expect(stepInterrupted({ status: 'completed', startedAt: 1_000 }, { status: 'running', startedAt: 5_000 })).toBe(
      false,
    );
  });
});

describe('stepCountsText', () => {
  const summary = { total: 3, completed: 2, failed: 0, rerun: 0 };

  it('names the step begun and not finished as running while the job runs, and gives no total', () => {
    expect(stepCountsText(summary, true)).toBe('2 completed, 1 running');
    expect(stepCountsText(summary, false)).toBe('2 completed, 1 unfinished');
  });

  it('adds failed steps and reruns', () => {
    expect(stepCountsText({ total: 4, completed: 2, failed: 1, rerun: 2 }, false)).toBe(
      '2 completed, 1 unfinished, 1 failed, 2 run more than once',
    );
    expect(stepCountsText({ total: 2, completed: 2, failed: 0, rerun: 0 }, false)).toBe('2 completed');
  });
});
