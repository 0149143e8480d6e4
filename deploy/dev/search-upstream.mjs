#!/usr/bin/env node
// deploy/dev/search-upstream.mjs — a SearXNG-compatible search API for McpGateway's web_search tool (dev + tests).
//
// DEVELOPMENT / TEST ONLY. Node built-ins only. Answers deterministically: the results are derived from
// the query alone, so tests can assert exact titles, URLs and snippets without any network access.
//
// Start:   PORT=5104 node deploy/dev/search-upstream.mjs
// Ready:   prints one stdout line `SEARCH UPSTREAM READY http://127.0.0.1:<PORT>`.
// Stop:    SIGTERM or SIGINT (exit code 0).
//
// Environment variables
//   PORT          required. Listens on 127.0.0.1:PORT.
//   RESULT_COUNT  results per query, default 8 (0–50).
//
// API
//   GET /search?q=<query>&format=json
//     200 application/json  { "query": q, "number_of_results": n, "results": [ … ] }, result i (1-based):
//         { "title":   "Result i for <q>",
//           "url":     "https://example.com/search/<slug>/<i>",      slug = lower-case q, runs of other than a-z0-9 → "-"
//           "content": "Snippet i about <b><q></b>: deterministic text.",   (the query HTML-escaped, in <b>…</b>)
//           "engine": "dev", "score": 1/i }
//     400 { "error": … }  when q is missing or blank, or format is not json (SearXNG answers 403 for a
//                          disabled format; 400 makes the difference plain).
//     405 for other methods than GET/HEAD.
//   Test knobs (query string, alongside q and format; the gateway keeps a query already in
//   Tools:WebSearch:Url, so e.g. Url=http://127.0.0.1:5104/search?status=500 forces an error):
//     delayMs=N    wait N ms (≤ 600000) before answering (timeout tests)
//     status=NNN   answer with that HTTP status (400–599) and a JSON error body
//     redirect=URL answer 302 with Location: URL (redirect-not-followed tests)
//     raw=html     answer 200 text/html instead of JSON (non-JSON tests)
//
// Unauthenticated dev/test endpoints
//   GET    /_audit   JSON array, one entry per /search request (oldest first):
//                    { at, method, path, q, format, count, status, hadCookie, authorization: "Bearer"|"Other"|null }
//   DELETE /_audit   clears it, answers {"cleared": n}.
//   GET    /_health  {"status":"ok"}.
//
// Logs: one JSON line per request on stdout (the query's length, not the query).

import { createServer } from 'node:http';
import {
  createLogger, handleAudit, intEnv, listenLoopback, portEnv, pushAudit, sendJson,
} from './lib/common.mjs';

const COMPONENT = 'search-upstream';
const { log, fail } = createLogger(COMPONENT);

const PORT = portEnv(fail);
const RESULT_COUNT = intEnv(fail, 'RESULT_COUNT', 8, { max: 50 });
const MAX_DELAY_MS = 600_000;

const audit = [];

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
}[c]));

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'query';

function results(q) {
  return Array.from({ length: RESULT_COUNT }, (_, index) => {
    const i = index + 1;
    return {
      title: `Result ${i} for ${q}`,
      url: `https://example.com/search/${slug(q)}/${i}`,
      content: `Snippet ${i} about <b>${escapeHtml(q)}</b>: deterministic text.`,
      engine: 'dev',
      score: 1 / i,
    };
  });
}

function optionalInt(params, name, { min, max }) {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  return Number.isInteger(value) && value >= min && value <= max ? value : NaN;
}

const sleep = (ms, signal) => new Promise((resolve) => {
  if (ms <= 0 || signal.aborted) { resolve(); return; }
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

async function handleSearch(req, res, params, entry, abort) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(res, 405, { error: 'method_not_allowed', allowed: ['GET', 'HEAD'] }, { allow: 'GET, HEAD' });
  }
  const q = params.get('q');
  if (q === null || q.trim() === '') return sendJson(res, 400, { error: 'the q parameter is required' });
  if (params.get('format') !== 'json') {
    return sendJson(res, 400, { error: `format must be json, got "${params.get('format') ?? ''}"` });
  }

  const delayMs = optionalInt(params, 'delayMs', { min: 0, max: MAX_DELAY_MS });
  const status = optionalInt(params, 'status', { min: 400, max: 599 });
  if (Number.isNaN(delayMs)) return sendJson(res, 400, { error: `delayMs must be an integer in [0, ${MAX_DELAY_MS}]` });
  if (Number.isNaN(status)) return sendJson(res, 400, { error: 'status must be an integer in [400, 599]' });
  if (delayMs) await sleep(delayMs, abort.signal);
  if (abort.signal.aborted) return undefined;

  if (status) return sendJson(res, status, { error: `status ${status} forced by the request` });
  const redirect = params.get('redirect');
  if (redirect) {
    res.writeHead(302, { location: redirect, 'content-length': 0, 'cache-control': 'no-store' });
    return res.end();
  }
  if (params.get('raw') === 'html') {
    const page = `<!doctype html><html><body><h1>Results for ${escapeHtml(q)}</h1></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page) });
    return res.end(page);
  }

  const list = results(q);
  entry.count = list.length;
  return sendJson(res, 200, { query: q, number_of_results: list.length, results: list });
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
  if (path !== '/search') {
    sendJson(res, 404, { error: `no route for ${req.method} ${path}` });
    return;
  }

  const authorization = req.headers.authorization;
  const entry = pushAudit(audit, {
    at: new Date().toISOString(),
    method: req.method,
    path,
    q: url.searchParams.get('q'),
    format: url.searchParams.get('format'),
    count: null,
    status: null,
    hadCookie: typeof req.headers.cookie === 'string' && req.headers.cookie.length > 0,
    authorization: typeof authorization !== 'string' ? null : (/^Bearer\s/i.test(authorization) ? 'Bearer' : 'Other'),
  });

  const abort = new AbortController();
  res.on('close', () => { if (!res.writableFinished) abort.abort(); });
  try {
    await handleSearch(req, res, url.searchParams, entry, abort);
  } catch (err) {
    log('error', { path, error: err.message, stack: err.stack });
    if (!abort.signal.aborted) sendJson(res, 500, { error: 'internal_error' });
  } finally {
    entry.status = abort.signal.aborted ? 499 : res.statusCode;
    log('request', {
      method: req.method, path, status: entry.status, query_length: entry.q?.length ?? null,
      results: entry.count, ms: Date.now() - started,
    });
  }
});

server.requestTimeout = 0; // allow ?delayMs= up to 10 minutes
server.keepAliveTimeout = 65_000;

listenLoopback(server, PORT, {
  log,
  component: COMPONENT,
  onListening: () => {
    log('listening', { port: PORT, result_count: RESULT_COUNT });
    process.stdout.write(`SEARCH UPSTREAM READY http://127.0.0.1:${PORT}\n`);
  },
});
