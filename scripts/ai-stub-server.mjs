#!/usr/bin/env node
// A local OpenAI-compatible chat-completions server for tests and for trying the
// openai-compatible provider without a key. Loopback only; no dependencies.
//
//   node scripts/ai-stub-server.mjs [port]      (or AI_STUB_PORT=…; 0 = any free port)
//
// Routes: POST /v1/chat/completions, GET /v1/models, and control routes under /__stub/:
//   POST /__stub/latency {ms}                       delay every answer
//   POST /__stub/fail {count, status, retryAfter?, message?, echoKey?, code?}
//   POST /__stub/malformed {count, mode: 'whole' | 'item' | 'drop-item', index?}
//   POST /__stub/reject-response-format {enabled}   answer 400 when response_format is sent
//   POST /__stub/reset                              clear all of the above and the counters
//   GET  /__stub/stats                              counters (see stats() below)
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const HOST = '127.0.0.1';
const MAX_BODY = 2 * 1024 * 1024;

/**
 * Starts the stub server on 127.0.0.1.
 * @param {{ port?: number, apiKey?: string, models?: string[] }} [options]
 *   `apiKey`: when set, requests without `Authorization: Bearer <apiKey>` get a 401.
 */
export async function startStubServer(options = {}) {
  const state = freshState();
  const models = options.models ?? ['stub-model'];
  const apiKey = options.apiKey;

  const control = {
    /** Delays every answer by `ms`. */
    setLatency(ms) {
      state.latencyMs = Math.max(0, Number(ms) || 0);
    },
    /** The next `count` chat requests answer `status` (429 with `retryAfter` as the header). */
    failNext(count, failure) {
      for (let i = 0; i < count; i++) state.failures.push({ ...failure });
    },
    /** The next `count` chat answers are broken: the whole content, or one item of it. */
    malformNext(count, mode = 'whole', index = 0) {
      for (let i = 0; i < count; i++) state.malformations.push({ mode, index });
    },
    /** Refuse requests carrying `response_format`, as some local servers do. */
    rejectResponseFormat(enabled = true) {
      state.rejectResponseFormat = Boolean(enabled);
    },
    /** Counters since start or the last reset. */
    stats() {
      return {
        requests: state.requests,
        chatRequests: state.chatRequests,
        itemsPerRequest: [...state.itemsPerRequest],
        lastAuthorization: state.lastAuthorization,
        authorizations: [...state.authorizations],
        lastRequestBody: state.lastRequestBody,
      };
    },
    reset() {
      Object.assign(state, freshState());
    },
  };

  const server = createServer((req, res) => {
    // A browser page on another port calls this server: answer like a provider that allows it.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'authorization, content-type');
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-expose-headers', 'retry-after, retry-after-ms');
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    handle(req, res, { state, control, models, apiKey }).catch((error) => {
      if (!res.headersSent) send(res, 500, { error: { message: `stub failure: ${error.message}` } });
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, resolve);
  });
  const { port } = server.address();
  const url = `http://${HOST}:${port}/v1`;
  return {
    url,
    control,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function freshState() {
  return {
    latencyMs: 0,
    failures: [],
    malformations: [],
    rejectResponseFormat: false,
    requests: 0,
    chatRequests: 0,
    itemsPerRequest: [],
    lastAuthorization: undefined,
    authorizations: [],
    lastRequestBody: undefined,
  };
}

async function handle(req, res, ctx) {
  const { state, control } = ctx;
  const path = new URL(req.url ?? '/', `http://${HOST}`).pathname;
  const body = await readBody(req);
  if (body === undefined) return send(res, 413, { error: { message: 'request body too large' } });

  if (path.startsWith('/__stub/')) return handleControl(res, path, req.method, body, control);

  state.requests++;
  const authorization = req.headers.authorization;
  state.lastAuthorization = authorization;
  state.authorizations.push(authorization);
  if (state.latencyMs > 0) await sleep(state.latencyMs, res);
  if (res.destroyed) return;
  if (ctx.apiKey !== undefined && authorization !== `Bearer ${ctx.apiKey}`) {
    return send(res, 401, {
      error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
    });
  }

  if (req.method === 'GET' && path === '/v1/models') {
    return send(res, 200, {
      object: 'list',
      data: ctx.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'stub' })),
    });
  }
  if (req.method !== 'POST' || path !== '/v1/chat/completions') {
    return send(res, 404, { error: { message: `no route ${req.method} ${path}` } });
  }

  state.chatRequests++;
  let request;
  try {
    request = JSON.parse(body);
  } catch {
    return send(res, 400, { error: { message: 'request body is not JSON' } });
  }
  state.lastRequestBody = request;
  const failure = state.failures.shift();
  if (failure !== undefined) return sendFailure(res, failure, authorization);
  if (state.rejectResponseFormat && request.response_format !== undefined) {
    return send(res, 400, { error: { message: 'Unrecognized request argument supplied: response_format' } });
  }

  const userText = [...(request.messages ?? [])].reverse().find((m) => m.role === 'user')?.content ?? '';
  const items = readItems(userText);
  state.itemsPerRequest.push(items?.length ?? 0);
  let content;
  if (items === undefined) {
    content = 'ok';
  } else {
    const answers = items.map(answerItem);
    const broken = state.malformations.shift();
    content = broken === undefined ? JSON.stringify({ items: answers }) : malform(answers, broken);
  }
  return send(res, 200, {
    id: `chatcmpl-stub-${state.chatRequests}`,
    object: 'chat.completion',
    created: 0,
    model: request.model ?? 'stub-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: userText.length,
      completion_tokens: content.length,
      total_tokens: userText.length + content.length,
    },
  });
}

