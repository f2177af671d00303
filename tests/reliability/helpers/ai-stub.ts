import type { BrowserContext, Route } from '@playwright/test';
import { startStubServer, type StubServer } from '../../../scripts/ai-stub-server.mjs';

/** The stub, and every provider call the Console made to it, per job. */
export interface RecordedStub {
  readonly server: StubServer;
  /** Start times (Node's clock) of the calls that carried each job id. */
  readonly callsByJob: Map<string, number[]>;
  /** Routes the context's calls to the stub, adding the CORS header a browser-facing provider sends. */
  attach(context: BrowserContext): Promise<void>;
  /**
   * Routed requests bypass the browser's offline emulation: while this is true they fail as
   * a disconnected network would, and are not counted.
   */
  offline: boolean;
  /** The `ai` setting that points the Console at the stub. */
  readonly setting: { provider: 'openai-compatible'; baseUrl: string; apiKey: string; model: string };
  close(): Promise<void>;
}

function itemIds(body: unknown): string[] {
  const messages = (body as { messages?: { role?: string; content?: unknown }[] } | null)?.messages ?? [];
  const user = [...messages].reverse().find((message) => message.role === 'user')?.content;
  if (typeof user !== 'string') return [];
  const start = user.indexOf('{');
  const end = user.lastIndexOf('}');
  if (start < 0 || end <= start) return [];
  try {
    const parsed = JSON.parse(user.slice(start, end + 1)) as { items?: { id?: unknown }[] };
    return (parsed.items ?? []).flatMap((item) => (typeof item.id === 'string' ? [item.id] : []));
  } catch {
    return [];
  }
}

export async function startRecordedStub(
  options: { apiKey?: string; answer?: (ids: string[]) => void } = {},
): Promise<RecordedStub> {
  const server = await startStubServer({
    port: 0,
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
  });
  const callsByJob = new Map<string, number[]>();
  const handler = async (route: Route): Promise<void> => {
    const request = route.request();
    if (recorded.offline) {
      await route.abort('internetdisconnected');
      return;
    }
    if (request.method() === 'POST') {
      const at = Date.now();
      let body: unknown;
      try {
        body = request.postDataJSON();
      } catch {
        body = undefined;
      }
      for (const id of itemIds(body)) callsByJob.set(id, [...(callsByJob.get(id) ?? []), at]);
    }
    try {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': '*' } });
    } catch {
      await route.abort().catch(() => undefined);
    }
  };
  const recorded: RecordedStub = {
    server,
    callsByJob,
    offline: false,
    attach: async (context) => {
      await context.route(`${server.url}/**`, handler);
    },
    setting: { provider: 'openai-compatible', baseUrl: server.url, apiKey: options.apiKey ?? '', model: 'stub-model' },
    close: () => server.close(),
  };
  return recorded;
}
