#!/usr/bin/env node
// deploy/dev/mcp-protected.mjs — an MCP server that is its own OAuth 2.0 resource server (MCP authorization spec).
//
// DEVELOPMENT / TEST ONLY. Built with the MCP TypeScript SDK (McpServer + StreamableHTTPServerTransport, sessions):
// it publishes RFC 9728 protected-resource metadata naming its authorization server, answers 401 with
// `WWW-Authenticate: Bearer resource_metadata="…"` to requests without a valid token, and validates each bearer
// token itself as a JWT access token (RFC 9068): signature by the authorization server's JWKS, `iss`, `aud` = its own
// resource URL, expiry. Start the authorization server (idp.mjs) with JWT_RESOURCES=<this RESOURCE> so it issues such
// tokens for it.
//
// Start:   PORT=5103 ISSUER=http://127.0.0.1:5104 node deploy/dev/mcp-protected.mjs
// Ready:   prints one stdout line `MCP PROTECTED READY http://127.0.0.1:<PORT>/mcp` once it listens (127.0.0.1 only).
// Stop:    SIGTERM or SIGINT.
//
// Environment variables
//   PORT              required. Listens on 127.0.0.1:PORT.
//   ISSUER            required. The authorization server; its jwks_uri comes from /.well-known/openid-configuration
//                     (retried for up to 30 s at start-up).
//   RESOURCE          this server's resource identifier; default http://127.0.0.1:PORT/mcp (also the MCP endpoint).
//   SCOPES_SUPPORTED  space-separated, published in the metadata; default "mcp".
//   ADMIN_SCOPE       the extra scope the tool `admin_report` needs; default "mcp:admin". A call without it is
//                     answered 403 `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"` (MCP step-up).
//
// Tools: `whoami` (the token's sub, aud, iss, scope, client_id as JSON text), `secret_echo {text}` (echoes the text
//        back as "secret:<text>"), `admin_report` (needs ADMIN_SCOPE).
//
// Dev/test endpoints (unauthenticated)
//   GET    /.well-known/oauth-protected-resource[/mcp]  RFC 9728 metadata.
//   GET    /_audit   JSON array, one entry per /mcp request: { at, method, status, token_sha256, iss, aud, sub,
//                    client_id, scope, mcpMethod, tool, error }. Token hashes only, never tokens.
//   DELETE /_audit   clears it.
//   GET    /_health  {"status":"ok"}.

import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { accessToken, DpopVerifier } from './lib/dpop.mjs';
import {
  createLogger, handleAudit, listenLoopback, portEnv, pushAudit, sendJson, sha256, urlEnv,
} from './lib/common.mjs';

const COMPONENT = 'mcp-protected';
const { log, fail } = createLogger(COMPONENT);

const PORT = portEnv(fail);
const ISSUER = urlEnv(fail, 'ISSUER', { required: true }).href.replace(/\/+$/, '');
const RESOURCE = process.env.RESOURCE || `http://127.0.0.1:${PORT}/mcp`;
const SCOPES_SUPPORTED = (process.env.SCOPES_SUPPORTED ?? 'mcp').split(' ').filter(Boolean);
const ADMIN_SCOPE = process.env.ADMIN_SCOPE || 'mcp:admin';
const MCP_PATH = new URL(RESOURCE).pathname;
const METADATA_PATH = `/.well-known/oauth-protected-resource${MCP_PATH.replace(/\/$/, '')}`;
const METADATA_URL = `http://127.0.0.1:${PORT}${METADATA_PATH}`;
const MAX_BODY = 1024 * 1024;

const audit = [];
const sessions = new Map();

async function discoverJwks() {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${ISSUER}/.well-known/openid-configuration`);
      if (response.ok) {
        const metadata = await response.json();
        if (metadata.jwks_uri) return createRemoteJWKSet(new URL(metadata.jwks_uri));
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) fail(`the authorization server ${ISSUER} publishes no jwks_uri`);
    await new Promise((resolve) => { setTimeout(resolve, 250); });
  }
}

const jwks = await discoverJwks();

function challenge(fields = {}) {
  const params = [`resource_metadata="${METADATA_URL}"`];
  for (const [name, value] of Object.entries(fields)) params.push(`${name}="${String(value).replace(/["\\]/g, '')}"`);
  return `Bearer ${params.join(', ')}`;
}

/** The verified claims of the request's token, or an error string. */
// A JWT with cnf.jkt (RFC 9449 §6.1) is DPoP-bound: it needs `Authorization: DPoP` and a proof (lib/dpop.mjs).
const dpop = new DpopVerifier();

async function authenticate(req) {
  const credentials = accessToken(req);
  const token = credentials?.token;
  if (!token) return { error: 'no bearer token' };
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer: ISSUER, audience: RESOURCE, typ: 'at+jwt' });
    const url = new URL(req.url || '/', `http://${req.headers.host}`);
    const refused = await dpop.verify(req, { ...credentials, jkt: payload.cnf?.jkt, url: `http://${req.headers.host}${url.pathname}` });
    if (refused) return { token, error: refused.description };
    return { token, payload };
  } catch (err) {
    return { token, error: err.code || err.message };
  }
}