function handleControl(res, path, method, body, control) {
  if (method === 'GET' && path === '/__stub/stats') return send(res, 200, control.stats());
  if (method !== 'POST') return send(res, 405, { error: { message: 'control routes take POST' } });
  let args;
  try {
    args = body === '' ? {} : JSON.parse(body);
  } catch {
    return send(res, 400, { error: { message: 'control body is not JSON' } });
  }
  switch (path) {
    case '/__stub/latency':
      control.setLatency(args.ms);
      break;
    case '/__stub/fail':
      control.failNext(args.count ?? 1, args);
      break;
    case '/__stub/malformed':
      control.malformNext(args.count ?? 1, args.mode, args.index);
      break;
    case '/__stub/reject-response-format':
      control.rejectResponseFormat(args.enabled ?? true);
      break;
    case '/__stub/reset':
      control.reset();
      break;
    default:
      return send(res, 404, { error: { message: `no control route ${path}` } });
  }
  return send(res, 200, { ok: true });
}

function sendFailure(res, failure, authorization) {
  const status = failure.status ?? 500;
  const headers = {};
  if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
  let message = failure.message ?? `stub failure ${status}`;
  // Some providers echo the refused key in their message; this lets tests check it is scrubbed.
  if (failure.echoKey) message += ` (key: ${String(authorization ?? '').replace(/^Bearer /, '')})`;
  const error = { message, type: 'stub_error' };
  if (failure.code !== undefined) error.code = failure.code;
  return send(res, status, { error }, headers);
}

/** The `{"items": [...]}` object the provider's prompt lists, or undefined for other prompts. */
function readItems(text) {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    const parsed = JSON.parse(text.slice(start, end + 1));
    return Array.isArray(parsed.items) ? parsed.items : undefined;
  } catch {
    return undefined;
  }
}

function malform(answers, { mode, index = 0 }) {
  if (mode === 'item') {
    const list = answers.map((a, i) =>
      i === index ? { id: a.id, title: 42, ingredients: 'none', suggestions: 7 } : a,
    );
    return JSON.stringify({ items: list });
  }
  if (mode === 'drop-item') return JSON.stringify({ items: answers.filter((_, i) => i !== index) });
  return '{"items": [ this is not JSON';
}

function answerItem(item) {
  const input = item.input ?? {};
  if (item.task === 'recipe_parsing') {
    const text = typeof input.text === 'string' ? input.text : '';
    if (text.trim() === '' || /not a recipe/i.test(text)) return { id: item.id, error: 'The text is not a recipe' };
    return { id: item.id, ...parseRecipe(text) };
  }
  if (item.task === 'meal_suggestion') return { id: item.id, ...suggest(input) };
  return { id: item.id, error: `unknown task ${item.task}` };
}

