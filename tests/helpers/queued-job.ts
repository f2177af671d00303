import type { JobRecord } from '../../src/client';

/** A queued job record of the run order, created at `rank` (ms), as the job center lists it. */
export function queuedJob(id: string, priority: JobRecord['priority'], rank: number): JobRecord {
  return {
    id,
    type: 't',
    label: id,
    status: 'queued',
    priority,
    rank,
    payload: {},
    progress: 0,
    completedSteps: 0,
    attempts: 0,
    maxAttempts: 3,
    runAt: 0,
    createdAt: rank,
    updatedAt: rank,
    history: [],
  };
}
