#!/usr/bin/env node
// deploy/dev/smoke.mjs — end-to-end smoke test of the whole dev stack; exits non-zero on any failure.
//
// Start:   node deploy/dev/smoke.mjs            (needs `npm ci` in deploy/dev first)
//          SMOKE_BASE_PORT=5300 node deploy/dev/smoke.mjs
//
// It spawns, on 127.0.0.1 and ports BASE … BASE+5 (default BASE = 5300):
//   BASE+0  idp.mjs               (open registration, INTROSPECTION defaults, ACCESS_TOKEN_TTL=300, ISSUE_REFRESH_TOKEN=always)
//   BASE+1  server-everything     (Streamable HTTP, through loopback.mjs)
//   BASE+2  mcp-front.mjs         (UPSTREAM=BASE+1, ISSUER=BASE+0, INTROSPECTION_CACHE_MS=0)
//   BASE+3  chat-upstream.mjs     (ISSUER=BASE+0, CHUNK_DELAY_MS=60)
//   BASE+4  a relying-party stub inside this script (receives back-channel logout POSTs)
//   BASE+5  a second idp.mjs      (INITIAL_ACCESS_TOKEN, CLIENT_SECRET_TTL=2, CLOCK_TOLERANCE=0)
// waits for their ready lines, runs the checks below, then stops them (SIGTERM). Each child's output
// goes to a log file in a temp directory, whose tail is printed when a check fails.
//
// Environment variables
//   SMOKE_BASE_PORT   first port (default 5300).
//   SMOKE_VERBOSE     "1" to print every browser-like hop of the login/logout flows (method, path, status,
//                     Location, cookie names sent, Set-Cookie attributes — values elided).
//   SMOKE_KEEP_LOGS   "1" to keep (and print the path of) the temp directory with the child logs.
//
// ----------------------------------------------------------------------------------------------
// HOW THE devInteractions LOGIN WORKS (oidc-provider 9.x) — what a scripted client must do
// ----------------------------------------------------------------------------------------------
// Every step is a plain HTTP exchange; follow redirects MANUALLY and keep a cookie jar that honours
// each cookie's Path (the interaction cookies are path-scoped).
//  1. (optional, what ASP.NET Core 10 does by default) PAR: POST {issuer}/request with the client's
//     credentials and the authorization parameters (form-encoded) → 201 {"request_uri","expires_in"};
//     then GET {issuer}/auth?client_id=…&request_uri=…
//     Without PAR: GET {issuer}/auth?response_type=code&client_id=…&redirect_uri=…&scope=openid profile email
//       offline_access&state=…&nonce=…&code_challenge=…&code_challenge_method=S256
//     → 303 Location: /interaction/{uid}   (relative path)
//       Set-Cookie: _interaction={uid}; path=/interaction/{uid}; httponly; samesite=lax   (+ _interaction.sig)
//                   _interaction_resume={uid}; path=/auth/{uid}; httponly; samesite=lax  (+ _interaction_resume.sig)
//  2. GET /interaction/{uid}  (with _interaction cookies) → 200 HTML "Sign-in" page containing
//       <form autocomplete="off" action="/interaction/{uid}" method="post">
//         <input type="hidden" name="prompt" value="login"/>
//         <input required type="text" name="login" …>
//         <input required type="password" name="password" …>
//  3. POST /interaction/{uid}  Content-Type: application/x-www-form-urlencoded
//       body: prompt=login&login=<any name>&password=<anything>      (sub := the login name)
//     → 303 Location: {issuer}/auth/{uid}   (absolute)
//  4. GET {issuer}/auth/{uid}  (with _interaction_resume cookies) → sets the _session (+ _session.sig)
//     cookie (path=/) and → 303 Location: /interaction/{uid2}  (a NEW uid, for consent) with new
//     _interaction / _interaction_resume cookies.
//  5. GET /interaction/{uid2} → 200 HTML "Authorize" page containing
//       <form autocomplete="off" action="/interaction/{uid2}" method="post">
//         <input type="hidden" name="prompt" value="consent"/>
//  6. POST /interaction/{uid2}  body: prompt=consent  → 303 Location: {issuer}/auth/{uid2}
//  7. GET {issuer}/auth/{uid2} → 303 Location: {redirect_uri}?code=…&state=…&iss={issuer}
//     (with a live _session and an existing grant, a later /auth skips steps 2–6 and redirects at once).
//  Cancel link on both pages: GET /interaction/{uid}/abort → redirect_uri?error=access_denied.
//
// RP-initiated logout: GET {issuer}/session/end?id_token_hint=…&post_logout_redirect_uri=…&state=…
//   (with the _session cookie) → 200 HTML with
//       <form id="op.logoutForm" method="post" action="{issuer}/session/end/confirm">
//         <input type="hidden" name="xsrf" value="…"/></form>
//       <button … form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
//   POST {issuer}/session/end/confirm  body: xsrf=…&logout=yes  → back-channel logout POSTs
//   (logout_token=<JWT>) to every client of the session with a backchannel_logout_uri, then
//   303 Location: {post_logout_redirect_uri}?state=…
//   (without a session cookie the end_session page is an auto-submitting form_post with xsrf + logout=yes.)

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BASE = Number(process.env.SMOKE_BASE_PORT || 5300);
const P = {
  idp: BASE, everything: BASE + 1, front: BASE + 2, chat: BASE + 3, rp: BASE + 4, idp2: BASE + 5,
};
const ISSUER = `http://127.0.0.1:${P.idp}`;
const ISSUER2 = `http://127.0.0.1:${P.idp2}`;
const RP = `http://127.0.0.1:${P.rp}`;
const FRONT = `http://127.0.0.1:${P.front}/mcp`;
const CHAT = `http://127.0.0.1:${P.chat}`;
const VERBOSE = process.env.SMOKE_VERBOSE === '1';
const logDir = mkdtempSync(join(tmpdir(), 'mcpgw-smoke-'));

