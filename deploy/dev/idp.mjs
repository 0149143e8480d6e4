#!/usr/bin/env node
// deploy/dev/idp.mjs — development OpenID Provider for McpGateway (local stack + integration tests).
//
// DEVELOPMENT / TEST ONLY. Built on oidc-provider v9 with its built-in "devInteractions" login and
// consent pages: ANY login name and ANY password are accepted, the subject (`sub`) is the login
// name. Keys are generated at start-up and everything (clients, grants, sessions, tokens) lives in
// memory, so a restart forgets every registration and token.
//
// Start:   PORT=5100 node deploy/dev/idp.mjs
// Ready:   prints one stdout line `IDP READY <issuer>` once it listens (on 127.0.0.1 only).
// Stop:    SIGTERM or SIGINT (closes the listener and open connections, exits 0).
//
// Environment variables
//   PORT                          required. TCP port, bound on 127.0.0.1.
//   ISSUER                        issuer identifier; default http://127.0.0.1:${PORT}. Clients must call
//                                 the IdP with exactly this host (127.0.0.1 vs localhost matters).
//   ACCESS_TOKEN_TTL              seconds, default 300.
//   REFRESH_TOKEN_TTL             seconds, default 86400.
//   ID_TOKEN_TTL                  seconds, default 3600.
//   INITIAL_ACCESS_TOKEN          optional. When set, POST /reg requires `Authorization: Bearer <it>`
//                                 (RFC 7591 initial access token); when unset registration is open.
//   ROTATE_REFRESH_TOKEN          "true" (default): every refresh_token grant returns a new refresh
//                                 token and consumes the old one (re-using a consumed one is treated as
//                                 token theft: invalid_grant and the whole grant is revoked).
//                                 "false": the same refresh token is returned on every use.
//   ROTATE_REGISTRATION_ACCESS_TOKEN  "true" (default, the library default): an RFC 7592 PUT returns a
//                                 new registration_access_token. "false": it stays the same.
//   INTROSPECTION_CLIENT_ID       static confidential client for resource servers; default mcp-resource.
//   INTROSPECTION_CLIENT_SECRET   its secret; default mcp-resource-secret.
//   INTROSPECTION_CLIENT_AUTH_METHOD  client_secret_basic (default) or client_secret_post.
//   CLIENT_SECRET_TTL             optional, seconds. When set, dynamically registered confidential
//                                 clients get client_secret_expires_at = now + TTL (returned in the
//                                 registration response and enforced: after it the token endpoint
//                                 answers HTTP 400 invalid_client "… client secret is expired").
//                                 Unset: 0 (never expires).
//   CLOCK_TOLERANCE               seconds of clock skew accepted (default 15, the library default). It also
//                                 delays the CLIENT_SECRET_TTL expiry by that much: use 0 in expiry tests.
//   RESOURCE_SCOPES               space-separated scopes a resource server (RFC 8707 `resource`) accepts;
//                                 default "mcp". See "Resource indicators" below.
//   ISSUE_REFRESH_TOKEN           "default" (default): oidc-provider's own rule, as OpenID Connect Core §11 has it:
//                                 a refresh token only when the grant has offline_access, which the provider
//                                 grants only when the authorization request carries prompt=consent.
//                                 "always": whenever the client may use the refresh_token grant, without
//                                 offline_access (what some providers do); for tests of Auth:Prompt=none.
//   CLIENT_AUTH_METHODS           optional, space-separated: the client authentication methods offered (and
//                                 advertised in token_endpoint_auth_methods_supported). Unset: oidc-provider's
//                                 default, which includes private_key_jwt (and client_secret_basic, client_secret_post,
//                                 client_secret_jwt, none), so the gateway registers with private_key_jwt. Tests set
//                                 e.g. "client_secret_basic client_secret_post" for a server without private_key_jwt;
//                                 keep the introspection client's method (INTROSPECTION_CLIENT_AUTH_METHOD) in the list.
//   JWT_RESOURCES                 optional, space-separated resource URLs (RFC 8707) whose access tokens are JWTs
//                                 (RFC 9068, `typ: at+jwt`, RS256 with the provider's key from /jwks, `aud` = the
//                                 resource) instead of opaque ones: a resource server that validates tokens itself, as
//                                 an MCP server with its own authorization does. Such tokens are not stored by the
//                                 provider, so introspection reports them inactive and revocation cannot end them
//                                 (their refresh tokens are stored, introspected and revoked as usual). Unset: none.
//   DPOP_NONCE                    "1": every DPoP proof (RFC 9449 §8, §9) must carry a nonce of the provider (features.dPoP
//                                 nonceSecret + requireNonce): a proof without one is answered 400 use_dpop_nonce at the token
//                                 endpoint and 401 WWW-Authenticate: DPoP error="use_dpop_nonce" at userinfo, with a DPoP-Nonce
//                                 header. Unset: oidc-provider's default, DPoP enabled (ES256, EdDSA) without nonces.
//   LOG_LEVEL                     "info" (default) or "debug" (debug also logs every HTTP request).
//
// Endpoints (advertised in /.well-known/openid-configuration, except the interaction pages):
//   /auth, /request (PAR), /token, /me, /jwks, /reg (+ /reg/:clientId for RFC 7592 GET/PUT/DELETE),
//   /token/introspection, /token/revocation, /session/end (RP-initiated logout), /interaction/:uid
//   (the devInteractions login/consent pages: field names, form actions and cookies are described in
//   smoke.mjs and README.md).
//   GET /_stats  dev-only test aid (not part of OIDC): JSON counters
//     { "token": {"authorization_code": n, "refresh_token": n}, "tokenErrors": {...},
//       "registrations": n, "registrationUpdates": n, "registrationDeletes": n,
//       "revocations": n, "introspections": n, "backchannelLogouts": n, "backchannelLogoutErrors": n,
//       "endSessions": n }
//     "token" counts successful token endpoint calls per grant_type; failures are in "tokenErrors".
//
// Logs: one JSON object per line on stdout, e.g.
//   {"ts":"…","component":"idp","event":"token","grant_type":"refresh_token","client_id":"…","outcome":"success","status":200}
//   {"ts":"…","component":"idp","event":"registration","client_id":"…"}
// Tokens, secrets, codes and cookies are never logged.
//
// Resource indicators (RFC 8707, on by default in oidc-provider v9 — MCP clients send `resource`):
//   any http(s) loopback URL (127.0.0.1, localhost, [::1]) is accepted as a resource; other values get
//   invalid_target. A token request WITH `resource` yields an opaque access token whose introspection
//   `aud` is that resource and whose scope is the requested scopes ∩ RESOURCE_SCOPES; WITHOUT
//   `resource` (the usual OIDC login) it yields the ordinary userinfo access token.
//
// Development-only deviations from a production OP (each one deliberate):
//   * id tokens carry the profile/email claims (conformIdTokenClaims: false) so a relying party does
//     not need to call userinfo;
//   * PKCE (S256) is required for every client, confidential ones included;
//   * back-channel logout may POST to loopback URIs: oidc-provider's SSRF guard refuses special-use
//     addresses such as 127.0.0.1, so the `fetch` hook below drops that guard (dev only!).

