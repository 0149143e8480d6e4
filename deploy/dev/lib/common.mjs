// deploy/dev/lib/common.mjs — helpers shared by the dev-stack servers (mcp-front.mjs, chat-upstream.mjs).
//
// Not a server by itself. Provides:
//   * env parsing that fails fast with a clear message (exit code 2);
//   * one-JSON-object-per-line stdout logging;
//   * an OAuth 2.0 token introspection client (RFC 7662) with a short cache of ACTIVE results keyed by a
//     SHA-256 of the token (tokens themselves are never stored in clear, never logged);
//   * bearer extraction, an in-memory audit log, small HTTP response helpers, graceful shutdown.

import { createHash } from 'node:crypto';

// ---------------------------------------------------------------------------------------------
// env + logging
// ---------------------------------------------------------------------------------------------

export function createLogger(component) {
  const log = (event, fields = {}) => {
    process.stdout.write(`${JSON.stringify({ ts: new Date().toISOString(), component, event, ...fields })}\n`);
  };
  const fail = (message) => {
    process.stderr.write(`${component}: configuration error: ${message}\n`);
    process.exit(2);
  };
  return { log, fail };
}

export function portEnv(fail, name = 'PORT') {
  const raw = process.env[name];
  if (!raw || !/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    fail(`${name} is required and must be a TCP port number, got "${raw ?? ''}"`);
  }
  return Number(raw);
}

export function intEnv(fail, name, fallback, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    fail(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  }
  return Number(raw);
}

