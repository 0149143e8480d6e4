// deploy/dev/loopback.mjs — preload module that keeps a third-party Node server on the loopback interface.
//
// Usage:   node --import ./loopback.mjs <server.js> [args…]
//          (path is relative to the current directory; use an absolute path or file:// URL otherwise)
//
// Why: some dev servers (e.g. @modelcontextprotocol/server-everything, via express `app.listen(PORT)`)
// call `server.listen(port)` without a host, which binds every interface. This module patches
// net.Server.prototype.listen so that any TCP listen WITHOUT an explicit host is bound to 127.0.0.1
// instead. Listens that name a host, UNIX sockets / named pipes and handle/fd listens are untouched.
//
// It also prints one stdout line per TCP listener once it is listening:
//     LOOPBACK LISTENING 127.0.0.1:<port>
// which the dev stack and the integration tests use as a readiness signal.
//
// Environment variables
//   LOOPBACK_HOST    address to force (default 127.0.0.1; must be a loopback address: 127.x.y.z or ::1).
//   LOOPBACK_QUIET   "1" to suppress the LOOPBACK LISTENING line.

import net from 'node:net';

const HOST = process.env.LOOPBACK_HOST || '127.0.0.1';
if (!(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(HOST) || HOST === '::1')) {
  process.stderr.write(`loopback.mjs: LOOPBACK_HOST must be a loopback address, got "${HOST}"\n`);
  process.exit(2);
}
const QUIET = process.env.LOOPBACK_QUIET === '1';

const originalListen = net.Server.prototype.listen;

// A port argument as Node accepts it: a number, or a string made of digits (Node treats other strings as pipe paths).
function isPortArg(value) {
  return (typeof value === 'number' && Number.isFinite(value))
    || (typeof value === 'string' && /^\d+$/.test(value));
}

function announce(server) {
  if (QUIET) return;
  server.once('listening', () => {
    const address = server.address();
    if (address && typeof address === 'object') {
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      process.stdout.write(`LOOPBACK LISTENING ${host}:${address.port}\n`);
    }
  });
}

net.Server.prototype.listen = function loopbackListen(...args) {
  const [first] = args;

  // listen(), listen(callback): ephemeral port on all interfaces -> ephemeral port on HOST.
  if (args.length === 0 || typeof first === 'function') {
    announce(this);
    return originalListen.call(this, 0, HOST, ...args);
  }

  // listen(options[, callback])
  if (first !== null && typeof first === 'object' && !('_handle' in first) && !('fd' in first) && !('handle' in first)) {
    if (first.path === undefined && (first.host === undefined || first.host === null || first.host === '')) {
      announce(this);
      return originalListen.call(this, { ...first, host: HOST }, ...args.slice(1));
    }
    return originalListen.apply(this, args);
  }

  // listen(port[, host][, backlog][, callback])
  if (isPortArg(first) || first === undefined || first === null) {
    const second = args[1];
    if (typeof second !== 'string') {
      announce(this);
      return originalListen.call(this, first ?? 0, HOST, ...args.slice(1));
    }
  }

  // listen(path, …), listen(handle, …), or an explicit host: leave alone.
  return originalListen.apply(this, args);
};
