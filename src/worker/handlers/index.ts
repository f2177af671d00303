import type { AnyJobType } from '../define-job-type';
import { csvCategorization } from './csv-categorization';
import { demoSteps } from './demo-steps';
import { historyExport } from './history-export';

export { demoSteps } from './demo-steps';
export type { DemoStepsPayload } from './demo-steps';

/** The job types the Job Console's worker runs. */
export const consoleJobTypes: readonly AnyJobType[] = [demoSteps as AnyJobType, csvCategorization as AnyJobType, historyExport as AnyJobType];
