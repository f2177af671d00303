/// <reference lib="webworker" />
/**
 * The worker entry: the only place that exposes the runtime. The database name comes from
 * the Worker's `name` (`errand:<dbName>`), so a page can run several queues.
 */
import { consoleJobTypes } from './handlers';
import { exposeRuntime } from './expose-runtime';
import { createRuntime } from './runtime';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const prefix = 'errand:';
const dbName = scope.name.startsWith(prefix) ? scope.name.slice(prefix.length) : 'errand';

exposeRuntime(createRuntime({ jobTypes: consoleJobTypes, dbName, ai: {} }), { scope });
