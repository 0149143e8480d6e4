#!/usr/bin/env node
// deploy/dev/chat-upstream.mjs — sample AI chat server ("provider: sample") for McpGateway dev + tests.
//
// DEVELOPMENT / TEST ONLY. Answers deterministically (an echo of the last user message) so tests can
// assert exact content and token counts, and can stream the answer as Server-Sent Events chunk by chunk.
//
// Start:   PORT=5103 node deploy/dev/chat-upstream.mjs
//          PORT=5103 ISSUER=http://127.0.0.1:5100 node deploy/dev/chat-upstream.mjs   (bearer introspected)
// Ready:   prints one stdout line `CHAT UPSTREAM READY http://127.0.0.1:<PORT>`.
// Stop:    SIGTERM or SIGINT.
//
// Environment variables
//   PORT                         required. Listens on 127.0.0.1:PORT.
//   INTROSPECTION_URL | ISSUER   optional. When set, the bearer token is validated at the introspection
//                                endpoint exactly like mcp-front.mjs (see lib/common.mjs); when unset
//                                a bearer only has to be present.
//   INTROSPECTION_CLIENT_ID / INTROSPECTION_CLIENT_SECRET / INTROSPECTION_AUTH_METHOD / INTROSPECTION_CACHE_MS
//                                as in mcp-front.mjs (defaults mcp-resource / mcp-resource-secret /
//                                client_secret_basic / 5000).
//   DPOP_NONCE                   1: DPoP proofs must carry this server's nonce (as in mcp-front.mjs). With
//                                introspection, DPoP-bound tokens (cnf.jkt) always need `Authorization: DPoP` and a
//                                proof that verifies (lib/dpop.mjs); unbound ones come as Bearer.
//   CHUNK_DELAY_MS               pause between streamed chunks, default 50.
//   DEFAULT_MODEL                model reported when the request names none, default "sample-1".
//
// API
//   POST /api/v2/chat   (Authorization: Bearer … required; 401 + WWW-Authenticate otherwise)
//     body  { "messages": [{ "role": "user"|"assistant"|"system", "content": "…" }, …],
//             "model"?: string, "stream"?: boolean, "contexts"?: [ … ],
//             "delayMs"?: number, "status"?: number, "chunkDelayMs"?: number }
//     query ?delayMs=N     wait N ms (max 600000) before answering (timeout tests)
//           ?status=NNN    answer with that HTTP status (400-599) and a JSON error body, after any delay
//           ?chunkDelayMs=N  override CHUNK_DELAY_MS for this request
//           (query values win over body values)
//     content = "Echo: <last user message>" + (" [contexts: n]" when contexts is a non-empty array)
//     usage   prompt_tokens     = number of whitespace-separated words in all message contents
//             completion_tokens = number of words in content
//             total_tokens      = the sum
//     stream=false → 200 application/json
//         { id, model, provider: "sample", message: { role: "assistant", content }, usage: {…} }
//     stream=true  → 200 text/event-stream, one event per word (each flushed, CHUNK_DELAY_MS apart):
//         data: {"delta":"Echo: "}            (each delta is a word plus its following space)
//         …
//         data: {"id":"…","model":"…","provider":"sample","finish_reason":"stop","usage":{…}}
//         data: [DONE]
//     errors → { "error": { "code": "<code>", "message": "…" } } with 400 / 401 / 404 / 405 / 413 / forced status.
//
// Unauthenticated dev/test endpoints
//   GET    /_audit   JSON array, one entry per request (oldest first):
//                    { at, method, path, authorization: "Bearer"|"Other"|null, sub, hadCookie,
//                      headers: [lower-case header names], status, stream }
//   DELETE /_audit   clears it, answers {"cleared": n}.
//   GET    /_health  {"status":"ok"}.
//
// Logs: one JSON line per request on stdout; tokens and cookies are never logged.

import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { accessToken, DpopVerifier } from './lib/dpop.mjs';
import {
  createLogger, handleAudit, introspectionFromEnv, IntrospectionUnavailableError,
  intEnv, listenLoopback, portEnv, pushAudit, sendJson,
} from './lib/common.mjs';

const COMPONENT = 'chat-upstream';
const { log, fail } = createLogger(COMPONENT);