import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

// ---------------------------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------------------------

function fail(message) {
  process.stderr.write(`idp: configuration error: ${message}\n`);
  process.exit(2);
}

function intEnv(name, fallback, { optional = false, min = 1 } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return optional ? undefined : fallback;
  }
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) {
    fail(`${name} must be an integer >= ${min} (seconds), got "${raw}"`);
  }
  return Number(raw);
}

function boolEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  return fail(`${name} must be true or false, got "${raw}"`);
}

const PORT = process.env.PORT;
if (!PORT || !/^\d+$/.test(PORT) || Number(PORT) < 1 || Number(PORT) > 65535) {
  fail(`PORT is required and must be a TCP port number, got "${PORT ?? ''}"`);
}
const ISSUER = (process.env.ISSUER || `http://127.0.0.1:${PORT}`).replace(/\/+$/, '');
const ACCESS_TOKEN_TTL = intEnv('ACCESS_TOKEN_TTL', 300);
const REFRESH_TOKEN_TTL = intEnv('REFRESH_TOKEN_TTL', 86400);
const ID_TOKEN_TTL = intEnv('ID_TOKEN_TTL', 3600);
const CLIENT_SECRET_TTL = intEnv('CLIENT_SECRET_TTL', undefined, { optional: true });
const CLOCK_TOLERANCE = intEnv('CLOCK_TOLERANCE', 15, { min: 0 });
const INITIAL_ACCESS_TOKEN = process.env.INITIAL_ACCESS_TOKEN || undefined;
const ROTATE_REFRESH_TOKEN = boolEnv('ROTATE_REFRESH_TOKEN', true);
const ROTATE_REGISTRATION_ACCESS_TOKEN = boolEnv('ROTATE_REGISTRATION_ACCESS_TOKEN', true);
const INTROSPECTION_CLIENT_ID = process.env.INTROSPECTION_CLIENT_ID || 'mcp-resource';
const INTROSPECTION_CLIENT_SECRET = process.env.INTROSPECTION_CLIENT_SECRET || 'mcp-resource-secret';
const INTROSPECTION_CLIENT_AUTH_METHOD = process.env.INTROSPECTION_CLIENT_AUTH_METHOD || 'client_secret_basic';
const RESOURCE_SCOPES = (process.env.RESOURCE_SCOPES ?? 'mcp').trim();
const ISSUE_REFRESH_TOKEN = (process.env.ISSUE_REFRESH_TOKEN || 'default').toLowerCase();
const CLIENT_AUTH_METHODS = (process.env.CLIENT_AUTH_METHODS ?? '').split(' ').filter(Boolean);
const JWT_RESOURCES = new Set((process.env.JWT_RESOURCES ?? '').split(' ').filter(Boolean));
const DPOP_NONCE = boolEnv('DPOP_NONCE', false);
const DEBUG = (process.env.LOG_LEVEL || 'info').toLowerCase() === 'debug';

