import type { ErrandClient } from '../../client';
import { capitalize } from '../lib/format';
import { FollowedJob, followedCommands, type FollowedCommands } from './followed-job.svelte';

/** How a rule tests a cell. */
export type RuleMatch = 'substring' | 'regex';

/** Columns a rule can read. */
export const RULE_FIELDS = ['Description', 'Amount', 'Date', 'Currency'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

/** A rule as it is being edited. */
export interface RuleDraft {
  readonly id: number;
  category: string;
  match: RuleMatch;
  pattern: string;
  field: RuleField;
}

/** Totals of one category, as the job reports them. */
export interface CategoryLine {
  readonly category: string;
  readonly currency?: string;
  readonly count: number;
  readonly total: number;
}

/** The part of a finished categorization's result this screen shows. */
export interface CategorizationSummary {
  readonly rows: number;
  readonly categorized: number;
  readonly categories: readonly CategoryLine[];
  readonly unreadableCount: number;
  readonly unreadable: readonly { readonly line: number; readonly reason: string }[];
}

/** Where the sample statement is served from. */
export const SAMPLE_URL = '/samples/bank-statement.csv';
/** Pause between batches for the sample, so its pill can be watched and paused. */
export const SAMPLE_BATCH_DELAY_MS = 150;
const JOB_TYPE = 'csv_categorization';
const RESULT_FILE = 'categorized.csv';

const STARTER_RULES: readonly Omit<RuleDraft, 'id'>[] = [
  { category: 'Income', match: 'regex', pattern: '^SALARY', field: 'Description' },
  { category: 'Rent', match: 'substring', pattern: 'RENT', field: 'Description' },
  { category: 'Subscriptions', match: 'regex', pattern: 'NETFLIX|SPOTIFY|PRIME', field: 'Description' },
  { category: 'Groceries', match: 'regex', pattern: 'TESCO|SAINSBURY|LIDL|ALDI|WHOLE FOODS', field: 'Description' },
  { category: 'Eating out', match: 'regex', pattern: 'PRET|STARBUCKS|DELIVEROO|NANDO|WAGAMAMA', field: 'Description' },
  { category: 'Transport', match: 'regex', pattern: 'TFL|UBER|SHELL|RAIL', field: 'Description' },
  { category: 'Bills', match: 'regex', pattern: 'GAS|WATER|ENERGY|VODAFONE', field: 'Description' },
  { category: 'Shopping', match: 'regex', pattern: 'AMAZON|IKEA|JOHN LEWIS|ARGOS', field: 'Description' },
  { category: 'Health', match: 'regex', pattern: 'BOOTS|SUPERDRUG|PHARMACY', field: 'Description' },
  { category: 'Entertainment', match: 'regex', pattern: 'CINEWORLD|VUE CINEMAS|STEAM', field: 'Description' },
  { category: 'Cash', match: 'regex', pattern: 'ATM|CASH MACHINE', field: 'Description' },
  { category: 'Savings', match: 'substring', pattern: 'TRANSFER TO SAVINGS', field: 'Description' },
];

/** Why a rule cannot be used as typed, or undefined when it can. The worker checks again, more strictly. */
export function ruleProblem(rule: RuleDraft): string | undefined {
  if (rule.category.trim() === '') return 'Give the rule a category';
  if (rule.pattern.trim() === '') return 'Give the rule a pattern';
  if (rule.match === 'regex') {
    try {
      new RegExp(rule.pattern, 'i');
    } catch {
      return 'This is not a valid regular expression';
    }
  }
  return undefined;
}

/** Reads `result` as a categorization summary when it has that shape. */
export function asSummary(result: unknown): CategorizationSummary | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const value = result as Partial<CategorizationSummary>;
  return typeof value.rows === 'number' && Array.isArray(value.categories) && Array.isArray(value.unreadable)
    ? (value as CategorizationSummary)
    : undefined;
}

