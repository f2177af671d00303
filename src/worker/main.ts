/// <reference lib="webworker" />
/**
 * The worker entry: the only place that exposes the runtime. The database name comes from
 * the Worker's `name` (`errand:<dbName>`), so a page can run several queues.
 */
import { expose, type Endpoint } from 'comlink';
import { answeringEndpoint } from '../shared';
import { consoleJobTypes } from './handlers';
import { createRuntime } from './runtime';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const prefix = 'errand:';
const dbName = scope.name.startsWith(prefix) ? scope.name.slice(prefix.length) : 'errand';

const runtime = createRuntime({ jobTypes: consoleJobTypes, dbName, ai: {} });
// A marked call this worker cannot read is answered with an error, not left waiting (see `answeringEndpoint`).
expose(runtime.api, answeringEndpoint(scope) as unknown as Endpoint);
