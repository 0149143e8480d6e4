#!/usr/bin/env node
// deploy/dev/mcp-front.mjs — bearer-checking reverse proxy in front of an MCP Streamable HTTP server.
//
// DEVELOPMENT / TEST ONLY. The MCP reference server (server-everything) has no authorization, so this
// front plays the "protected resource": every request must carry `Authorization: Bearer <access token>`,
// which is validated at the OpenID provider's introspection endpoint (RFC 7662) with a confidential
// client. Valid requests are streamed to UPSTREAM and the response streamed back chunk by chunk
// (SSE flows as produced, nothing is buffered). Authorization and Cookie are stripped before forwarding.
//
// Start:   PORT=5102 UPSTREAM=http://127.0.0.1:5101 ISSUER=http://127.0.0.1:5100 node deploy/dev/mcp-front.mjs
// Ready:   prints one stdout line `MCP FRONT READY http://127.0.0.1:<PORT>/mcp` (after the
//          introspection endpoint is known: with ISSUER it retries discovery for up to 30 s, then exits 1).
// Stop:    SIGTERM or SIGINT.
//
// Environment variables
//   PORT                         required. Listens on 127.0.0.1:PORT.
//   UPSTREAM                     required. Base URL of the MCP server, e.g. http://127.0.0.1:5101 (the
//                                request path and query are appended unchanged: /mcp → UPSTREAM/mcp).
//   INTROSPECTION_URL            the introspection endpoint; or
//   ISSUER                       the issuer, whose /.well-known/openid-configuration gives the endpoint.
//                                One of the two is required. ISSUER also enables RFC 9728 metadata.
//   INTROSPECTION_CLIENT_ID      default mcp-resource.
//   INTROSPECTION_CLIENT_SECRET  default mcp-resource-secret.
//   INTROSPECTION_AUTH_METHOD    client_secret_basic (default) or client_secret_post.
//   INTROSPECTION_CACHE_MS       how long an ACTIVE introspection result is reused, keyed by SHA-256 of
//                                the token; default 5000, 0 disables (use 0 in revocation tests).
//   RESOURCE                     this resource's identifier for the RFC 9728 metadata; default
//                                http://127.0.0.1:PORT/mcp.
//   DPOP_NONCE                   1: DPoP proofs must carry a nonce of this front (RFC 9449 §9): a proof without
//                                the current one is answered 401 WWW-Authenticate: DPoP error="use_dpop_nonce"
//                                with a DPoP-Nonce header. Default: no nonce. DPoP-bound tokens (introspection
//                                cnf.jkt) always need `Authorization: DPoP` and a proof that verifies (signature by
//                                its jwk, thumbprint = cnf.jkt, htm, htu, iat within 60 s, ath, unused jti).
//   AUDIT_ONLY                   1: check nothing, forward every request and only audit it (a server reached
//                                without authorization, whose audit shows whether an Authorization header came).
//                                Default: tokens are required.
//
// Responses of the front itself
//   401  missing / malformed / inactive token:
//        WWW-Authenticate: Bearer error="invalid_token", error_description="…"[, resource_metadata="…"]
//        body {"error":"invalid_token","error_description":"…"}
//   503  the introspection endpoint cannot be reached: {"error":"temporarily_unavailable",…}
//   502  the upstream cannot be reached: {"error":"bad_gateway",…}
//
// Unauthenticated dev/test endpoints
//   GET    /_audit   JSON array of audit entries, one per request (oldest first):
//                    { at, method, path, sub, client_id, aud, active, hadCookie, hadAuthorization, mcpMethod, mcpSessionId, mcpSession, mcpSessionIssued, status }
//                    mcpMethod = the JSON-RPC "method" of a JSON body (comma-joined for batches, null otherwise);
//                    mcpSessionId = whether an Mcp-Session-Id header was sent (boolean);
//                    mcpSession = a fingerprint of that header (16 hex digits of its SHA-256, never the id), or null;
//                    mcpSessionIssued = the fingerprint of the Mcp-Session-Id the server answered with, or null.
//   DELETE /_audit   clears it, answers {"cleared": n}.
//   GET    /_health  {"status":"ok"}.
//   POST   /_refuse-next  the next request that carries a bearer token is answered 401 invalid_token whatever
//                    the token (a resource server whose clock runs ahead, or that revoked it alone); {"pending": n}.
//   GET    /.well-known/oauth-protected-resource[/mcp]  RFC 9728 metadata (only when ISSUER is set).
//
// Logs: one JSON line per request on stdout ({event:"request", method, path, status, sub, client_id,
// mcpMethod, ms}); tokens and cookies are never logged.

