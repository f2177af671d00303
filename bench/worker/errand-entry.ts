/// <reference lib="webworker" />
/**
 * The worker a page's client reaches in the `page` scenario: wired as the Console's worker entry
 * (`src/worker/main.ts`) wires it, with the bench's no-op job type. The database name comes from
 * the Worker's `name` (`errand:<dbName>`).
 */
import { createRuntime, defineJobType, exposeRuntime } from '../../src/worker';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const prefix = 'errand:';
const dbName = scope.name.startsWith(prefix) ? scope.name.slice(prefix.length) : 'errand-bench-page';

const noop = defineJobType<unknown, null>({ type: 'bench_noop', label: 'No-op', run: () => Promise.resolve(null) });
exposeRuntime(createRuntime({ jobTypes: [noop], dbName }), { scope });
