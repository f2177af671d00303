import { SvelteMap } from 'svelte/reactivity';
import { ALLOWED_FROM, type BulkResult, type ErrandClient, type JobRecord, type JobStatus } from '../../client';
import { BULK_PAST, statusCounts, summarize, type BulkAction } from './bulk-summary';
import { wouldFailText } from './job-detail.svelte';

const ACTION_TYPES = { Pause: 'pause', Resume: 'resume', Cancel: 'cancel', Retry: 'retry' } as const;

/** "can be paused": what a refusal says each command would have done. */
const verb = (action: BulkAction) => BULK_PAST[action].toLowerCase();

/**
 * The jobs selected in the job center, each with its status as this tab last saw it: enough to
 * tell which bulk commands apply to the selection before one is given. The worker still decides
 * (a status can change on the way), and reports what it skipped.
 */
export class BulkSelection {
  readonly #statuses = new SvelteMap<string, JobStatus>();

  get size(): number {
    return this.#statuses.size;
  }

  has(id: string): boolean {
    return this.#statuses.has(id);
  }

  ids(): string[] {
    return [...this.#statuses.keys()];
  }

  /** The selected jobs whose status, as last seen, passes `test`. */
  idsWhere(test: (status: JobStatus) => boolean): string[] {
    return [...this.#statuses].flatMap(([id, status]) => (test(status) ? [id] : []));
  }

  add(job: Pick<JobRecord, 'id' | 'status'>): void {
    this.#statuses.set(job.id, job.status);
  }

  /** Selects every job of `jobs` (with the status each was read with). */
  addAll(jobs: readonly Pick<JobRecord, 'id' | 'status'>[]): void {
    for (const job of jobs) this.#statuses.set(job.id, job.status);
  }

  delete(id: string): void {
    this.#statuses.delete(id);
  }

  clear(): void {
    this.#statuses.clear();
  }

  /** Keeps a selected job's status current; a job not selected stays out. */
  update(job: Pick<JobRecord, 'id' | 'status'>): void {
    if (this.#statuses.has(job.id) && this.#statuses.get(job.id) !== job.status) this.#statuses.set(job.id, job.status);
  }

  /** How many selected jobs `action` applies to. Remove applies to every job. */
  applicable(action: BulkAction): number {
    if (action === 'Remove') return this.#statuses.size;
    const allowed = ALLOWED_FROM[ACTION_TYPES[action]];
    let count = 0;
    for (const status of this.#statuses.values()) if (allowed.includes(status)) count += 1;
    return count;
  }

  /**
   * What a command's button says about the selection: nothing when it applies to every
   * selected job, else how many it applies to or why none.
   */
  describe(action: BulkAction): string | undefined {
    const size = this.#statuses.size;
    if (size === 0) return 'Select jobs first';
    const count = this.applicable(action);
    if (count === size) return undefined;
    if (count === 0) return this.refusal(action);
    return `${action} ${count.toLocaleString()} of the ${size.toLocaleString()} selected jobs; the others cannot be ${verb(action)}`;
  }

  /** "None of the 3 selected jobs can be paused: 2 completed, 1 cancelled." */
  refusal(action: BulkAction): string {
    const size = this.#statuses.size;
    if (size === 1) {
      const [status] = this.#statuses.values();
      return `The selected job cannot be ${verb(action)} (it is ${status ?? 'gone'}).`;
    }
    return `None of the ${size.toLocaleString()} selected jobs can be ${verb(action)}: ${statusCounts(this.#statuses.values())}.`;
  }
}

/**
 * What cancelling or removing the selected jobs does to the unfinished jobs that depend on them,
 * as a sentence, or undefined when it does nothing to them. A cancelled job, or one removed before
 * it completed, fails them (`dependency-failed`); one removed after it completed lets them run.
 */
export async function selectionDependentsWarning(
  client: ErrandClient,
  selection: BulkSelection,
  action: 'Cancel' | 'Remove',
): Promise<string | undefined> {
  const allowed = ALLOWED_FROM.cancel;
  const ids = selection.idsWhere((status) => (action === 'Cancel' ? allowed.includes(status) : status !== 'completed'));
  if (ids.length === 0) return undefined;
  const { jobs, more } = await client.unfinishedDependents(ids);
  // Said of the jobs the command applies to, which the question counts.
  return wouldFailText(jobs, more, ids.length === 1);
}

const RUN: Record<BulkAction, (client: ErrandClient, ids: readonly string[]) => Promise<BulkResult>> = {
  Pause: (client, ids) => client.pauseMany(ids),
  Resume: (client, ids) => client.resumeMany(ids),
  Cancel: (client, ids) => client.cancelMany(ids),
  Retry: (client, ids) => client.retryMany(ids),
  Remove: (client, ids) => client.removeMany(ids),
};

/**
 * Gives `action` to the selected jobs the list still shows (`inList`) and clears the selection;
 * resolves to the report: what changed, what was skipped and why. Selected jobs that left the
 * list since they were selected are left alone and leave the selection, and the report says so.
 */
export async function applyToSelection(
  client: ErrandClient,
  selection: BulkSelection,
  action: BulkAction,
  inList: (job: JobRecord) => boolean,
): Promise<string> {
  const selected = selection.ids();
  const current = await client.getMany(selected);
  const ids: string[] = [];
  current.forEach((job, i) => {
    if (job && inList(job)) {
      ids.push(job.id);
      selection.update(job);
    } else selection.delete(selected[i] as string);
  });
  const left = selected.length - ids.length;
  const gone =
    left === 0
      ? ''
      : ` ${left.toLocaleString()} selected ${left === 1 ? 'job was' : 'jobs were'} no longer in this list and ${left === 1 ? 'was' : 'were'} left alone.`;
  if (ids.length === 0) return `Nothing to ${action.toLowerCase()}:${gone}`;
  const result = await RUN[action](client, ids);
  selection.clear();
  // A refused job is named by the status it has now: read before the command, it may be one the
  // command applies to, changed since by another tab (both tabs cancelling the same jobs).
  const refused = result.skipped.filter((skip) => skip.code === 'invalid-transition').map((skip) => skip.id);
  const after = refused.length === 0 ? [] : await client.getMany(refused).catch(() => []);
  const statuses = new Map(after.flatMap((job) => (job ? [[job.id, job.status] as const] : [])));
  return summarize(action, result, (id) => statuses.get(id)) + gone;
}
