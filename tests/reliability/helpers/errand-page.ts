import type { BrowserContext, ConsoleMessage, Page } from '@playwright/test';
import type { RuntimeStatus } from '../../../src/shared';

/** A failure as the worker API returns it (a job error stored as data). */
export interface ApiError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
}

/** What every worker API method answers. */
export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

/** A request of the worker API's `enqueueMany`. */
export interface EnqueueRequest {
  readonly type: string;
  readonly payload: unknown;
  readonly options?: { readonly label?: string };
}

/** A CSP violation seen by the page. */
export interface CspViolation {
  readonly directive: string;
  readonly blocked: string;
  readonly sample: string;
}

interface Instrumented {
  __errandWorkers: Worker[];
  __xssHits: string[];
  __cspViolations: CspViolation[];
  __traffic: string[];
}

/**
 * Runs before any script of every page of the context: a `__xss` tripwire for injected
 * vectors, a log of CSP violations, the Console's worker kept at hand so a test can call the
 * worker API the Console uses, and (optionally) a copy of every message to and from it.
 */
function instrument(recordTraffic: boolean): void {
  const scope = window as unknown as Instrumented & { __xss: (tag: unknown) => void };
  scope.__xssHits = [];
  scope.__xss = (tag) => {
    scope.__xssHits.push(String(tag));
  };
  scope.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    scope.__cspViolations.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample });
  });
  scope.__errandWorkers = [];
  scope.__traffic = [];
  const record = (direction: 'to worker' | 'from worker', data: unknown): void => {
    let text: string;
    try {
      text = JSON.stringify(data) ?? '';
    } catch {
      text = String(data);
    }
    scope.__traffic.push(`${direction} ${text}`);
  };
  const Native = window.Worker;
  class TrackedWorker extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      scope.__errandWorkers.push(this);
      if (recordTraffic) this.addEventListener('message', (event) => record('from worker', event.data));
    }
    override postMessage(message: unknown, options?: unknown): void {
      if (recordTraffic) record('to worker', message);
      super.postMessage(message, options as StructuredSerializeOptions);
    }
  }
  window.Worker = TrackedWorker;
}

/** Instruments every page the context opens (see `instrument`). */
export async function instrumentContext(
  context: BrowserContext,
  options: { recordTraffic?: boolean } = {},
): Promise<void> {
  await context.addInitScript(instrument, options.recordTraffic ?? false);
}

/** Console messages that report a CSP violation (the page's and its worker's). */
export function collectCspConsole(page: Page, into: string[]): void {
  page.on('console', (message: ConsoleMessage) => {
    const text = message.text();
    if (/Content.Security.Policy|Refused to/i.test(text)) into.push(text);
  });
}

/** The runtime status of the Console's worker in `page`. */
export function workerStatus(page: Page): Promise<RuntimeStatus> {
  return callWorkerRaw<RuntimeStatus>(page, 'status', []);
}

/** Calls a method of the worker API that answers a `Result`. */
export function callWorker<T>(page: Page, method: string, args: readonly unknown[]): Promise<ApiResult<T>> {
  return callWorkerRaw<ApiResult<T>>(page, method, args);
}

/**
 * Calls a method of the worker API of the Console's worker in `page`, over the same
 * message protocol the Console's client uses.
 */
export async function callWorkerRaw<T>(page: Page, method: string, args: readonly unknown[]): Promise<T> {
  return page.evaluate(
    ({ method, args }) =>
      new Promise<T>((resolve, reject) => {
        // No handle crosses to the test: a page that dies mid-call only rejects this evaluation.
        const started = Date.now();
        const withWorker = (): void => {
          const worker = (window as unknown as Instrumented).__errandWorkers[0];
          if (worker) send(worker);
          else if (Date.now() - started > 30_000) reject(new Error('The Console started no worker'));
          else setTimeout(withWorker, 20);
        };
        const send = (worker: Worker): void => {
          const id = `reliability-${crypto.randomUUID()}`;
          const onMessage = (event: MessageEvent<{ id?: string; type?: string; value?: unknown }>): void => {
            if (event.data?.id !== id) return;
            worker.removeEventListener('message', onMessage);
            if (event.data.type === 'HANDLER')
              reject(new Error(`The worker threw: ${JSON.stringify(event.data.value)}`));
            else resolve(event.data.value as T);
          };
          worker.addEventListener('message', onMessage);
          worker.postMessage({
            id,
            type: 'APPLY',
            path: [method],
            argumentList: args.map((value) => ({ type: 'RAW', value })),
          });
        };
        withWorker();
      }),
    { method, args: [...args] },
  );
}

/** Calls the worker API and returns its value, throwing its error. */
export async function callWorkerOk<T>(page: Page, method: string, args: readonly unknown[]): Promise<T> {
  const result = await callWorker<T>(page, method, args);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** What the page's tripwires caught. */
export async function pageFindings(page: Page): Promise<{ xss: string[]; csp: CspViolation[] }> {
  return page.evaluate(() => {
    const scope = window as unknown as Instrumented;
    return { xss: [...scope.__xssHits], csp: [...scope.__cspViolations] };
  });
}

/** Every message exchanged with the Console's worker so far, as `to worker …` / `from worker …` JSON text. */
export function workerTraffic(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as Instrumented).__traffic]);
}
