import { JOB_STATUSES, type ErrandClient, type JobStatus } from '../../client';
import { FollowedJob, followedCommands, type FollowedCommands } from './followed-job.svelte';

/** Formats the history can be exported in. */
export const EXPORT_FORMATS = [
  { value: 'json', label: 'JSON' },
  { value: 'csv', label: 'CSV' },
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number]['value'];

/** Statuses an export can be limited to; `all` applies no filter. */
export const STATUS_CHOICES: readonly ('all' | JobStatus)[] = ['all', ...JOB_STATUSES];

const JOB_TYPE = 'history_export';

/** The name the export's file is attached under. */
export function exportFileName(format: ExportFormat): string {
  return `job-history.${format}`;
}

/** The export screen: the chosen format and filter, and the export job it started. */
export class ExportState {
  format: ExportFormat = $state('json');
  status: 'all' | JobStatus = $state('all');
  includePayloads = $state(false);
  starting = $state(false);
  error: string | undefined = $state(undefined);
  readonly followed: FollowedJob;
  /** Pause, resume, cancel and retry of the job shown; a refusal shows as the page's error. */
  readonly commands: FollowedCommands;

  constructor(private readonly client: ErrandClient) {
    this.followed = new FollowedJob(client);
    this.commands = followedCommands(client, this.followed, (message) => (this.error = message));
  }

  /**
   * Shows the newest export (so a reload finds it again), and one started later in any tab
   * unless the one shown is still under way; returns the cleanup.
   */
  connect(): () => void {
    const stop = this.followed.followNewest(JOB_TYPE, (job) => exportFileName(formatOf(job.payload)));
    return () => {
      stop();
      this.followed.dispose();
    };
  }

  /**
   * Enqueues the export and resolves its job id; a second press while it is being queued is
   * refused, and it and a refusal by the worker resolve undefined.
   */
  async start(): Promise<string | undefined> {
    if (this.starting) return undefined;
    this.error = undefined;
    this.starting = true;
    try {
      const job = await this.client.enqueue(JOB_TYPE, {
        format: this.format,
        ...(this.status !== 'all' ? { status: this.status } : {}),
        includePayloads: this.includePayloads,
      });
      this.followed.follow(job.id, exportFileName(this.format));
      return job.id;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return undefined;
    } finally {
      this.starting = false;
    }
  }
}

function formatOf(payload: unknown): ExportFormat {
  return typeof payload === 'object' && payload !== null && (payload as { format?: unknown }).format === 'csv'
    ? 'csv'
    : 'json';
}