// ---------------------------------------------------------------------------------------------
// tiny test harness
// ---------------------------------------------------------------------------------------------

let passed = 0;
let failed = 0;
const children = [];

class CheckError extends Error {}
function check(condition, message, detail) {
  if (!condition) {
    throw new CheckError(`${message}${detail === undefined ? '' : `\n    got: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`);
  }
}
async function step(name, fn) {
  const t0 = Date.now();
  try {
    const result = await fn();
    passed += 1;
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    return result;
  } catch (err) {
    failed += 1;
    console.log(`FAIL ${name}\n    ${err instanceof CheckError ? err.message : err.stack}`);
    throw err;
  }
}

function startChild(name, args, env, readyPattern) {
  const logFile = join(logDir, `${name}.log`);
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, args, {
    cwd: here,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push({ name, child, logFile });
  child.stderr.pipe(out);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready within 30 s (see ${logFile})`)), 30_000);
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      out.write(chunk);
      buffered += chunk.toString();
      if (readyPattern.test(buffered)) {
        clearTimeout(timer);
        buffered = '';
        readyPattern = /$^/; // only once
        resolve(child);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited early (code ${code}, signal ${signal}); see ${logFile}`));
    });
  });
}

function stopChildren() {
  return Promise.all(children.map(({ child }) => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 3000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  })));
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers: cookie jar (path-aware), manual redirects, form parsing
// ---------------------------------------------------------------------------------------------

class CookieJar {
  #cookies = new Map(); // `${name};${path}` -> { name, value, path, expires }

  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expires;
      for (const attr of attrs) {
        const [k, v = ''] = attr.split('=');
        if (k.toLowerCase() === 'path') path = v;
        if (k.toLowerCase() === 'expires') expires = Date.parse(v);
        if (k.toLowerCase() === 'max-age') expires = Date.now() + Number(v) * 1000;
      }
      const key = `${name};${path}`;
      if (value === '' || (expires !== undefined && expires <= Date.now())) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }

  header(url) {
    const { pathname } = new URL(url);
    const matching = [...this.#cookies.values()].filter((c) => pathname === c.path
      || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  names() {
    return [...this.#cookies.values()].map((c) => `${c.name} (path=${c.path})`);
  }
}

async function browse(jar, url, { method = 'GET', form } = {}) {
  const headers = {};
  const cookie = jar.header(url);
  if (cookie) headers.cookie = cookie;
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const response = await fetch(url, { method, headers, body, redirect: 'manual' });
  jar.store(response);
  if (VERBOSE) {
    const u = new URL(url);
    const set = response.headers.getSetCookie().map((c) => c.replace(/^([^=]+)=[^;]*/, '$1=…'));
    console.log(`     ${method} ${u.pathname}${form ? ` [${Object.keys(form).join('&')}]` : ''}${cookie ? ` cookies: ${cookie.split('; ').map((c) => c.split('=')[0]).join(',')}` : ''}`
      + ` → ${response.status}${response.headers.get('location') ? ` ${response.headers.get('location').replace(/([?&](code|request_uri)=)[^&]+/g, '$1…')}` : ''}`
      + `${set.length ? `\n       set-cookie: ${set.join('\n       set-cookie: ')}` : ''}`);
  }
  const text = await response.text();
  const location = response.headers.get('location');
  return {
    status: response.status, text, headers: response.headers,
    location: location ? new URL(location, url).href : null,
  };
}

const decodeHtml = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function parseForm(html, baseUrl) {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  check(form, 'page has a <form>', html.slice(0, 300));
  const attr = (tag, name) => {
    const m = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag);
    return m ? decodeHtml(m[1]) : undefined;
  };
  const inputs = [...form[2].matchAll(/<input\b[^>]*>/gi)].map((m) => ({
    type: attr(m[0], 'type'), name: attr(m[0], 'name'), value: attr(m[0], 'value'),
  }));
  return {
    action: new URL(attr(form[1], 'action'), baseUrl).href,
    method: (attr(form[1], 'method') || 'get').toLowerCase(),
    id: attr(form[1], 'id'),
    inputs,
  };
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const decodeJwt = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

async function postForm(url, params, headers = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, json, text, headers: response.headers };
}

async function getJson(url, headers = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, json, text, headers: response.headers };
}

const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

// ---------------------------------------------------------------------------------------------
// the login flow (devInteractions), scripted like a browser
// ---------------------------------------------------------------------------------------------

/**
 * Runs an authorization-code + PKCE login for `client` as `login` and returns { code, state, nonce,
 * verifier, jar, pages }. With usePar, the parameters are pushed to the PAR endpoint first.
 */
async function login(discovery, client, { login: loginName, usePar, jar = new CookieJar(), extra = {} }) {
  const verifier = b64url(randomBytes(32));
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = b64url(randomBytes(12));
  const nonce = b64url(randomBytes(12));
  const params = {
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: client.redirect_uris[0],
    scope: 'openid profile email offline_access',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  if (!params.scope.split(' ').includes('openid')) delete params.nonce; // nonce requires openid

  let authorizeUrl;
  if (usePar) {
    const par = await postForm(discovery.pushed_authorization_request_endpoint, {
      ...params, client_id: client.client_id, client_secret: client.client_secret,
    });
    check(par.status === 201 && par.json?.request_uri, 'PAR answers 201 with a request_uri', par.text);
    authorizeUrl = `${discovery.authorization_endpoint}?${new URLSearchParams({ client_id: client.client_id, request_uri: par.json.request_uri })}`;
  } else {
    authorizeUrl = `${discovery.authorization_endpoint}?${new URLSearchParams(params)}`;
  }

  const pages = [];
  let res = await browse(jar, authorizeUrl);
  for (let hops = 0; hops < 12; hops += 1) {
    check([302, 303].includes(res.status) && res.location, 'authorization flow redirects', `${res.status} ${res.text.slice(0, 300)}`);
    const next = new URL(res.location);
    if (next.href.startsWith(client.redirect_uris[0])) {
      const code = next.searchParams.get('code');
      check(code, 'redirect_uri receives a code', next.href.replace(/code=[^&]+/, 'code=…'));
      check(next.searchParams.get('state') === state, 'state round-trips');
      check(next.searchParams.get('iss') === discovery.issuer, 'iss is returned (RFC 9207)', next.searchParams.get('iss'));
      return { code, state, nonce, verifier, jar, pages };
    }
    if (/^\/interaction\/[^/]+$/.test(next.pathname)) {
      const page = await browse(jar, next.href);
      check(page.status === 200, 'interaction page loads', `${page.status} ${page.text.slice(0, 300)}`);
      const form = parseForm(page.text, next.href);
      const prompt = form.inputs.find((i) => i.name === 'prompt')?.value;
      pages.push({ prompt, action: new URL(form.action).pathname, fields: form.inputs.map((i) => i.name) });
      check(form.method === 'post' && form.action === next.href, 'form posts back to /interaction/{uid}', form);
      if (prompt === 'login') {
        check(form.inputs.some((i) => i.name === 'login') && form.inputs.some((i) => i.name === 'password'), 'login form has login + password', form.inputs);
        res = await browse(jar, form.action, { method: 'POST', form: { prompt: 'login', login: loginName, password: 'any-password' } });
      } else if (prompt === 'consent') {
        res = await browse(jar, form.action, { method: 'POST', form: { prompt: 'consent' } });
      } else {
        throw new CheckError(`unexpected interaction prompt ${prompt}`);
      }
      continue;
    }
    res = await browse(jar, next.href);
  }
  throw new CheckError('too many redirects in the authorization flow');
}

// ---------------------------------------------------------------------------------------------
// MCP helpers
// ---------------------------------------------------------------------------------------------

async function mcpPost(token, body, { sessionId, cookie } = {}) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  if (sessionId) headers['mcp-session-id'] = sessionId;
  if (cookie) headers.cookie = cookie;
  const response = await fetch(FRONT, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  const type = response.headers.get('content-type') || '';
  let messages = [];
  if (type.includes('text/event-stream')) {
    messages = text.split(/\n\n/).map((block) => block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n'))
      .filter(Boolean).map((d) => JSON.parse(d));
  } else if (type.includes('json') && text) {
    messages = [JSON.parse(text)];
  }
  return { status: response.status, headers: response.headers, text, messages };
}

// ---------------------------------------------------------------------------------------------
// the scenario
// ---------------------------------------------------------------------------------------------

const backchannel = [];
const rp = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/auth/backchannel') {
      backchannel.push(Object.fromEntries(new URLSearchParams(body)));
      res.writeHead(200, { 'cache-control': 'no-store' }).end();
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('rp stub');
    }
  });
});

async function main() {
  console.log(`smoke: ports ${BASE}..${BASE + 5}, logs in ${logDir}`);
  await new Promise((resolve, reject) => { rp.once('error', reject); rp.listen(P.rp, '127.0.0.1', resolve); });

  await step('start the stack', async () => {
    await Promise.all([
      // ISSUE_REFRESH_TOKEN=always: these checks log in without prompt=consent and expect refresh tokens bound to the
      // IdP session (dead after RP-initiated logout); the gateway's tests cover the provider's default rule.
      startChild('idp', ['idp.mjs'], { PORT: String(P.idp), ISSUE_REFRESH_TOKEN: 'always' }, /^IDP READY http:\/\/127\.0\.0\.1:\d+$/m),
      startChild('idp2', ['idp.mjs'], {
        PORT: String(P.idp2), INITIAL_ACCESS_TOKEN: 'smoke-initial-access-token', CLIENT_SECRET_TTL: '2', CLOCK_TOLERANCE: '0',
      }, /^IDP READY /m),
      startChild('everything', ['--import', './loopback.mjs', 'node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'streamableHttp'],
        { PORT: String(P.everything) }, /^LOOPBACK LISTENING 127\.0\.0\.1:\d+$/m),
      startChild('chat', ['chat-upstream.mjs'], { PORT: String(P.chat), ISSUER, CHUNK_DELAY_MS: '60' }, /^CHAT UPSTREAM READY /m),
    ]);
    await startChild('front', ['mcp-front.mjs'], {
      PORT: String(P.front), UPSTREAM: `http://127.0.0.1:${P.everything}`, ISSUER, INTROSPECTION_CACHE_MS: '0',
    }, /^MCP FRONT READY http:\/\/127\.0\.0\.1:\d+\/mcp$/m);
  });

  const discovery = await step('IdP discovery', async () => {
    const d = await getJson(`${ISSUER}/.well-known/openid-configuration`);
    check(d.status === 200, 'discovery 200', d.status);
    check(d.json.issuer === ISSUER, 'issuer matches', d.json.issuer);
    for (const key of ['registration_endpoint', 'introspection_endpoint', 'revocation_endpoint', 'end_session_endpoint', 'pushed_authorization_request_endpoint']) {
      check(typeof d.json[key] === 'string', `discovery has ${key}`);
    }
    check(d.json.code_challenge_methods_supported?.includes('S256'), 'S256 supported');
    check(d.json.backchannel_logout_supported === true, 'backchannel logout supported');
    return d.json;
  });

  const registration = {
    client_name: 'McpGateway smoke',
    application_type: 'web',
    redirect_uris: [`${RP}/signin-oidc`],
    post_logout_redirect_uris: [`${RP}/signout-callback-oidc`],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    backchannel_logout_uri: `${RP}/auth/backchannel`,
    backchannel_logout_session_required: true,
  };

  let client = await step('DCR: register a confidential web client (RFC 7591)', async () => {
    const r = await fetch(discovery.registration_endpoint, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(registration),
    });
    const json = await r.json();
    check(r.status === 201, 'registration 201', json);
    check(json.client_id && json.client_secret, 'client_id + client_secret issued');
    check(json.registration_access_token && json.registration_client_uri, 'registration access token + client uri issued');
    check(json.client_secret_expires_at === 0, 'secret does not expire by default', json.client_secret_expires_at);
    return json;
  });

  await step('RFC 7592: GET then PUT the registration (token rotates on PUT)', async () => {
    const auth = { authorization: `Bearer ${client.registration_access_token}` };
    const got = await getJson(client.registration_client_uri, auth);
    check(got.status === 200 && got.json.client_id === client.client_id, 'GET returns the client', got.json);
    check(got.json.backchannel_logout_uri === registration.backchannel_logout_uri, 'backchannel_logout_uri kept');

    const { registration_access_token: _rat, registration_client_uri: _uri, client_secret_expires_at: _e, client_id_issued_at: _i, ...metadata } = got.json;
    const put = await fetch(client.registration_client_uri, {
      method: 'PUT', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ...metadata, client_name: 'McpGateway smoke (updated)' }),
    });
    const putJson = await put.json();
    check(put.status === 200 && putJson.client_name === 'McpGateway smoke (updated)', 'PUT updates', putJson);
    check(putJson.client_secret === client.client_secret, 'PUT keeps the secret');
    check(putJson.registration_access_token !== client.registration_access_token, 'PUT rotates the registration access token');
    const stale = await getJson(client.registration_client_uri, auth);
    check(stale.status === 401, 'the old registration access token is rejected', stale.status);
    client = { ...client, ...putJson };
  });

  const flow1 = await step('login through devInteractions (PAR, like ASP.NET Core)', async () => {
    const r = await login(discovery, client, { login: 'alice', usePar: true });
    check(r.pages.length === 2 && r.pages[0].prompt === 'login' && r.pages[1].prompt === 'consent', 'login then consent pages', r.pages);
    return r;
  });

  let tokens = await step('token endpoint: authorization_code + PKCE → access, refresh, id tokens', async () => {
    const t = await postForm(discovery.token_endpoint, {
      grant_type: 'authorization_code', code: flow1.code, redirect_uri: client.redirect_uris[0], code_verifier: flow1.verifier,
      client_id: client.client_id, client_secret: client.client_secret,
    });
    check(t.status === 200, 'token 200', t.json);
    check(t.json.access_token && t.json.refresh_token && t.json.id_token, 'access + refresh + id tokens', Object.keys(t.json));
    check(t.json.token_type === 'Bearer' && t.json.expires_in > 0, 'Bearer with expires_in', t.json.expires_in);
    const id = decodeJwt(t.json.id_token);
    check(id.iss === ISSUER && id.aud === client.client_id && id.sub === 'alice', 'id_token iss/aud/sub', id);
    check(id.nonce === flow1.nonce, 'id_token nonce');
    check(id.name === 'User alice' && id.email === 'alice@example.com', 'id_token carries profile + email claims', id);
    check(typeof id.sid === 'string', 'id_token has sid (back-channel logout session)', id);
    return t.json;
  });

  await step('PKCE is required: a code request without code_challenge is refused', async () => {
    const url = `${discovery.authorization_endpoint}?${new URLSearchParams({
      response_type: 'code', client_id: client.client_id, redirect_uri: client.redirect_uris[0], scope: 'openid', state: 'x',
    })}`;
    const r = await browse(new CookieJar(), url);
    check(r.location && new URL(r.location).searchParams.get('error') === 'invalid_request', 'error=invalid_request', r.location);
  });

  await step('userinfo', async () => {
    const u = await getJson(discovery.userinfo_endpoint, { authorization: `Bearer ${tokens.access_token}` });
    check(u.status === 200 && u.json.sub === 'alice' && u.json.name === 'User alice', 'userinfo claims', u.json);
  });

  const firstRefresh = tokens.refresh_token;
  tokens = await step('refresh_token grant rotates the refresh token', async () => {
    const r1 = await postForm(discovery.token_endpoint, {
      grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: client.client_id, client_secret: client.client_secret,
    });
    check(r1.status === 200 && r1.json.access_token && r1.json.refresh_token, 'refresh 200', r1.json);
    check(r1.json.refresh_token !== tokens.refresh_token, 'new refresh token');
    check(r1.json.access_token !== tokens.access_token, 'new access token');
    const r2 = await postForm(discovery.token_endpoint, {
      grant_type: 'refresh_token', refresh_token: r1.json.refresh_token, client_id: client.client_id, client_secret: client.client_secret,
    });
    check(r2.status === 200 && r2.json.refresh_token !== r1.json.refresh_token, 'second refresh rotates again', r2.json);
    return { ...r2.json, id_token: r2.json.id_token ?? tokens.id_token };
  });

  await step('introspection: resource client sees active token; client sees its own', async () => {
    const byResource = await postForm(discovery.introspection_endpoint, { token: tokens.access_token }, { authorization: basic('mcp-resource', 'mcp-resource-secret') });
    check(byResource.status === 200 && byResource.json.active === true, 'active for mcp-resource', byResource.json);
    check(byResource.json.sub === 'alice' && byResource.json.client_id === client.client_id, 'sub + client_id', byResource.json);
    const bySelf = await postForm(discovery.introspection_endpoint, {
      token: tokens.access_token, client_id: client.client_id, client_secret: client.client_secret,
    });
    check(bySelf.status === 200 && bySelf.json.active === true, 'active for the owning client', bySelf.json);
    const wrongSecret = await postForm(discovery.introspection_endpoint, { token: tokens.access_token }, { authorization: basic('mcp-resource', 'nope') });
    check(wrongSecret.status === 401, 'wrong introspection secret → 401 invalid_client', wrongSecret.json);
  });

  let sessionId;
  await step('mcp-front: refuses missing and invalid bearer tokens', async () => {
    await fetch(`http://127.0.0.1:${P.front}/_audit`, { method: 'DELETE' });
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'smoke', version: '1.0.0' } } };
    const none = await mcpPost(undefined, init);
    check(none.status === 401, 'missing bearer → 401', none.status);
    check(/^Bearer error="invalid_token"/.test(none.headers.get('www-authenticate') ?? ''), 'WWW-Authenticate invalid_token', none.headers.get('www-authenticate'));
    check(JSON.parse(none.text).error === 'invalid_token', 'JSON error body', none.text);
    const bad = await mcpPost('not-a-real-token', init);
    check(bad.status === 401, 'invalid bearer → 401', bad.status);
  });

  await step('mcp-front: initialize + tools/list + tools/call through to server-everything', async () => {
    const init = await mcpPost(tokens.access_token, {
      jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'smoke', version: '1.0.0' } },
    }, { cookie: 'should=be-stripped' });
    check(init.status === 200, 'initialize 200', `${init.status} ${init.text.slice(0, 300)}`);
    sessionId = init.headers.get('mcp-session-id');
    check(sessionId, 'Mcp-Session-Id returned');
    const result = init.messages.find((m) => m.id === 1)?.result;
    check(result?.serverInfo?.name, 'initialize result with serverInfo', init.text.slice(0, 300));
    const notified = await mcpPost(tokens.access_token, { jsonrpc: '2.0', method: 'notifications/initialized' }, { sessionId });
    check(notified.status === 202, 'notifications/initialized → 202', notified.status);
    const list = await mcpPost(tokens.access_token, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { sessionId });
    const tools = list.messages.find((m) => m.id === 2)?.result?.tools ?? [];
    check(list.status === 200 && tools.some((t) => t.name === 'echo'), 'tools/list includes echo', tools.map((t) => t.name));
    const call = await mcpPost(tokens.access_token, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi there' } } }, { sessionId });
    const text = call.messages.find((m) => m.id === 3)?.result?.content?.[0]?.text ?? '';
    check(text.includes('hi there'), 'echo tool answers', call.text.slice(0, 300));
  });

  await step('mcp-front: a POST answered as SSE streams progress notifications as produced', async () => {
    const t0 = Date.now();
    const response = await fetch(FRONT, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({
        jsonrpc: '2.0', id: 4, method: 'tools/call',
        params: { name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 4 }, _meta: { progressToken: 'p1' } },
      }),
    });
    check(response.status === 200 && response.headers.get('content-type').includes('text/event-stream'), 'SSE answer', response.status);
    const arrivals = [];
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk, { stream: true });
      let idx;
      while ((idx = buffered.indexOf('\n\n')) >= 0) {
        const event = buffered.slice(0, idx);
        buffered = buffered.slice(idx + 2);
        const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('');
        if (data) arrivals.push({ at: Date.now() - t0, message: JSON.parse(data) });
      }
    }
    const progress = arrivals.filter((a) => a.message.method === 'notifications/progress');
    check(progress.length === 4, 'four progress notifications', arrivals.map((a) => a.message.method ?? `result ${a.message.id}`));
    check(progress[3].at - progress[0].at >= 500, 'progress events arrive spread over time (not buffered)', progress.map((a) => a.at));
    check(arrivals.at(-1).message.id === 4 && arrivals.at(-1).message.result, 'result comes last');
  });

  await step('mcp-front: SSE GET stream flows and closes cleanly', async () => {
    const controller = new AbortController();
    const response = await fetch(FRONT, {
      headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
      signal: controller.signal,
    });
    check(response.status === 200 && (response.headers.get('content-type') ?? '').includes('text/event-stream'), 'GET /mcp opens an SSE stream', response.status);
    controller.abort();
  });

  await step('mcp-front: audit shows sub, client_id, methods, cookie flag', async () => {
    const audit = (await getJson(`http://127.0.0.1:${P.front}/_audit`)).json;
    const methods = audit.map((e) => e.mcpMethod);
    check(methods.includes('initialize') && methods.includes('tools/list') && methods.includes('tools/call') && methods.includes('notifications/initialized'), 'methods recorded', methods);
    const initEntry = audit.find((e) => e.mcpMethod === 'initialize' && e.active);
    check(initEntry?.sub === 'alice' && initEntry.client_id === client.client_id && initEntry.hadCookie === true, 'initialize entry', initEntry);
    check(audit.filter((e) => e.status === 401).length === 2 && audit.every((e) => e.status === 401 || e.active), '401 entries are inactive', audit);
    const cleared = await fetch(`http://127.0.0.1:${P.front}/_audit`, { method: 'DELETE' });
    check(cleared.status === 200 && (await getJson(`http://127.0.0.1:${P.front}/_audit`)).json.length === 0, 'DELETE clears');
  });

  await step('chat-upstream: bearer required, JSON answer deterministic', async () => {
    const body = JSON.stringify({ messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello there world' }], model: 'm1', contexts: [{ id: 1 }] });
    const none = await fetch(`${CHAT}/api/v2/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    check(none.status === 401 && /invalid_token/.test(none.headers.get('www-authenticate') ?? ''), 'missing bearer → 401', none.status);
    const bad = await fetch(`${CHAT}/api/v2/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer nope' }, body });
    check(bad.status === 401, 'invalid bearer → 401 (introspected)', bad.status);
    const ok = await fetch(`${CHAT}/api/v2/chat`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.access_token}`, cookie: 'a=b' }, body,
    });
    const json = await ok.json();
    check(ok.status === 200, 'chat 200', json);
    check(json.provider === 'sample' && json.model === 'm1' && json.message.role === 'assistant', 'envelope', json);
    check(json.message.content === 'Echo: hello there world [contexts: 1]', 'echo content', json.message.content);
    check(json.usage.prompt_tokens === 5 && json.usage.completion_tokens === 6 && json.usage.total_tokens === 11, 'deterministic usage', json.usage);
  });

  await step('chat-upstream: stream arrives chunk by chunk over time', async () => {
    const t0 = Date.now();
    const response = await fetch(`${CHAT}/api/v2/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.access_token}`, accept: 'text/event-stream' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'one two three four five' }], stream: true }),
    });
    check(response.status === 200 && response.headers.get('content-type').startsWith('text/event-stream'), 'SSE response', response.status);
    const arrivals = [];
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk, { stream: true });
      let idx;
      while ((idx = buffered.indexOf('\n\n')) >= 0) {
        const event = buffered.slice(0, idx);
        buffered = buffered.slice(idx + 2);
        arrivals.push({ at: Date.now() - t0, data: event.replace(/^data: /, '') });
      }
    }
    const deltas = arrivals.filter((a) => a.data.startsWith('{"delta"')).map((a) => JSON.parse(a.data).delta);
    check(deltas.join('') === 'Echo: one two three four five', 'deltas concatenate to the answer', deltas);
    check(arrivals.at(-1).data === '[DONE]', 'ends with [DONE]');
    const final = JSON.parse(arrivals.at(-2).data);
    check(final.provider === 'sample' && final.model === 'sample-1' && final.usage.total_tokens === 11, 'final event has model/provider/usage', final);
    const spread = arrivals.at(-1).at - arrivals[0].at;
    check(spread >= 5 * 60 * 0.8, `events spread over time (${spread} ms for ${arrivals.length} events)`, arrivals.map((a) => a.at));
  });

  await step('chat-upstream: ?status= and ?delayMs=, audit', async () => {
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'x' }] });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens.access_token}` };
    const forced = await fetch(`${CHAT}/api/v2/chat?status=503`, { method: 'POST', headers, body });
    check(forced.status === 503 && (await forced.json()).error.code === 'forced_status', '?status=503 → 503');
    const t0 = Date.now();
    const slow = await fetch(`${CHAT}/api/v2/chat?delayMs=400`, { method: 'POST', headers, body });
    check(slow.status === 200 && Date.now() - t0 >= 390, '?delayMs=400 delays', Date.now() - t0);
    const audit = (await getJson(`${CHAT}/_audit`)).json;
    const authed = audit.find((e) => e.sub === 'alice' && e.hadCookie);
    check(authed && authed.authorization === 'Bearer' && authed.headers.includes('authorization') && authed.headers.includes('cookie'), 'audit entry', authed);
    check(audit.some((e) => e.authorization === null && e.status === 401), 'unauthenticated attempt audited', audit);
  });

  await step('revocation: access token becomes inactive, mcp-front refuses it', async () => {
    const r = await postForm(discovery.revocation_endpoint, {
      token: tokens.access_token, token_type_hint: 'access_token', client_id: client.client_id, client_secret: client.client_secret,
    });
    check(r.status === 200, 'revocation 200', r.text);
    const i = await postForm(discovery.introspection_endpoint, { token: tokens.access_token }, { authorization: basic('mcp-resource', 'mcp-resource-secret') });
    check(i.json.active === false, 'inactive after revocation', i.json);
    const m = await mcpPost(tokens.access_token, { jsonrpc: '2.0', id: 9, method: 'tools/list' }, { sessionId });
    check(m.status === 401, 'mcp-front → 401 after revocation', m.status);
  });

  await step('RP-initiated logout sends a back-channel logout', async () => {
    const url = `${discovery.end_session_endpoint}?${new URLSearchParams({
      id_token_hint: tokens.id_token, post_logout_redirect_uri: registration.post_logout_redirect_uris[0], state: 'bye',
    })}`;
    const page = await browse(flow1.jar, url);
    check(page.status === 200, 'logout confirmation page', `${page.status} ${page.text.slice(0, 200)}`);
    const form = parseForm(page.text, url);
    check(form.id === 'op.logoutForm' && form.inputs.some((i) => i.name === 'xsrf'), 'logout form with xsrf', form);
    const xsrf = form.inputs.find((i) => i.name === 'xsrf').value;
    const done = await browse(flow1.jar, form.action, { method: 'POST', form: { xsrf, logout: 'yes' } });
    check(done.status === 303 && done.location === `${registration.post_logout_redirect_uris[0]}?state=bye`, 'redirects to post_logout_redirect_uri', done.location);
    check(backchannel.length === 1 && backchannel[0].logout_token, 'RP received one logout_token', backchannel.length);
    const lt = decodeJwt(backchannel[0].logout_token);
    check(lt.sub === 'alice' && lt.aud === client.client_id && lt.sid && lt.events?.['http://schemas.openid.net/event/backchannel-logout'], 'logout_token claims', lt);
    const rt = await postForm(discovery.token_endpoint, {
      grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: client.client_id, client_secret: client.client_secret,
    });
    check(rt.status === 400 && rt.json.error === 'invalid_grant', 'refresh token is dead after logout', rt.json);
  });

  await step('second login (no PAR, resource= on authorize only), refresh-token reuse detected, code single-use', async () => {
    const flow2 = await login(discovery, client, { login: 'bob', usePar: false, extra: { resource: FRONT } });
    check(flow2.pages.map((p) => p.prompt).join(',') === 'login,consent', 'login + consent again after logout', flow2.pages);
    const t = await postForm(discovery.token_endpoint, {
      grant_type: 'authorization_code', code: flow2.code, redirect_uri: client.redirect_uris[0], code_verifier: flow2.verifier,
      client_id: client.client_id, client_secret: client.client_secret,
    });
    check(t.status === 200 && decodeJwt(t.json.id_token).sub === 'bob' && t.json.refresh_token, 'tokens for bob', t.json);
    const r1 = await postForm(discovery.token_endpoint, {
      grant_type: 'refresh_token', refresh_token: t.json.refresh_token, client_id: client.client_id, client_secret: client.client_secret,
    });
    check(r1.status === 200, 'refresh ok', r1.json);
    const reuse = await postForm(discovery.token_endpoint, {
      grant_type: 'refresh_token', refresh_token: t.json.refresh_token, client_id: client.client_id, client_secret: client.client_secret,
    });
    check(reuse.status === 400 && reuse.json.error === 'invalid_grant', 'reusing a rotated refresh token → invalid_grant', reuse.json);
    const after = await postForm(discovery.token_endpoint, {
      grant_type: 'refresh_token', refresh_token: r1.json.refresh_token, client_id: client.client_id, client_secret: client.client_secret,
    });
    check(after.status === 400 && after.json.error === 'invalid_grant', 'reuse revokes the whole grant (newest refresh token dead too)', after.json);
    const again = await postForm(discovery.token_endpoint, {
      grant_type: 'authorization_code', code: flow2.code, redirect_uri: client.redirect_uris[0], code_verifier: flow2.verifier,
      client_id: client.client_id, client_secret: client.client_secret,
    });
    check(again.status === 400 && again.json.error === 'invalid_grant', 'a code is single-use (a replay also revokes what the code issued)', again.json);
  });

  await step('MCP-style OAuth (no openid; scope=mcp, resource= on authorize + token) → audience-bound token; 502 when upstream is down', async () => {
    const flow3 = await login(discovery, client, { login: 'carol', usePar: false, extra: { scope: 'mcp offline_access', resource: FRONT } });
    const t = await postForm(discovery.token_endpoint, {
      grant_type: 'authorization_code', code: flow3.code, redirect_uri: client.redirect_uris[0], code_verifier: flow3.verifier,
      client_id: client.client_id, client_secret: client.client_secret, resource: FRONT,
    });
    check(t.status === 200 && t.json.access_token && t.json.refresh_token, 'token 200 with access + refresh', t.json);
    check(!t.json.id_token, 'no id_token without openid', Object.keys(t.json));
    check(t.json.scope === 'mcp offline_access' || t.json.scope === 'mcp', 'scope mcp', t.json.scope);
    const i = await postForm(discovery.introspection_endpoint, { token: t.json.access_token }, { authorization: basic('mcp-resource', 'mcp-resource-secret') });
    check(i.json.active === true && i.json.aud === FRONT && i.json.sub === 'carol', 'introspection shows aud = resource', i.json);
    const m = await mcpPost(t.json.access_token, {
      jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'smoke', version: '1.0.0' } },
    });
    check(m.status === 200, 'mcp-front accepts it', m.status);
    const r = await postForm(discovery.token_endpoint, {
      grant_type: 'refresh_token', refresh_token: t.json.refresh_token, client_id: client.client_id, client_secret: client.client_secret, resource: FRONT,
    });
    check(r.status === 200 && r.json.refresh_token !== t.json.refresh_token, 'refresh with resource rotates', r.json);
    const bad = await postForm(discovery.token_endpoint, {
      grant_type: 'refresh_token', refresh_token: r.json.refresh_token, client_id: client.client_id, client_secret: client.client_secret, resource: 'https://example.com/mcp',
    });
    check(bad.status === 400 && bad.json.error === 'invalid_target', 'a non-granted resource → invalid_target', bad.json);

    // Upstream down → the front answers 502 (the token is still valid).
    const everything = children.find((c) => c.name === 'everything').child;
    await new Promise((resolve) => { everything.once('exit', resolve); everything.kill('SIGTERM'); });
    const down = await mcpPost(r.json.access_token, { jsonrpc: '2.0', id: 2, method: 'ping' });
    check(down.status === 502 && JSON.parse(down.text).error === 'bad_gateway', 'upstream down → 502 bad_gateway', down.text);

    // Revoking the refresh token revokes the whole grant (revokeGrantPolicy default): its access tokens die too.
    const rv = await postForm(discovery.revocation_endpoint, {
      token: r.json.refresh_token, token_type_hint: 'refresh_token', client_id: client.client_id, client_secret: client.client_secret,
    });
    check(rv.status === 200, 'refresh token revocation 200', rv.text);
    const atAfter = await postForm(discovery.introspection_endpoint, { token: r.json.access_token }, { authorization: basic('mcp-resource', 'mcp-resource-secret') });
    check(atAfter.json.active === false, 'revoking the refresh token also deactivates its access tokens (whole grant revoked)', atAfter.json);
  });

  await step('IdP counters (/_stats) and token log lines', async () => {
    const s = (await getJson(`${ISSUER}/_stats`)).json;
    check(s.token.authorization_code === 3, 'three successful code exchanges', s);
    check(s.token.refresh_token === 4, 'four successful refreshes', s);
    check(s.registrations === 1 && s.revocations === 2 && s.backchannelLogouts === 1, 'registrations / revocations / backchannel', s);
    const lines = readFileSync(children.find((c) => c.name === 'idp').logFile, 'utf8').split('\n').filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const tokenLines = lines.filter((l) => l.event === 'token');
    check(tokenLines.length === s.token.authorization_code + s.token.refresh_token + Object.values(s.tokenErrors).reduce((a, b) => a + b, 0), 'one log line per token call', tokenLines.length);
    check(lines.filter((l) => l.event === 'registration' && l.client_id === client.client_id).length === 1, 'registration logged');
  });

  await step('no child log contains a token or secret', async () => {
    const secrets = [flow1.code, firstRefresh, tokens.access_token, tokens.refresh_token, tokens.id_token, client.client_secret, client.registration_access_token]
      .filter(Boolean);
    for (const { name, logFile } of children) {
      const text = readFileSync(logFile, 'utf8');
      for (const secret of secrets) check(!text.includes(secret), `${name} log does not contain a token/secret`);
      check(!text.includes('be-stripped'), `${name} log does not contain cookie values`);
    }
  });

  await step('RFC 7592 DELETE', async () => {
    const del = await fetch(client.registration_client_uri, { method: 'DELETE', headers: { authorization: `Bearer ${client.registration_access_token}` } });
    check(del.status === 204, 'DELETE 204', del.status);
    const t = await postForm(discovery.token_endpoint, { grant_type: 'refresh_token', refresh_token: 'x', client_id: client.client_id, client_secret: client.client_secret });
    check(t.status === 401 && t.json.error === 'invalid_client', 'deleted client is unknown', t.json);
  });

  await step('second IdP: initial access token required; CLIENT_SECRET_TTL expires the secret', async () => {
    const d2 = (await getJson(`${ISSUER2}/.well-known/openid-configuration`)).json;
    const open = await fetch(d2.registration_endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(registration) });
    check(open.status === 401, 'registration without the initial access token → 401', open.status);
    const reg = await fetch(d2.registration_endpoint, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer smoke-initial-access-token' }, body: JSON.stringify(registration),
    });
    const c2 = await reg.json();
    const now = Math.floor(Date.now() / 1000);
    check(reg.status === 201 && Math.abs(c2.client_secret_expires_at - (now + 2)) <= 1, 'client_secret_expires_at = now + 2', c2.client_secret_expires_at);
    const read = await getJson(c2.registration_client_uri, { authorization: `Bearer ${c2.registration_access_token}` });
    check(read.json.client_secret_expires_at === c2.client_secret_expires_at, 'RFC 7592 GET shows the same expiry', read.json.client_secret_expires_at);
    const before = await postForm(d2.token_endpoint, { grant_type: 'refresh_token', refresh_token: 'x', client_id: c2.client_id, client_secret: c2.client_secret });
    check(before.status === 400 && before.json.error === 'invalid_grant', 'secret accepted before expiry', before.json);
    await new Promise((r) => { setTimeout(r, 3200); });
    const after = await postForm(d2.token_endpoint, { grant_type: 'refresh_token', refresh_token: 'x', client_id: c2.client_id, client_secret: c2.client_secret });
    check(after.json?.error === 'invalid_client' && /expired/.test(after.json.error_description), 'secret rejected after expiry', { status: after.status, ...after.json });
  });
}

let exitCode = 0;
try {
  await main();
} catch (err) {
  exitCode = 1;
  if (!(err instanceof CheckError) && passed + failed === 0) console.log(`FAIL setup\n    ${err.stack}`);
  for (const { name, logFile } of children) {
    try {
      const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n      ');
      console.log(`  --- ${name} log tail (${logFile}) ---\n      ${tail}`);
    } catch { /* no log */ }
  }
} finally {
  await stopChildren();
  rp.close();
  rp.closeAllConnections();
}
console.log(`smoke: ${passed} passed, ${failed} failed`);
if (process.env.SMOKE_KEEP_LOGS === '1' || exitCode !== 0) console.log(`smoke: child logs kept in ${logDir}`);
else rmSync(logDir, { recursive: true, force: true });
process.exit(exitCode);
