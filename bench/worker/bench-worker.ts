/**
 * The dedicated worker every in-worker scenario runs in. The page asks for one scenario run
 * at a time; each run opens its own databases and deletes them when it is done.
 */
import { expose } from 'comlink';
import { runErrand } from './errand';
import { runLimit } from './limit';
import type { Figures, ScenarioOptions } from './measure';
import { runTanstack } from './tanstack';

const scenarios: Record<string, (options: ScenarioOptions) => Promise<Figures>> = {
  limit: runLimit,
  errand: runErrand,
  tanstack: runTanstack,
};

/** What the bench page calls through Comlink. */
export interface BenchWorkerApi {
  run(scenario: string, options: ScenarioOptions): Promise<Figures>;
  isolated(): boolean;
}

const api: BenchWorkerApi = {
  run(scenario, options) {
    const run = scenarios[scenario];
    if (!run) return Promise.reject(new Error(`No in-worker scenario named "${scenario}"`));
    return run(options);
  },
  isolated: () => globalThis.crossOriginIsolated,
};

expose(api);