export function urlEnv(fail, name, { required = false } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    if (required) fail(`${name} is required`);
    return undefined;
  }
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return url;
  } catch {
    return fail(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
}

export const sha256 = (value) => createHash('sha256').update(value).digest('base64url');

// ---------------------------------------------------------------------------------------------
// bearer + introspection
// ---------------------------------------------------------------------------------------------

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

/** Returns the bearer token of a request, or null when the Authorization header is absent / not a bearer. */
export function bearerToken(req) {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = BEARER.exec(header);
  return match ? match[1] : null;
}

export class IntrospectionUnavailableError extends Error {}

/**
 * Reads introspection settings from the environment:
 *   INTROSPECTION_URL (or ISSUER → discovered from /.well-known/openid-configuration),
 *   INTROSPECTION_CLIENT_ID (default mcp-resource), INTROSPECTION_CLIENT_SECRET (default mcp-resource-secret),
 *   INTROSPECTION_AUTH_METHOD client_secret_basic (default) | client_secret_post,
 *   INTROSPECTION_CACHE_MS cache lifetime of active results, default 5000 (0 disables the cache).
 * Returns undefined when neither INTROSPECTION_URL nor ISSUER is set.
 */
export function introspectionFromEnv(fail, log) {
  const introspectionUrl = urlEnv(fail, 'INTROSPECTION_URL');
  const issuer = urlEnv(fail, 'ISSUER');
  if (!introspectionUrl && !issuer) return undefined;
  const authMethod = process.env.INTROSPECTION_AUTH_METHOD || 'client_secret_basic';
  if (!['client_secret_basic', 'client_secret_post'].includes(authMethod)) {
    fail(`INTROSPECTION_AUTH_METHOD must be client_secret_basic or client_secret_post, got "${authMethod}"`);
  }
  return new Introspector({
    introspectionUrl: introspectionUrl?.href,
    issuer: issuer ? issuer.href.replace(/\/+$/, '') : undefined,
    clientId: process.env.INTROSPECTION_CLIENT_ID || 'mcp-resource',
    clientSecret: process.env.INTROSPECTION_CLIENT_SECRET || 'mcp-resource-secret',
    authMethod,
    cacheMs: intEnv(fail, 'INTROSPECTION_CACHE_MS', 5000, { max: 3_600_000 }),
    log,
  });
}

export class Introspector {
  #endpoint;
  #cache = new Map(); // sha256(token) -> { result, until }

  constructor({ introspectionUrl, issuer, clientId, clientSecret, authMethod, cacheMs, log }) {
    this.issuer = issuer;
    this.#endpoint = introspectionUrl;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.authMethod = authMethod;
    this.cacheMs = cacheMs;
    this.log = log;
  }

  get endpoint() {
    return this.#endpoint;
  }

  /** Resolves the introspection endpoint (discovery when only ISSUER is known), retrying until `timeoutMs`. */
  async init({ timeoutMs = 30_000 } = {}) {
    if (this.#endpoint) return this.#endpoint;
    const discoveryUrl = `${this.issuer}/.well-known/openid-configuration`;
    const deadline = Date.now() + timeoutMs;
    let lastError;
    for (let attempt = 1; Date.now() < deadline; attempt += 1) {
      try {
        const response = await fetch(discoveryUrl, { signal: AbortSignal.timeout(5000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const metadata = await response.json();
        if (typeof metadata.introspection_endpoint !== 'string') {
          throw new Error('the discovery document has no introspection_endpoint');
        }
        this.#endpoint = metadata.introspection_endpoint;
        this.log('introspection_endpoint_discovered', { discovery: discoveryUrl, introspection_endpoint: this.#endpoint });
        return this.#endpoint;
      } catch (err) {
        lastError = err;
        if (attempt === 1 || attempt % 10 === 0) {
          this.log('discovery_retry', { discovery: discoveryUrl, attempt, error: err.message });
        }
        await new Promise((resolve) => { setTimeout(resolve, 500); });
      }
    }
    throw new Error(`could not discover the introspection endpoint at ${discoveryUrl}: ${lastError?.message}`);
  }

  /**
   * Introspects a token. Resolves to { active, sub, client_id, scope, aud, exp, cnf, cached }.
   * Throws IntrospectionUnavailableError when the authorization server cannot answer.
   */
  async introspect(token) {
    const key = sha256(token);
    const now = Date.now();
    const hit = this.#cache.get(key);
    if (hit) {
      if (hit.until > now) return { ...hit.result, cached: true };
      this.#cache.delete(key);
    }

    if (!this.#endpoint) await this.init({ timeoutMs: 5000 });

    const body = new URLSearchParams({ token, token_type_hint: 'access_token' });
    const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.authMethod === 'client_secret_basic') {
      const user = encodeURIComponent(this.clientId);
      const pass = encodeURIComponent(this.clientSecret);
      headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    } else {
      body.set('client_id', this.clientId);
      body.set('client_secret', this.clientSecret);
    }

    let response;
    try {
      response = await fetch(this.#endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
    } catch (err) {
      throw new IntrospectionUnavailableError(`introspection request failed: ${err.message}`);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new IntrospectionUnavailableError(`introspection endpoint answered HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    let data;
    try {
      data = await response.json();
    } catch {
      throw new IntrospectionUnavailableError('introspection endpoint answered with invalid JSON');
    }

    const result = {
      active: data.active === true && (typeof data.exp !== 'number' || data.exp * 1000 > Date.now()),
      sub: typeof data.sub === 'string' ? data.sub : null,
      client_id: typeof data.client_id === 'string' ? data.client_id : null,
      scope: typeof data.scope === 'string' ? data.scope : null,
      // RFC 7662 §2.2 / RFC 8707: whom the token is meant for (a string or an array); null for a plain userinfo token.
      aud: typeof data.aud === 'string' || Array.isArray(data.aud) ? data.aud : null,
      exp: typeof data.exp === 'number' ? data.exp : null,
      // RFC 9449 §6.2: a DPoP-bound token's confirmation, the thumbprint of the key its proofs must be signed with.
      cnf: typeof data.cnf?.jkt === 'string' ? { jkt: data.cnf.jkt } : null,
    };

    if (result.active && this.cacheMs > 0) {
      const until = Math.min(now + this.cacheMs, result.exp ? result.exp * 1000 : Infinity);
      if (this.#cache.size >= 10_000) {
        for (const [k, v] of this.#cache) if (v.until <= now) this.#cache.delete(k);
        if (this.#cache.size >= 10_000) this.#cache.clear();
      }
      this.#cache.set(key, { result, until });
    }
    return { ...result, cached: false };
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------------------------

export function sendJson(res, status, body, headers = {}) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(payload);
}

/** Serves GET (list) and DELETE (clear) on an in-memory audit array. Returns true when handled. */
export function handleAudit(req, res, audit) {
  if (req.method === 'GET' || req.method === 'HEAD') {
    sendJson(res, 200, audit);
    return true;
  }
  if (req.method === 'DELETE') {
    const cleared = audit.length;
    audit.length = 0;
    sendJson(res, 200, { cleared });
    return true;
  }
  sendJson(res, 405, { error: 'method_not_allowed', allowed: ['GET', 'DELETE'] }, { allow: 'GET, DELETE' });
  return true;
}

/** Appends to a bounded audit array (oldest entries dropped past `max`). */
export function pushAudit(audit, entry, max = 10_000) {
  audit.push(entry);
  if (audit.length > max) audit.splice(0, audit.length - max);
  return entry;
}

/** Listens on 127.0.0.1, reports EADDRINUSE clearly, and wires SIGTERM/SIGINT to a graceful stop. */
export function listenLoopback(server, port, { log, component, onListening }) {
  server.on('error', (err) => {
    if (err.code === 'EADDRINUSE') {
      process.stderr.write(`${component}: port ${port} on 127.0.0.1 is already in use\n`);
    } else {
      process.stderr.write(`${component}: server error: ${err.stack || err.message}\n`);
    }
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', onListening);

  let stopping = false;
  const shutdown = (signal) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