if (!['default', 'always'].includes(ISSUE_REFRESH_TOKEN)) {
  fail(`ISSUE_REFRESH_TOKEN must be default or always, got "${ISSUE_REFRESH_TOKEN}"`);
}
if (!['client_secret_basic', 'client_secret_post'].includes(INTROSPECTION_CLIENT_AUTH_METHOD)) {
  fail(`INTROSPECTION_CLIENT_AUTH_METHOD must be client_secret_basic or client_secret_post, got "${INTROSPECTION_CLIENT_AUTH_METHOD}"`);
}
if (CLIENT_AUTH_METHODS.length > 0 && !CLIENT_AUTH_METHODS.includes(INTROSPECTION_CLIENT_AUTH_METHOD)) {
  fail(`CLIENT_AUTH_METHODS must include INTROSPECTION_CLIENT_AUTH_METHOD (${INTROSPECTION_CLIENT_AUTH_METHOD}), got "${CLIENT_AUTH_METHODS.join(' ')}"`);
}
try {
  // eslint-disable-next-line no-new
  new URL(ISSUER);
} catch {
  fail(`ISSUER is not a valid URL: "${ISSUER}"`);
}

// ---------------------------------------------------------------------------------------------
// logging and counters
// ---------------------------------------------------------------------------------------------

function log(event, fields = {}) {
  process.stdout.write(`${JSON.stringify({ ts: new Date().toISOString(), component: 'idp', event, ...fields })}\n`);
}

const stats = {
  token: { authorization_code: 0, refresh_token: 0 },
  tokenErrors: {},
  registrations: 0,
  registrationUpdates: 0,
  registrationDeletes: 0,
  revocations: 0,
  introspections: 0,
  backchannelLogouts: 0,
  backchannelLogoutErrors: 0,
  endSessions: 0,
};

function bump(bucket, key) {
  bucket[key] = (bucket[key] ?? 0) + 1;
}

// ---------------------------------------------------------------------------------------------
// accounts: any login is an account; sub = login
// ---------------------------------------------------------------------------------------------

function accountClaims(sub) {
  const email = sub.includes('@') ? sub : `${sub.replace(/[^A-Za-z0-9._-]/g, '_') || 'user'}@example.com`;
  return {
    sub,
    name: `User ${sub}`,
    email,
    email_verified: true,
  };
}

