import { describe, expect, it } from 'vitest';
import { JOB_STATUSES, type JobStatus, type StepRecord } from '../../src/client';
import {
  COMMAND_LABELS,
  JOB_COMMANDS,
  commandsFor,
  stepCountsText,
  summarizeSteps,
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

describe('summarizeSteps', () => {
  const step = (status: StepRecord['status'], runs: number, startedAt: number, finishedAt?: number): StepRecord => ({
    jobId: 'j1',
    name: `step-${startedAt}`,
    status,
    runs,
    startedAt,
    ...(finishedAt === undefined ? {} : { finishedAt }),
  });

  it('is all zeros for an empty journal', () => {
    expect(summarizeSteps([])).toEqual({ total: 0, completed: 0, failed: 0, rerun: 0, ms: 0 });
  });

  it('counts steps by status, reruns, and the time of finished steps only', () => {
    const summary = summarizeSteps([
      step('completed', 1, 0, 100),
      step('completed', 2, 100, 350),
      step('failed', 3, 350, 400),
      step('running', 1, 400),
    ]);
    expect(summary).toEqual({ total: 4, completed: 2, failed: 1, rerun: 2, ms: 400 });
  });
});

describe('stepCountsText', () => {
  const summary = { total: 3, completed: 2, failed: 0, rerun: 0, ms: 0 };

  it('names the step begun and not finished as running while the job runs, and gives no total', () => {
    expect(stepCountsText(summary, true)).toBe('2 completed, 1 running');
    expect(stepCountsText(summary, false)).toBe('2 completed, 1 unfinished');
  });

  it('adds failed steps and reruns', () => {
    expect(stepCountsText({ total: 4, completed: 2, failed: 1, rerun: 2, ms: 0 }, false)).toBe(
      '2 completed, 1 unfinished, 1 failed, 2 run more than once',
    );
    expect(stepCountsText({ total: 2, completed: 2, failed: 0, rerun: 0, ms: 0 }, false)).toBe('2 completed');
  });
});