const PORT = portEnv(fail);
const CHUNK_DELAY_MS = intEnv(fail, 'CHUNK_DELAY_MS', 50, { max: 60_000 });
const DEFAULT_MODEL = process.env.DEFAULT_MODEL || 'sample-1';
const introspector = introspectionFromEnv(fail, log); // optional
const MAX_BODY = 1024 * 1024;
const MAX_DELAY_MS = 600_000;

const audit = [];
// DPoP (RFC 9449): introspected tokens with cnf.jkt must come with a valid proof (see lib/dpop.mjs); DPOP_NONCE=1 asks for nonces.
const dpop = new DpopVerifier({ requireNonce: process.env.DPOP_NONCE === '1' });

class HttpError extends Error {
  constructor(status, code, message, headers = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

const sleep = (ms, signal) => new Promise((resolve) => {
  if (ms <= 0 || signal.aborted) { resolve(); return; }
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

const words = (text) => String(text ?? '').split(/\s+/).filter(Boolean);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) reject(new HttpError(413, 'payload_too_large', `request body exceeds ${MAX_BODY} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function optionalInt(name, queryValue, bodyValue, { min, max }) {
  const raw = queryValue ?? bodyValue;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, 'invalid_request', `${name} must be an integer in [${min}, ${max}]`);
  }
  return value;
}

function parseChatRequest(text, query) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'the request body must be JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_request', 'the request body must be a JSON object');
  }
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new HttpError(400, 'invalid_request', '"messages" must be a non-empty array');
  }
  messages.forEach((m, i) => {
    if (!m || typeof m.role !== 'string' || typeof m.content !== 'string') {
      throw new HttpError(400, 'invalid_request', `messages[${i}] must have string "role" and "content"`);
    }
  });
  if (body.model !== undefined && typeof body.model !== 'string') {
    throw new HttpError(400, 'invalid_request', '"model" must be a string');
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    throw new HttpError(400, 'invalid_request', '"stream" must be a boolean');
  }
  if (body.contexts !== undefined && !Array.isArray(body.contexts)) {
    throw new HttpError(400, 'invalid_request', '"contexts" must be an array');
  }
  return {
    messages,
    model: body.model || DEFAULT_MODEL,
    stream: body.stream === true,
    contexts: body.contexts ?? [],
    delayMs: optionalInt('delayMs', query.get('delayMs'), body.delayMs, { min: 0, max: MAX_DELAY_MS }),
    status: optionalInt('status', query.get('status'), body.status, { min: 400, max: 599 }),
    chunkDelayMs: optionalInt('chunkDelayMs', query.get('chunkDelayMs'), body.chunkDelayMs, { min: 0, max: 60_000 }),
  };
}

function answer(chat) {
  const lastUser = [...chat.messages].reverse().find((m) => m.role === 'user');
  const content = `Echo: ${lastUser ? lastUser.content : ''}`.trimEnd()
    + (chat.contexts.length ? ` [contexts: ${chat.contexts.length}]` : '');
  const promptTokens = chat.messages.reduce((n, m) => n + words(m.content).length, 0);
  const completionTokens = words(content).length;
  return {
    id: `chat-${randomUUID()}`,
    content,
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

async function handleChat(req, res, url, entry, abort) {
  if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST', { allow: 'POST' });
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.toLowerCase().includes('application/json')) {
    throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
  const chat = parseChatRequest(await readBody(req), url.searchParams);
  entry.stream = chat.stream;

  if (chat.delayMs) await sleep(chat.delayMs, abort.signal);
  if (abort.signal.aborted) return;

  if (chat.status) {
    throw new HttpError(chat.status, 'forced_status', `status ${chat.status} forced by the request`,
      chat.status === 429 || chat.status === 503 ? { 'retry-after': '1' } : {});
  }

  const { id, content, usage } = answer(chat);

  if (!chat.stream) {
    entry.status = 200;
    sendJson(res, 200, { id, model: chat.model, provider: 'sample', message: { role: 'assistant', content }, usage });
    return;
  }

  entry.status = 200;
  res.socket?.setNoDelay(true);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  const delay = chat.chunkDelayMs ?? CHUNK_DELAY_MS;
  const pieces = content.match(/\S+\s*/g) ?? [''];
  for (let i = 0; i < pieces.length; i += 1) {
    if (abort.signal.aborted) return;
    if (i > 0) await sleep(delay, abort.signal);
    if (abort.signal.aborted) return;
    res.write(`data: ${JSON.stringify({ delta: pieces[i] })}\n\n`);
  }
  await sleep(delay, abort.signal);
  if (abort.signal.aborted) return;
  res.write(`data: ${JSON.stringify({ id, model: chat.model, provider: 'sample', finish_reason: 'stop', usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}

const server = createServer(async (req, res) => {
  const started = Date.now();
  const url = new URL(req.url || '/', `http://127.0.0.1:${PORT}`);
  const path = url.pathname;

  if (path === '/_audit') {
    handleAudit(req, res, audit);
    return;
  }
  if (path === '/_health') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }

  const authorization = req.headers.authorization;
  const entry = pushAudit(audit, {
    at: new Date().toISOString(),
    method: req.method,
    path,
    authorization: typeof authorization !== 'string' ? null : (/^Bearer\s/i.test(authorization) ? 'Bearer' : /^DPoP\s/i.test(authorization) ? 'DPoP' : 'Other'),
    dpop: false,
    sub: null,
    hadCookie: typeof req.headers.cookie === 'string' && req.headers.cookie.length > 0,
    headers: Object.keys(req.headers).sort(),
    status: null,
    stream: null,
  });

  const abort = new AbortController();
  res.on('close', () => { if (!res.writableFinished) abort.abort(); });

  try {
    const credentials = accessToken(req);
    const token = credentials?.token;
    if (!token) {
      throw new HttpError(401, 'invalid_token', authorization ? 'the Authorization header is not a Bearer or DPoP token' : 'missing bearer token',
        { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    if (introspector) {
      let result;
      try {
        result = await introspector.introspect(token);
      } catch (err) {
        if (err instanceof IntrospectionUnavailableError) throw new HttpError(503, 'temporarily_unavailable', err.message, { 'retry-after': '1' });
        throw err;
      }
      if (!result.active) {
        throw new HttpError(401, 'invalid_token', 'the access token is invalid, expired or revoked',
          { 'www-authenticate': 'Bearer error="invalid_token"' });
      }
      const refused = await dpop.verify(req, { ...credentials, jkt: result.cnf?.jkt, url: `http://${req.headers.host}${path}` });
      if (refused) throw new HttpError(401, refused.error, refused.description, refused.headers);
      entry.dpop = Boolean(result.cnf?.jkt);
      entry.sub = result.sub;
    }

    if (path === '/api/v2/chat') {
      await handleChat(req, res, url, entry, abort);
    } else {
      throw new HttpError(404, 'not_found', `no route for ${req.method} ${path}`);
    }
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 500;
    entry.status = status;
    if (!(err instanceof HttpError)) log('error', { path, error: err.message, stack: err.stack });
    if (!abort.signal.aborted) {
      if (!res.headersSent) req.resume(); // drain any unread body before answering
      sendJson(res, status, { error: { code: err.code ?? 'internal_error', message: err.message } }, err.headers ?? {});
    }
  } finally {
    log('request', {
      method: req.method, path, status: abort.signal.aborted ? 499 : entry.status, sub: entry.sub,
      stream: entry.stream, ms: Date.now() - started, ...(abort.signal.aborted ? { note: 'client closed the connection' } : {}),
    });
  }
});

server.requestTimeout = 0; // allow ?delayMs= up to 10 minutes
server.keepAliveTimeout = 65_000;

async function start() {
  if (introspector) await introspector.init({ timeoutMs: 30_000 });
  listenLoopback(server, PORT, {
    log,
    component: COMPONENT,
    onListening: () => {
      log('listening', {
        port: PORT,
        bearer: introspector ? 'introspected' : 'presence only',
        introspection_endpoint: introspector?.endpoint ?? null,
        chunk_delay_ms: CHUNK_DELAY_MS,
      });
      process.stdout.write(`CHAT UPSTREAM READY http://127.0.0.1:${PORT}\n`);
    },
  });
}

start().catch((err) => {
  process.stderr.write(`${COMPONENT}: ${err.message}\n`);
  process.exit(1);
});
