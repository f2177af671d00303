import type { AnyJobType } from '../define-job-type';
import { csvCategorization } from './csv-categorization';
import { demoSteps } from './demo-steps';
import { historyExport } from './history-export';
import { mealSuggestion } from './meal-suggestion';
import { recipeParsing } from './recipe-parsing';

export { demoSteps } from './demo-steps';
export type { DemoStepsPayload } from './demo-steps';

/** The job types the Job Console's worker runs. */
export const consoleJobTypes: readonly AnyJobType[] = [
  demoSteps,
  csvCategorization,
  historyExport,
  recipeParsing,
  mealSuggestion,
];
export { recipeParsing } from './recipe-parsing';
export { mealSuggestion } from './meal-suggestion';