const UNITS = {
  cup: 'cup',
  cups: 'cup',
  tbsp: 'tablespoon',
  tablespoon: 'tablespoon',
  tablespoons: 'tablespoon',
  tsp: 'teaspoon',
  teaspoon: 'teaspoon',
  teaspoons: 'teaspoon',
  g: 'gram',
  gram: 'gram',
  grams: 'gram',
  kg: 'kilogram',
  ml: 'milliliter',
  l: 'liter',
  oz: 'ounce',
  lb: 'pound',
  lbs: 'pound',
  pinch: 'pinch',
  clove: 'clove',
  cloves: 'clove',
  can: 'can',
  cans: 'can',
};
const FRACTIONS = { '¼': 0.25, '½': 0.5, '¾': 0.75, '⅓': 1 / 3, '⅔': 2 / 3, '⅛': 0.125 };
const QUANTITY = /^(\d+(?:\.\d+)?)?\s*(?:(\d+)\/(\d+)|([¼½¾⅓⅔⅛]))?\s+/u;

/** A deliberately simple recipe reader: enough to give well-formed, deterministic answers. */
function parseRecipe(text) {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const title = (lines[0] ?? 'Untitled recipe').replace(/^#+\s*/, '');
  const ingredients = [];
  const steps = [];
  let inSteps = false;
  for (const line of lines.slice(1)) {
    if (/^#*\s*(directions|method|steps|instructions)\s*:?$/i.test(line)) {
      inSteps = true;
      continue;
    }
    if (/^#*\s*ingredients\s*:?$/i.test(line)) continue;
    const bare = line.replace(/^[-*•]\s*/, '');
    const numbered = /^\d+[.)]\s+(.*)$/.exec(bare);
    if (numbered || inSteps) {
      steps.push(numbered ? numbered[1] : bare);
      continue;
    }
    const q = QUANTITY.exec(bare);
    if (!q || (q[1] === undefined && q[2] === undefined && q[4] === undefined)) continue;
    let quantity = q[1] === undefined ? 0 : Number(q[1]);
    if (q[2] !== undefined) quantity += Number(q[2]) / Number(q[3]);
    if (q[4] !== undefined) quantity += FRACTIONS[q[4]];
    const rest = bare.slice(q[0].length).split(/\s+/);
    const unit = UNITS[(rest[0] ?? '').toLowerCase().replace(/\.$/, '')] ?? null;
    const name = (unit === null ? rest : rest.slice(1)).join(' ');
    ingredients.push({ quantity: Math.round(quantity * 1000) / 1000, quantity2: null, unit, name, raw: bare });
  }
  const servings = /\bserves\s+(\d+)/i.exec(text);
  return { title, servings: servings ? Number(servings[1]) : null, ingredients, steps };
}

function suggest(input) {
  const prefs = input.preferences ?? {};
  const avoid = (prefs.avoid ?? []).map((t) => String(t).toLowerCase());
  const prefer = (prefs.prefer ?? []).map((t) => String(t).toLowerCase());
  const names = (r) => (r.ingredients ?? []).map((i) => String(typeof i === 'string' ? i : i.name).toLowerCase());
  const chosen = (input.recipes ?? [])
    .filter((r) => !avoid.some((a) => names(r).some((n) => n.includes(a))))
    .filter((r) => prefs.maxIngredients === undefined || names(r).length <= prefs.maxIngredients)
    .map((r) => {
      const liked = prefer.filter((p) => names(r).some((n) => n.includes(p)));
      return {
        title: r.title,
        score: liked.length * 10,
        reasons: liked.length ? liked.map((p) => `Uses ${p}`) : ['From your recipes'],
      };
    })
    .sort((a, b) => b.score - a.score || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  return { suggestions: chosen.slice(0, input.count ?? 5) };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms, res) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    // A client that gave up (an aborted fetch) closes the response before it is written.
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function send(res, status, body, headers = {}) {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.argv[2] ?? process.env.AI_STUB_PORT ?? 0);
  const stub = await startStubServer({ port: Number.isInteger(port) && port >= 0 ? port : 0 });
  console.log(`AI stub server listening on ${stub.url}`);
  const stop = () => stub.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