async function findAccount(_ctx, sub) {
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  return {
    accountId: sub,
    async claims() {
      return accountClaims(sub);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// provider
// ---------------------------------------------------------------------------------------------

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `dev-${randomBytes(6).toString('hex')}`, use: 'sig', alg: 'RS256' };

function isLoopbackOrigin(origin) {
  try {
    const { hostname, protocol } = new URL(origin);
    return (protocol === 'http:' || protocol === 'https:')
      && (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]');
  } catch {
    return false;
  }
}

const configuration = {
  clients: [
    {
      client_id: INTROSPECTION_CLIENT_ID,
      client_secret: INTROSPECTION_CLIENT_SECRET,
      client_name: 'MCP resource server (introspection)',
      token_endpoint_auth_method: INTROSPECTION_CLIENT_AUTH_METHOD,
      grant_types: [],
      response_types: [],
      redirect_uris: [],
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: {
    // Signing keys for the interaction/session cookies (fresh per process; sessions do not survive a restart anyway).
    keys: [randomBytes(32).toString('base64url')],
  },
  findAccount,
  clockTolerance: CLOCK_TOLERANCE,
  ...(CLIENT_AUTH_METHODS.length > 0 ? { clientAuthMethods: CLIENT_AUTH_METHODS } : {}),
  claims: {
    openid: ['sub'],
    profile: ['name'],
    email: ['email', 'email_verified'],
  },
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  responseTypes: ['code'], // authorization code flow only (no implicit / hybrid)
  // Put the scope's claims in the ID token too (ASP.NET Core does not call userinfo by default).
  conformIdTokenClaims: false,
  pkce: {
    required: () => true, // only S256 exists in oidc-provider v9
  },
  ttl: {
    AccessToken: ACCESS_TOKEN_TTL,
    IdToken: ID_TOKEN_TTL,
    RefreshToken: REFRESH_TOKEN_TTL,
    AuthorizationCode: 60,
    Interaction: 3600,
    Session: 14 * 24 * 3600,
    Grant: 14 * 24 * 3600,
  },
  // "always": a refresh token whenever the client is allowed the refresh_token grant. Left out, the library's
  // default applies: the grant must also hold offline_access, which is dropped unless the request has prompt=consent.
  ...(ISSUE_REFRESH_TOKEN === 'always' ? { issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token') } : {}),
  rotateRefreshToken: ROTATE_REFRESH_TOKEN,
  // Browser CORS on the token/revocation/introspection endpoints: loopback origins only.
  clientBasedCORS: (_ctx, origin) => isLoopbackOrigin(origin),
  // Dev only: allow outgoing back-channel logout POSTs to loopback addresses (oidc-provider passes an
  // SSRF-guarding undici dispatcher that destroys sockets to special-use IPs such as 127.0.0.1).
  fetch: (url, options) => {
    const { dispatcher: _ssrfGuard, ...rest } = options;
    return globalThis.fetch(url, rest);
  },
  features: {
    devInteractions: { enabled: true },
    registration: {
      enabled: true,
      initialAccessToken: INITIAL_ACCESS_TOKEN ?? false,
      issueRegistrationAccessToken: true,
    },
    registrationManagement: {
      enabled: true,
      rotateRegistrationAccessToken: ROTATE_REGISTRATION_ACCESS_TOKEN,
    },
    revocation: {
      enabled: true,
      // A client may revoke only its own tokens (same as the library default, stated explicitly).
      allowedPolicy: async (_ctx, client, token) => {
        if (token.clientId !== client.clientId) {
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        }
        return true;
      },
    },
    introspection: {
      enabled: true,
      // The resource-server client may introspect any token; any other client only its own tokens.
      allowedPolicy: async (ctx, client, token) => client.clientId === INTROSPECTION_CLIENT_ID
        || token.clientId === client.clientId,
    },
    resourceIndicators: {
      enabled: true,
      useGrantedResource: async () => false,
      getResourceServerInfo: async (_ctx, resourceIndicator) => {
        if (!isLoopbackOrigin(resourceIndicator)) {
          throw new errors.InvalidTarget(`this development IdP only accepts loopback http(s) resource indicators, got ${resourceIndicator}`);
        }
        return {
          scope: RESOURCE_SCOPES,
          audience: resourceIndicator,
          accessTokenTTL: ACCESS_TOKEN_TTL,
          ...(JWT_RESOURCES.has(resourceIndicator)
            ? { accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }
            : { accessTokenFormat: 'opaque' }),
        };
      },
    },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
    userinfo: { enabled: true },
    // DPoP is on by default in oidc-provider 9 (no nonces); DPOP_NONCE=1 makes every proof carry the provider's nonce.
    ...(DPOP_NONCE ? { dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true } } : {}),
  },
  renderError: async (ctx, out) => {
    ctx.type = 'json';
    ctx.body = out;
  },
};

let provider;
try {
  provider = new Provider(ISSUER, configuration);
} catch (err) {
  fail(`oidc-provider rejected the configuration: ${err.message}`);
}
provider.proxy = false;

// error_detail of failed requests (the developer-facing reason behind a generic error_description).
const errorDetails = new WeakMap();
for (const event of ['grant.error', 'registration_create.error', 'introspection.error', 'revocation.error',
  'pushed_authorization_request.error', 'authorization.error', 'end_session.error', 'end_session_confirm.error']) {
  provider.on(event, (ctx, err) => {
    if (ctx && err?.error_detail) errorDetails.set(ctx, err.error_detail);
    if (event === 'authorization.error' || event === 'pushed_authorization_request.error') {
      log(event.replace('.error', ''), {
        outcome: 'error', client_id: ctx?.oidc?.client?.clientId ?? null, error: err.error ?? err.message,
        error_description: err.error_description, error_detail: err.error_detail,
      });
    }
  });
}

// Observe every routed request: token endpoint calls, registrations, revocations, introspections,
// and apply CLIENT_SECRET_TTL to fresh registrations.
provider.use(async (ctx, next) => {
  const started = Date.now();
  await next();
  const route = ctx.oidc?.route;
  const status = ctx.status;
  const ok = status < 400;
  const error = !ok && ctx.body && typeof ctx.body === 'object' ? ctx.body.error : undefined;
  const errorDescription = !ok && ctx.body && typeof ctx.body === 'object' ? ctx.body.error_description : undefined;
  const errorDetail = !ok ? errorDetails.get(ctx) : undefined;

  if (DEBUG) {
    log('http', { method: ctx.method, path: ctx.path, route, status, ms: Date.now() - started });
  }

  switch (route) {
    case 'token': {
      const grantType = ctx.oidc.params?.grant_type ?? ctx.oidc.body?.grant_type ?? null;
      const clientId = ctx.oidc.client?.clientId ?? ctx.oidc.body?.client_id ?? null;
      if (ok) bump(stats.token, grantType ?? 'unknown');
      else bump(stats.tokenErrors, grantType ?? 'unknown');
      log('token', {
        grant_type: grantType,
        client_id: clientId,
        outcome: ok ? 'success' : 'error',
        status,
        ...(ok ? { refresh_token_issued: Boolean(ctx.body?.refresh_token) } : { error, error_description: errorDescription, error_detail: errorDetail }),
      });
      break;
    }
    case 'registration': {
      if (ctx.method === 'POST' && status === 201 && ctx.body?.client_id) {
        if (CLIENT_SECRET_TTL && ctx.body.client_secret) {
          // oidc-provider always registers client_secret_expires_at = 0; overwrite the stored
          // metadata and the response (RFC 7591 §3.2.1 lets the server choose the expiry).
          const expiresAt = Math.floor(Date.now() / 1000) + CLIENT_SECRET_TTL;
          const stored = await provider.Client.adapter.find(ctx.body.client_id);
          if (stored) {
            await provider.Client.adapter.upsert(ctx.body.client_id, { ...stored, client_secret_expires_at: expiresAt });
            ctx.body.client_secret_expires_at = expiresAt;
          }
        }
        stats.registrations += 1;
        log('registration', {
          client_id: ctx.body.client_id,
          client_name: ctx.body.client_name ?? null,
          grant_types: ctx.body.grant_types,
          token_endpoint_auth_method: ctx.body.token_endpoint_auth_method,
          client_secret_expires_at: ctx.body.client_secret_expires_at ?? null,
        });
      } else if (!ok) {
        log('registration', { outcome: 'error', status, error, error_description: errorDescription, error_detail: errorDetail });
      }
      break;
    }
    case 'client':
    case 'client_update':
    case 'client_delete': {
      if (ok && route === 'client_update') stats.registrationUpdates += 1;
      if (ok && route === 'client_delete') stats.registrationDeletes += 1;
      log('registration_management', {
        operation: ctx.method,
        client_id: ctx.params?.clientId ?? null,
        outcome: ok ? 'success' : 'error',
        status,
        ...(ok ? {} : { error }),
      });
      break;
    }
    case 'revocation': {
      if (ok) stats.revocations += 1;
      log('revocation', {
        client_id: ctx.oidc.client?.clientId ?? null,
        token_type_hint: ctx.oidc.params?.token_type_hint ?? null,
        outcome: ok ? 'success' : 'error',
        status,
        ...(ok ? {} : { error }),
      });
      break;
    }
    case 'introspection': {
      if (ok) stats.introspections += 1;
      log('introspection', {
        client_id: ctx.oidc.client?.clientId ?? null,
        active: ok ? Boolean(ctx.body?.active) : null,
        outcome: ok ? 'success' : 'error',
        status,
        ...(ok ? {} : { error }),
      });
      break;
    }
    case 'end_session_confirm': {
      if (status === 303 || status === 302) stats.endSessions += 1;
      log('end_session', { outcome: ok ? 'success' : 'error', status, ...(ok ? {} : { error }) });
      break;
    }
    default:
      break;
  }
});

provider.on('backchannel.success', (_ctx, client, accountId) => {
  stats.backchannelLogouts += 1;
  log('backchannel_logout', { client_id: client.clientId, sub: accountId, outcome: 'success' });
});
provider.on('backchannel.error', (_ctx, err, client, accountId) => {
  stats.backchannelLogoutErrors += 1;
  log('backchannel_logout', { client_id: client.clientId, sub: accountId, outcome: 'error', error: err.message });
});
provider.on('interaction.ended', (ctx) => {
  if (DEBUG) log('interaction_ended', { path: ctx.path });
});
provider.on('server_error', (_ctx, err) => {
  log('server_error', { error: err.message, stack: err.stack });
});

// ---------------------------------------------------------------------------------------------
// HTTP server
// ---------------------------------------------------------------------------------------------

const providerCallback = provider.callback();

const server = createServer((req, res) => {
  const path = (req.url || '/').split('?')[0];
  if (path === '/_stats') {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'method_not_allowed' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(stats));
    return;
  }
  providerCallback(req, res);
});

server.on('error', (err) => {
  if (err.code === 'EADDRINUSE') {
    process.stderr.write(`idp: port ${PORT} on 127.0.0.1 is already in use\n`);
  } else {
    process.stderr.write(`idp: server error: ${err.stack || err.message}\n`);
  }
  process.exit(1);
});

server.listen(Number(PORT), '127.0.0.1', () => {
  log('listening', {
    issuer: ISSUER,
    port: Number(PORT),
    access_token_ttl: ACCESS_TOKEN_TTL,
    refresh_token_ttl: REFRESH_TOKEN_TTL,
    id_token_ttl: ID_TOKEN_TTL,
    registration: INITIAL_ACCESS_TOKEN ? 'initial-access-token' : 'open',
    rotate_refresh_token: ROTATE_REFRESH_TOKEN,
    issue_refresh_token: ISSUE_REFRESH_TOKEN,
    client_secret_ttl: CLIENT_SECRET_TTL ?? null,
    client_auth_methods: CLIENT_AUTH_METHODS.length > 0 ? CLIENT_AUTH_METHODS : 'default',
    clock_tolerance: CLOCK_TOLERANCE,
    introspection_client_id: INTROSPECTION_CLIENT_ID,
    resource_scopes: RESOURCE_SCOPES,
    jwt_resources: [...JWT_RESOURCES],
  });
  process.stdout.write(`IDP READY ${ISSUER}\n`);
});

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log('stopping', { signal });
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
