/// <reference lib="webworker" />
/**
 * The worker entry: the only place that exposes the runtime. The database name comes from
 * the Worker's `name` (`errand:<dbName>`), so a page can run several queues.
 */
import { expose, type Endpoint } from 'comlink';
import { answeringEndpoint } from '../shared';
import { consoleJobTypes } from './handlers';
import { createRuntime } from './runtime';
import { holdWorkerLife, withWorkerLife } from './worker-life';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const prefix = 'errand:';
const dbName = scope.name.startsWith(prefix) ? scope.name.slice(prefix.length) : 'errand';

const runtime = createRuntime({ jobTypes: consoleJobTypes, dbName, ai: {} });
// A lock held while this worker lives tells the page when it has ended (see `watchWorkerLife`).
const api = withWorkerLife(runtime.api, holdWorkerLife());
// A marked call this worker cannot read is answered with an error, not left waiting (see `answeringEndpoint`).
expose(api, answeringEndpoint(scope) as unknown as Endpoint);