function buildServer() {
  const server = new McpServer({ name: 'mcp-protected', version: '1.0.0' });
  server.registerTool('whoami', { description: 'Who the access token says you are, and for which audience.' }, async (extra) => {
    const claims = extra.authInfo?.extra?.claims ?? {};
    const text = JSON.stringify({ sub: claims.sub, aud: claims.aud, iss: claims.iss, scope: claims.scope, client_id: claims.client_id });
    return { content: [{ type: 'text', text }] };
  });
  server.registerTool('secret_echo', {
    description: 'Echoes the text back; only for authorized callers.',
    inputSchema: { text: z.string() },
  }, async ({ text }) => ({ content: [{ type: 'text', text: `secret:${text}` }] }));
  server.registerTool('admin_report', { description: `Needs the ${ADMIN_SCOPE} scope.` }, async () => ({ content: [{ type: 'text', text: 'admin report: all good' }] }));
  return server;
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length === 0 ? undefined : JSON.parse(text);
}

function describeRpc(body) {
  const messages = Array.isArray(body) ? body : body ? [body] : [];
  return {
    mcpMethod: messages.map((m) => m?.method).filter(Boolean).join(',') || null,
    tool: messages.find((m) => m?.method === 'tools/call')?.params?.name ?? null,
  };
}

async function handleMcp(req, res) {
  const entry = pushAudit(audit, { at: new Date().toISOString(), method: req.method, status: null });
  const auth = await authenticate(req);
  if (auth.token) entry.token_sha256 = sha256(auth.token);
  if (auth.error) {
    entry.status = 401;
    entry.error = auth.error;
    sendJson(res, 401, { error: 'invalid_token', error_description: auth.error },
      { 'www-authenticate': auth.token ? challenge({ error: 'invalid_token' }) : challenge() });
    return;
  }

  const { payload } = auth;
  Object.assign(entry, { iss: payload.iss, aud: payload.aud, sub: payload.sub, client_id: payload.client_id, scope: payload.scope ?? null });
  let body;
  if (req.method === 'POST') {
    try {
      body = await readBody(req);
    } catch (err) {
      entry.status = 400;
      sendJson(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: err.message } });
      return;
    }
    Object.assign(entry, describeRpc(body));
  }

  const granted = String(payload.scope ?? '').split(' ');
  if (entry.tool === 'admin_report' && !granted.includes(ADMIN_SCOPE)) {
    entry.status = 403;
    sendJson(res, 403, { error: 'insufficient_scope', error_description: `admin_report needs ${ADMIN_SCOPE}` },
      { 'www-authenticate': challenge({ error: 'insufficient_scope', scope: [...granted.filter(Boolean), ADMIN_SCOPE].join(' ') }) });
    return;
  }

  req.auth = { token: auth.token, clientId: payload.client_id ?? '', scopes: granted, expiresAt: payload.exp, extra: { claims: payload } };
  const sessionId = req.headers['mcp-session-id'];
  let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
  if (!transport) {
    if (typeof sessionId === 'string') {
      entry.status = 404;
      sendJson(res, 404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } });
      return;
    }
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => { sessions.set(id, transport); },
    });
    transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId); };
    await buildServer().connect(transport);
  }
  res.on('finish', () => { entry.status = res.statusCode; });
  await transport.handleRequest(req, res, body);
}

const server = createServer((req, res) => {
  const path = (req.url || '/').split('?')[0];
  const started = Date.now();
  res.on('finish', () => log('request', { method: req.method, path, status: res.statusCode, ms: Date.now() - started }));
  if (path === '/_audit') {
    handleAudit(req, res, audit);
  } else if (path === '/_health') {
    sendJson(res, 200, { status: 'ok' });
  } else if (path === METADATA_PATH || path === '/.well-known/oauth-protected-resource') {
    sendJson(res, 200, {
      resource: RESOURCE,
      authorization_servers: [ISSUER],
      scopes_supported: SCOPES_SUPPORTED,
      bearer_methods_supported: ['header'],
      resource_name: 'McpGateway dev protected MCP server',
    });
  } else if (path === MCP_PATH) {
    handleMcp(req, res).catch((err) => {
      log('error', { error: err.message });
      if (!res.headersSent) sendJson(res, 500, { jsonrpc: '2.0', id: null, error: { code: -32603, message: 'internal error' } });
    });
  } else {
    sendJson(res, 404, { error: 'not_found' });
  }
});

listenLoopback(server, PORT, {
  log,
  component: COMPONENT,
  onListening: () => {
    log('listening', { port: PORT, resource: RESOURCE, issuer: ISSUER, admin_scope: ADMIN_SCOPE });
    process.stdout.write(`MCP PROTECTED READY ${RESOURCE}\n`);
  },
});
