#!/usr/bin/env node
// deploy/dev/stack.mjs — starts the whole local dev stack in one terminal (for running the gateway by hand).
//
// DEVELOPMENT ONLY. Starts, on 127.0.0.1:
//   BASE+0  idp.mjs             issuer http://127.0.0.1:BASE
//   BASE+1  server-everything   (through loopback.mjs)            http://127.0.0.1:BASE+1/mcp (no auth)
//   BASE+2  mcp-front.mjs       bearer-checked MCP endpoint       http://127.0.0.1:BASE+2/mcp
//   BASE+3  chat-upstream.mjs   sample chat API                   http://127.0.0.1:BASE+3/api/v2/chat
//   BASE+4  search-upstream.mjs SearXNG-compatible search API     http://127.0.0.1:BASE+4/search
// prefixes every line of their output with the server's name, prints `DEV STACK READY` once all five
// printed their ready lines, and stops them all on SIGINT/SIGTERM (or exits 1 if one of them dies).
//
// Start:   node deploy/dev/stack.mjs            (after `npm ci` in deploy/dev)
// Env:     BASE_PORT (default 5100). Any other variable (ACCESS_TOKEN_TTL, CHUNK_DELAY_MS, …) is passed
//          through to the children; PORT/UPSTREAM/ISSUER are set per child by this script.

import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BASE = Number(process.env.BASE_PORT || 5100);
if (!Number.isInteger(BASE) || BASE < 1 || BASE > 65532) {
  process.stderr.write(`stack: BASE_PORT must be a port number, got "${process.env.BASE_PORT}"\n`);
  process.exit(2);
}
const ISSUER = `http://127.0.0.1:${BASE}`;

const servers = [
  { name: 'idp', args: ['idp.mjs'], env: { PORT: BASE }, ready: /^IDP READY /m },
  {
    name: 'everything',
    args: ['--import', './loopback.mjs', 'node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'streamableHttp'],
    env: { PORT: BASE + 1 },
    ready: /^LOOPBACK LISTENING /m,
  },
  {
    name: 'mcp-front', args: ['mcp-front.mjs'], env: { PORT: BASE + 2, UPSTREAM: `http://127.0.0.1:${BASE + 1}`, ISSUER }, ready: /^MCP FRONT READY /m,
  },
  { name: 'chat', args: ['chat-upstream.mjs'], env: { PORT: BASE + 3, ISSUER }, ready: /^CHAT UPSTREAM READY /m },
  { name: 'search', args: ['search-upstream.mjs'], env: { PORT: BASE + 4 }, ready: /^SEARCH UPSTREAM READY /m },
];

let stopping = false;
const width = Math.max(...servers.map((s) => s.name.length));

function prefixLines(name, stream, target) {
  let rest = '';
  stream.on('data', (chunk) => {
    const text = rest + chunk.toString();
    const lines = text.split('\n');
    rest = lines.pop();
    for (const line of lines) target.write(`${name.padEnd(width)} | ${line}\n`);
  });
}

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const s of servers) if (s.child && s.child.exitCode === null) s.child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2500).unref();
  Promise.all(servers.map((s) => (s.child && s.child.exitCode === null
    ? new Promise((resolve) => s.child.once('exit', resolve)) : null))).then(() => process.exit(code));
}

const readiness = servers.map((s) => new Promise((resolve) => {
  const env = { ...process.env };
  for (const [k, v] of Object.entries(s.env)) env[k] = String(v);
  s.child = spawn(process.execPath, s.args, { cwd: here, env, stdio: ['ignore', 'pipe', 'pipe'] });
  prefixLines(s.name, s.child.stdout, process.stdout);
  prefixLines(s.name, s.child.stderr, process.stderr);
  let seen = '';
  s.child.stdout.on('data', function onData(chunk) {
    seen += chunk.toString();
    if (s.ready.test(seen)) {
      s.child.stdout.off('data', onData);
      resolve();
    }
  });
  s.child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`stack: ${s.name} exited (code ${code}, signal ${signal}); stopping the others\n`);
      stopAll(1);
    }
  });
}));

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

await Promise.all(readiness);
process.stdout.write([
  'DEV STACK READY',
  `  OpenID provider (authority):  ${ISSUER}   (introspection client mcp-resource / mcp-resource-secret)`,
  `  MCP (bearer required):        http://127.0.0.1:${BASE + 2}/mcp`,
  `  MCP (no auth, direct):        http://127.0.0.1:${BASE + 1}/mcp`,
  `  chat upstream:                http://127.0.0.1:${BASE + 3}/api/v2/chat`,
  '',
].join('\n'));