/** The CSV import screen: the chosen statement, the rules, and the categorization job it started. */
export class CsvImportState {
  rules: RuleDraft[] = $state(STARTER_RULES.map((rule, index) => ({ ...rule, id: index + 1 })));
  defaultCategory = $state('Uncategorized');
  file: Blob | undefined = $state.raw(undefined);
  fileName = $state('');
  batchDelayMs = $state(0);
  /** Whether the person set the pause between batches: choosing a statement then keeps it. */
  delayChosen = false;
  error: string | undefined = $state(undefined);
  starting = $state(false);
  loadingSample = $state(false);
  readonly followed: FollowedJob;
  /** Pause, resume, cancel and retry of the job shown; a refusal shows as the page's error. */
  readonly commands: FollowedCommands;
  readonly problems: readonly (string | undefined)[] = $derived(this.rules.map(ruleProblem));
  readonly canStart: boolean = $derived(
    this.file !== undefined &&
      !this.starting &&
      this.defaultCategory.trim() !== '' &&
      this.problems.every((problem) => problem === undefined),
  );
  /** Why Start cannot start yet, as a sentence shown beside it, or undefined when it can. */
  readonly blocker: string | undefined = $derived.by(() => {
    if (this.file === undefined) return 'Choose a CSV file or use the sample statement to start.';
    const index = this.problems.findIndex((problem) => problem !== undefined);
    if (index !== -1) return `Rule ${index + 1}: ${this.problems[index]}.`;
    if (this.defaultCategory.trim() === '') return 'Give a category for the other rows.';
    return undefined;
  });
  #nextId = STARTER_RULES.length + 1;

  constructor(private readonly client: ErrandClient) {
    this.followed = new FollowedJob(client);
    this.commands = followedCommands(client, this.followed, (message) => (this.error = message));
  }

  /** The finished job's summary, once there is one. */
  get summary(): CategorizationSummary | undefined {
    return asSummary(this.followed.job?.result);
  }

  /**
   * Shows the newest categorization (so a reload finds its job again), and one started later in
   * any tab unless the one shown is still under way; returns the cleanup.
   */
  connect(): () => void {
    const stop = this.followed.followNewest(JOB_TYPE, () => RESULT_FILE);
    return () => {
      stop();
      this.followed.dispose();
    };
  }

  chooseFile(file: File | undefined): void {
    this.error = undefined;
    this.file = file;
    this.fileName = file?.name ?? '';
    if (!this.delayChosen) this.batchDelayMs = 0;
  }

  /**
   * Loads the bundled sample statement, paced so that its progress can be watched (unless the
   * person set the pause).
   */
  async useSample(): Promise<void> {
    if (this.loadingSample) return;
    this.error = undefined;
    this.loadingSample = true;
    try {
      const response = await fetch(SAMPLE_URL);
      if (!response.ok) throw new Error(`The sample could not be loaded (HTTP ${response.status})`);
      this.file = await response.blob();
      this.fileName = 'bank-statement.csv';
      if (!this.delayChosen) this.batchDelayMs = SAMPLE_BATCH_DELAY_MS;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loadingSample = false;
    }
  }

  addRule(): void {
    this.rules.push({ id: this.#nextId++, category: '', match: 'substring', pattern: '', field: 'Description' });
  }

  removeRule(id: number): void {
    this.rules = this.rules.filter((rule) => rule.id !== id);
  }

  /**
   * Enqueues the categorization and resolves its job id; a refused file or rule shows the
   * worker's reason and resolves undefined.
   */
  async start(): Promise<string | undefined> {
    if (!this.file || !this.canStart) return undefined;
    this.error = undefined;
    this.starting = true;
    try {
      const job = await this.client.enqueue(JOB_TYPE, {
        fileName: this.fileName || 'statement.csv',
        csv: this.file,
        rules: this.rules.map(({ category, match, pattern, field }) => ({ category, match, pattern, field })),
        defaultCategory: this.defaultCategory,
        batchDelayMs: this.batchDelayMs,
      });
      this.followed.follow(job.id, RESULT_FILE);
      return job.id;
    } catch (error) {
      // The refusal's reason alone, as a sentence: "The CSV has a header but no rows".
      const reason =
        error instanceof Error ? error.message.replace(/^Invalid payload for csv_categorization: /, '') : String(error);
      this.error = capitalize(reason);
      return undefined;
    } finally {
      this.starting = false;
    }
  }
}
