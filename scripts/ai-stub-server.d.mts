/** A failure the stub answers instead of a completion. */
export interface StubFailure {
  /** @default 500 */
  readonly status?: number;
  /** Sent as the `Retry-After` header: seconds or an HTTP date. */
  readonly retryAfter?: string | number;
  readonly message?: string;
  /** Appends the Authorization key the stub received to the message, as some providers do. */
  readonly echoKey?: boolean;
  /** `error.code` of the body, e.g. `insufficient_quota`. */
  readonly code?: string;
}

/** How an answer is broken: the whole content, one item's shape, or one item left out. */
export type StubMalformation = 'whole' | 'item' | 'drop-item';

export interface StubStats {
  /** Provider requests (chat and models), control routes excluded. */
  readonly requests: number;
  readonly chatRequests: number;
  /** Items listed in each chat request's prompt, in order. */
  readonly itemsPerRequest: readonly number[];
  readonly lastAuthorization: string | undefined;
  readonly authorizations: readonly (string | undefined)[];
  readonly lastRequestBody: unknown;
}

export interface StubControl {
  setLatency(ms: number): void;
  failNext(count: number, failure: StubFailure): void;
  malformNext(count: number, mode?: StubMalformation, index?: number): void;
  rejectResponseFormat(enabled?: boolean): void;
  stats(): StubStats;
  reset(): void;
}

export interface StubServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string;
  readonly control: StubControl;
  close(): Promise<void>;
}

export interface StubServerOptions {
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  readonly apiKey?: string;
  /** @default ['stub-model'] */
  readonly models?: readonly string[];
}

/** Starts the OpenAI-compatible stub on 127.0.0.1. */
export function startStubServer(options?: StubServerOptions): Promise<StubServer>;
