import { spacedReads, type ErrandClient, type JobRecord, type SpacedReads } from '../../client';
import { selectionDependentsWarning, type BulkSelection } from './bulk-selection.svelte';
import { PAGE_SPACING } from './job-list-limits';

/** A bulk command's question, and what the command does to the unfinished jobs that depend on the selection. */
export interface Question {
  readonly action: 'Cancel' | 'Remove';
  readonly warning?: string;
}

/**
 * The question a bulk command asks before it runs: Remove always, Cancel where unfinished jobs
 * depend on the selection. Its warning follows those jobs while it is open: one that finishes or
 * is removed in another tab leaves it, and one enqueued meanwhile joins it.
 */
export class SelectionQuestion {
  /** The question waiting to be answered, if any. */
  open: Question | undefined = $state.raw();
  /** Re-reads an open question's warning (see `start`). */
  #reads: SpacedReads | undefined;
  /** Changes seen that can move a warning: one read before them may be out of date. */
  #changes = 0;

  constructor(
    private readonly client: ErrandClient,
    private readonly selected: BulkSelection,
  ) {}

  /** Reads an open question's warning again after changes, spaced out; returns the stop. */
  start(): () => void {
    const reads = spacedReads(() => this.#reread(), PAGE_SPACING);
    this.#reads = reads;
    return () => {
      reads.close();
      this.#reads = undefined;
    };
  }

  /**
   * Whether announced changes can move a warning: a removal, a selected job's, or one of a job
   * that depends on a selected job (not every progress write of every running job). Asked before
   * the selection drops the jobs that left the list, whose dependents it counted.
   */
  touchedBy(jobs: readonly Pick<JobRecord, 'id' | 'dependsOn'>[], removed: readonly string[]): boolean {
    const selected = (id: string) => this.selected.has(id);
    return removed.length > 0 || jobs.some((job) => selected(job.id) || (job.dependsOn ?? []).some(selected));
  }

  /** Hears changes that can move a warning (see `touchedBy`): an open question's is read again. */
  changed(): void {
    this.#changes += 1;
    if (this.open) this.#reads?.request();
  }

  /** Asks before `action` where it must, with its warning; resolves whether a question is now open. */
  async ask(action: Question['action']): Promise<boolean> {
    const seen = this.#changes;
    const warning = await selectionDependentsWarning(this.client, this.selected, action);
    if (action === 'Cancel' && warning === undefined) return false;
    this.open = { action, ...(warning !== undefined ? { warning } : {}) };
    // Jobs changed while it was read: read it again.
    if (this.#changes !== seen) this.#reads?.request();
    return true;
  }

  /** Reads the open question's warning again; the question stays, and says what it does now. */
  async #reread(): Promise<void> {
    const asked = this.open;
    if (!asked) return;
    const warning = await selectionDependentsWarning(this.client, this.selected, asked.action);
    // Answered, kept or asked again meanwhile: this warning was read for another question.
    if (this.open !== asked || warning === asked.warning) return;
    this.open = { action: asked.action, ...(warning !== undefined && { warning }) };
  }
}
