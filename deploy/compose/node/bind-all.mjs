// deploy/compose/node/bind-all.mjs — preload module for the development servers of deploy/dev when they
// run in containers (docker-compose.yml). Usage: node --import /opt/compose/bind-all.mjs server.mjs
//
// The servers in deploy/dev bind 127.0.0.1 on purpose: on a developer's machine and in the tests they
// must never be reachable from the network. Inside a container, 127.0.0.1 is the container's own
// loopback, so no other container (and no published port) could reach them. This module rewrites an
// explicit loopback host in net.Server#listen to BIND_HOST (default 0.0.0.0, i.e. the container's
// interfaces, which only the compose network and the ports published on 127.0.0.1 of the host reach).
// Host-less listens, other hosts, pipes and handles are left alone.
//
// Environment variables
//   BIND_HOST   the address to listen on instead of loopback; default 0.0.0.0.

import net from 'node:net';

const BIND_HOST = process.env.BIND_HOST || '0.0.0.0';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function bindAllListen(...args) {
  const [first, second] = args;
  // listen(options[, callback]) with a loopback host
  if (first !== null && typeof first === 'object' && typeof first.host === 'string' && LOOPBACK.has(first.host)) {
    return originalListen.call(this, { ...first, host: BIND_HOST }, ...args.slice(1));
  }
  // listen(port, host[, backlog][, callback]) with a loopback host
  if ((typeof first === 'number' || typeof first === 'string') && typeof second === 'string' && LOOPBACK.has(second)) {
    return originalListen.call(this, first, BIND_HOST, ...args.slice(2));
  }
  return originalListen.apply(this, args);
};