import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { accessToken, DpopVerifier } from './lib/dpop.mjs';
import {
  createLogger, handleAudit, introspectionFromEnv, IntrospectionUnavailableError,
  listenLoopback, portEnv, pushAudit, sendJson, urlEnv,
} from './lib/common.mjs';

const COMPONENT = 'mcp-front';
const { log, fail } = createLogger(COMPONENT);

const PORT = portEnv(fail);
const UPSTREAM = urlEnv(fail, 'UPSTREAM', { required: true });
const introspector = introspectionFromEnv(fail, log);
if (!introspector) fail('set INTROSPECTION_URL or ISSUER (the introspection endpoint is discovered from the issuer)');
const AUDIT_ONLY = process.env.AUDIT_ONLY === '1';
const RESOURCE = process.env.RESOURCE || `http://127.0.0.1:${PORT}/mcp`;
// DPoP (RFC 9449): tokens whose introspection has cnf.jkt must come with a valid proof (see lib/dpop.mjs).
const dpop = new DpopVerifier({ requireNonce: process.env.DPOP_NONCE === '1' });
const RESOURCE_METADATA_URL = `http://127.0.0.1:${PORT}/.well-known/oauth-protected-resource${new URL(RESOURCE).pathname.replace(/\/$/, '')}`;

const upstreamBase = UPSTREAM.href.replace(/\/+$/, '');
const isHttps = UPSTREAM.protocol === 'https:';
const upstreamAgent = isHttps ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
const doRequest = isHttps ? httpsRequest : httpRequest;

// Hop-by-hop headers (RFC 9110 §7.6.1) and the credentials that must not reach the upstream.
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
]);
const STRIP_TO_UPSTREAM = new Set([...HOP_BY_HOP, 'authorization', 'cookie', 'host']);

const audit = [];

function unauthorized(res, description) {
  const challenge = [
    'Bearer error="invalid_token"',
    `error_description="${description.replace(/["\\]/g, '')}"`,
    ...(introspector.issuer ? [`resource_metadata="${RESOURCE_METADATA_URL}"`] : []),
  ].join(', ');
  sendJson(res, 401, { error: 'invalid_token', error_description: description }, { 'www-authenticate': challenge });
}

function connectionTokens(headers) {
  const value = headers.connection;
  if (typeof value !== 'string') return new Set();
  return new Set(value.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

function forwardedRequestHeaders(req) {
  const extra = connectionTokens(req.headers);
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!STRIP_TO_UPSTREAM.has(name) && !extra.has(name)) headers[name] = value;
  }
  headers.host = UPSTREAM.host;
  const remote = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${remote}` : remote;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-host'] = req.headers.host ?? `127.0.0.1:${PORT}`;
  return headers;
}

function responseHeaders(upstreamRes) {
  const extra = connectionTokens(upstreamRes.headers);
  const headers = {};
  for (const [name, value] of Object.entries(upstreamRes.headers)) {
    if (!HOP_BY_HOP.has(name) && !extra.has(name)) headers[name] = value;
  }
  return headers;
}

/** Extracts the JSON-RPC method(s) from a (possibly truncated) JSON body; null when not JSON-RPC. */
function jsonRpcMethod(buffer, truncated) {
  if (buffer.length === 0 || truncated) return null;
  try {
    const parsed = JSON.parse(buffer.toString('utf8'));
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    const methods = messages.map((m) => (m && typeof m.method === 'string' ? m.method : null)).filter(Boolean);
    return methods.length ? methods.join(',') : null;
  } catch {
    return null;
  }
}

const BODY_SNIFF_LIMIT = 1024 * 1024;

// Tests compare sessions by this, so that no session id is kept in the audit.
function fingerprint(sessionId) {
  return typeof sessionId === 'string' ? createHash('sha256').update(sessionId).digest('hex').slice(0, 16) : null;
}

function proxy(req, res, entry, started) {
  const target = `${upstreamBase}${req.url}`;
  const upstreamReq = doRequest(target, {
    method: req.method,
    headers: forwardedRequestHeaders(req),
    agent: upstreamAgent,
  });

  let finished = false;
  const done = (status, extra = {}) => {
    if (finished) return;
    finished = true;
    entry.status = status;
    log('request', {
      method: req.method, path: entry.path, status, sub: entry.sub, client_id: entry.client_id,
      mcpMethod: entry.mcpMethod, ms: Date.now() - started, ...extra,
    });
  };

  upstreamReq.on('response', (upstreamRes) => {
    entry.status = upstreamRes.statusCode;
    entry.mcpSessionIssued = fingerprint(upstreamRes.headers['mcp-session-id']);
    res.writeHead(upstreamRes.statusCode, upstreamRes.statusMessage, responseHeaders(upstreamRes));
    res.flushHeaders();
    upstreamRes.on('data', (chunk) => {
      // write() hands each chunk to the socket immediately; honour back-pressure for large bodies.
      if (!res.write(chunk)) {
        upstreamRes.pause();
        res.once('drain', () => upstreamRes.resume());
      }
    });
    upstreamRes.on('end', () => {
      res.end();
      done(upstreamRes.statusCode);
    });
    upstreamRes.on('error', (err) => {
      done(upstreamRes.statusCode, { error: `upstream response aborted: ${err.message}` });
      res.destroy(err);
    });
  });

  upstreamReq.on('error', (err) => {
    if (res.writableEnded || res.destroyed) return;
    if (!res.headersSent) {
      done(502, { error: err.message });
      sendJson(res, 502, { error: 'bad_gateway', error_description: `upstream ${upstreamBase} unreachable: ${err.message}` });
    } else {
      done(entry.status, { error: `upstream aborted: ${err.message}` });
      res.destroy(err);
    }
  });

  // Client went away (e.g. closed an SSE stream): abort the upstream exchange too.
  res.on('close', () => {
    if (!res.writableFinished) {
      done(entry.status ?? 499, { note: 'client closed the connection' });
      upstreamReq.destroy();
    }
  });

  // Stream the request body through while keeping a copy (bounded) to read the JSON-RPC method.
  const sniff = [];
  let sniffed = 0;
  let truncated = false;
  req.on('data', (chunk) => {
    if (sniffed + chunk.length <= BODY_SNIFF_LIMIT) {
      sniff.push(chunk);
      sniffed += chunk.length;
    } else {
      truncated = true;
    }
    if (!upstreamReq.write(chunk)) {
      req.pause();
      upstreamReq.once('drain', () => req.resume());
    }
  });
  req.on('end', () => {
    const contentType = String(req.headers['content-type'] ?? '');
    entry.mcpMethod = contentType.includes('json') ? jsonRpcMethod(Buffer.concat(sniff), truncated) : null;
    upstreamReq.end();
  });
  req.on('error', () => upstreamReq.destroy());
}

function protectedResourceMetadata(res) {
  sendJson(res, 200, {
    resource: RESOURCE,
    authorization_servers: [introspector.issuer],
    bearer_methods_supported: ['header'],
    resource_name: 'MCP everything server (dev front)',
  });
}

let refuseNext = 0;

const server = createServer(async (req, res) => {
  const started = Date.now();
  const path = (req.url || '/').split('?')[0];

  if (path === '/_audit') {
    handleAudit(req, res, audit);
    return;
  }
  if (path === '/_health') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  if (path === '/_refuse-next' && req.method === 'POST') {
    refuseNext += 1;
    sendJson(res, 200, { pending: refuseNext });
    return;
  }
  if (path.startsWith('/.well-known/oauth-protected-resource') && introspector.issuer && req.method === 'GET') {
    protectedResourceMetadata(res);
    return;
  }

  const entry = pushAudit(audit, {
    at: new Date().toISOString(),
    method: req.method,
    path,
    sub: null,
    client_id: null,
    aud: null,
    active: false,
    hadCookie: typeof req.headers.cookie === 'string' && req.headers.cookie.length > 0,
    hadAuthorization: typeof req.headers.authorization === 'string',
    scheme: null,
    dpop: false,
    mcpMethod: null,
    mcpSessionId: typeof req.headers['mcp-session-id'] === 'string',
    mcpSession: fingerprint(req.headers['mcp-session-id']),
    mcpSessionIssued: null,
    status: null,
  });

  const reject = (status, fields, respond) => {
    entry.status = status;
    // Still read the body so the JSON-RPC method shows up in the audit (bounded, then discarded).
    const chunks = [];
    let size = 0;
    req.on('data', (c) => { size += c.length; if (size <= BODY_SNIFF_LIMIT) chunks.push(c); });
    req.on('end', () => {
      if (String(req.headers['content-type'] ?? '').includes('json')) {
        entry.mcpMethod = jsonRpcMethod(Buffer.concat(chunks), size > BODY_SNIFF_LIMIT);
      }
      log('request', { method: req.method, path, status, mcpMethod: entry.mcpMethod, ms: Date.now() - started, ...fields });
      respond();
    });
  };

  if (AUDIT_ONLY) {
    proxy(req, res, entry, started);
    return;
  }

  const credentials = accessToken(req);
  const token = credentials?.token;
  if (!token) {
    const description = req.headers.authorization ? 'the Authorization header is not a Bearer or DPoP token' : 'missing bearer token';
    reject(401, { error: description }, () => unauthorized(res, description));
    return;
  }

  if (refuseNext > 0) {
    refuseNext -= 1;
    reject(401, { error: 'refused on request (/_refuse-next)' }, () => unauthorized(res, 'the access token is invalid, expired or revoked'));
    return;
  }

  let result;
  try {
    result = await introspector.introspect(token);
  } catch (err) {
    const description = err instanceof IntrospectionUnavailableError ? err.message : `introspection failed: ${err.message}`;
    reject(503, { error: description }, () => sendJson(res, 503, { error: 'temporarily_unavailable', error_description: description }, { 'retry-after': '1' }));
    return;
  }

  entry.active = result.active;
  if (!result.active) {
    reject(401, { error: 'inactive token' }, () => unauthorized(res, 'the access token is invalid, expired or revoked'));
    return;
  }
  entry.scheme = credentials.scheme === 'dpop' ? 'DPoP' : 'Bearer';
  const refused = await dpop.verify(req, { ...credentials, jkt: result.cnf?.jkt, url: `http://${req.headers.host}${path}` });
  if (refused) {
    reject(401, { error: refused.description }, () => sendJson(res, 401, { error: refused.error, error_description: refused.description }, refused.headers));
    return;
  }
  entry.dpop = Boolean(result.cnf?.jkt);
  entry.sub = result.sub;
  entry.client_id = result.client_id;
  // RFC 7662 §2.2: the token's audience (a string or an array); absent for a provider's plain userinfo token.
  entry.aud = result.aud ?? null;
  proxy(req, res, entry, started);
});

// Long-lived SSE responses must not be cut by the server's request timeout.
server.requestTimeout = 0;
server.keepAliveTimeout = 65_000;

introspector.init({ timeoutMs: 30_000 }).then(() => {
  listenLoopback(server, PORT, {
    log,
    component: COMPONENT,
    onListening: () => {
      log('listening', {
        port: PORT, upstream: upstreamBase, introspection_endpoint: introspector.endpoint,
        introspection_client_id: introspector.clientId, cache_ms: introspector.cacheMs, audit_only: AUDIT_ONLY,
      });
      process.stdout.write(`MCP FRONT READY http://127.0.0.1:${PORT}/mcp\n`);
    },
  });
}, (err) => {
  process.stderr.write(`${COMPONENT}: ${err.message}\n`);
  process.exit(1);
});
